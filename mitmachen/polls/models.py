"""Surveys and polls (Umfragen, Abstimmungen): questions, responses and paper entry.

A poll belongs to a phase of a project; it takes answers while that phase runs and
allows ``answer``. One response per person is enforced by the database through
``Participation`` (one row per poll and account, or per poll and guest token), which
is written in the same transaction as the response. In an anonymous poll the
response carries no link to its participation: no page, export or staff tool can
tell who gave which answers, while the participation still stops a second response.
This is not a secret ballot against the operator: someone with direct database
access could match participations and responses by the order in which they were
stored (ids and timestamps). docs/polls.md says so.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mitmachen.core.channels import Channel
from mitmachen.core.models import TimeStampedModel
from mitmachen.core.paper import PaperBatchBase, paper_place_field
from mitmachen.core.uploads import RandomName
from mitmachen.organisations.models import District
from mitmachen.projects.models import Phase, Project, Visibility

# The phase actions of polls (declared in ``polls.module``).
VOTE = "vote"
ANSWER = "answer"


class PollKind(models.TextChoices):
    SURVEY = "survey", _("Umfrage")
    VOTE = "vote", _("Abstimmung")


class Eligibility(models.TextChoices):
    """Who may answer a poll."""

    REGISTERED = "registered", _("alle mit Konto")
    VERIFIED = "verified", _("nur Personen mit bestätigtem Wohnsitz")
    RESIDENTS = "residents", _("nur Einwohnerinnen und Einwohner bestimmter Ortsteile")
    GUESTS = "guests", _("alle, auch ohne Konto")


class ResultsVisibility(models.TextChoices):
    LIVE = "live", _("laufend, schon während der Umfrage")
    AFTER_CLOSE = "after_close", _("erst nach dem Ende der Umfrage")


class PollQuerySet(models.QuerySet["Poll"]):
    def published(self) -> PollQuerySet:
        return self.filter(is_published=True)

    def for_display(self) -> PollQuerySet:
        return self.select_related("project__organisation", "phase").prefetch_related(
            "project__phases", "project__partner_organisations"
        )


class Poll(TimeStampedModel):
    """A survey or poll in one phase of a project.

    It is open while it is published, not closed early by staff, its project is not
    a draft and its phase runs and allows ``answer``. Results are public live or only
    once it is closed (``results_visibility``); free-text answers appear in public
    results only after staff approved them.
    """

    project = models.ForeignKey(
        Project,
        verbose_name=_("Beteiligungsprozess"),
        on_delete=models.CASCADE,
        related_name="polls",
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("Phase"),
        on_delete=models.RESTRICT,
        related_name="polls",
        help_text=_(
            "Die Umfrage nimmt Antworten an, solange diese Phase läuft und "
            "„An Umfragen teilnehmen“ erlaubt."
        ),
    )
    kind = models.CharField(
        _("Art"), max_length=10, choices=PollKind.choices, default=PollKind.SURVEY
    )
    title = models.CharField(_("Titel"), max_length=160)
    intro = models.TextField(
        _("Einleitung"),
        blank=True,
        max_length=5000,
        validators=[MaxLengthValidator(5000)],
        help_text=_("Markdown. Steht über den Fragen."),
    )
    closing_text = models.TextField(
        _("Abschlusstext"),
        blank=True,
        max_length=2000,
        validators=[MaxLengthValidator(2000)],
        help_text=_("Markdown. Erscheint nach dem Absenden, z. B. ein Dank und was nun passiert."),
    )
    eligibility = models.CharField(
        _("Wer darf antworten?"),
        max_length=12,
        choices=Eligibility.choices,
        default=Eligibility.REGISTERED,
    )
    districts = models.ManyToManyField(
        District,
        verbose_name=_("Ortsteile"),
        blank=True,
        related_name="polls",
        help_text=_(
            "Nur für „bestimmte Ortsteile“: wer hier wohnt (laut Konto), darf antworten. "
            "Leer: alle Ortsteile des Projekts."
        ),
    )
    anonymous = models.BooleanField(
        _("anonym"),
        default=False,
        help_text=_(
            "Antworten werden ohne Verbindung zur Person gespeichert. Jede Person kann "
            "trotzdem nur einmal antworten, ihre Antworten aber nicht mehr ändern."
        ),
    )
    allow_changes = models.BooleanField(
        _("Antworten änderbar"),
        default=False,
        help_text=_("Teilnehmende können ihre Antworten bis zum Ende der Umfrage ändern."),
    )
    results_visibility = models.CharField(
        _("Ergebnisse sichtbar"),
        max_length=12,
        choices=ResultsVisibility.choices,
        default=ResultsVisibility.AFTER_CLOSE,
    )
    is_published = models.BooleanField(
        _("veröffentlicht"),
        default=False,
        help_text=_("Erst veröffentlichte Umfragen sind öffentlich sichtbar."),
    )
    closed_at = models.DateTimeField(
        _("vorzeitig beendet am"), null=True, blank=True, editable=False
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beendet von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    # Set once each, by ``services.polls_followers_notify`` with ``UPDATE … WHERE … IS
    # NULL``: the project's followers hear once that the poll opened / has results.
    opened_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    results_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PollQuerySet.as_manager()

    class Meta:
        verbose_name = _("Umfrage")
        verbose_name_plural = _("Umfragen")
        ordering = ["phase__start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(anonymous=True) & Q(allow_changes=True)),
                name="poll_anonymous_not_changeable",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("polls:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.anonymous and self.allow_changes:
            errors["allow_changes"] = _(
                "Anonyme Antworten können nicht geändert werden: sie sind mit niemandem verbunden."
            )
        if self.phase_id and self.project_id and self.phase.project_id != self.project_id:
            errors["phase"] = _("Die Phase gehört nicht zu diesem Beteiligungsprozess.")
        stored = Poll.objects.filter(pk=self.pk).values("anonymous", "project_id").first()
        if stored and (self.participations.exists() or self.responses.exists()):
            # Answers already given were stored under the old rules.
            if stored["anonymous"] != self.anonymous:
                errors["anonymous"] = _(
                    "Sobald jemand teilgenommen hat, lässt sich „anonym“ nicht mehr ändern."
                )
            if stored["project_id"] != self.project_id:
                errors["project"] = _(
                    "Eine Umfrage mit Antworten kann nicht in einen anderen "
                    "Beteiligungsprozess verschoben werden."
                )
        if errors:
            raise ValidationError(errors)

    def closes_at(self) -> datetime:
        return min(self.closed_at, self.phase.end) if self.closed_at else self.phase.end

    def is_closed(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.closed_at is not None or now >= self.phase.end

    def has_started(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.phase.start

    def is_open(self, now: datetime | None = None) -> bool:
        """Does the poll take answers now?"""
        now = now or timezone.now()
        return (
            self.is_published
            and self.project.visibility != Visibility.DRAFT
            and not self.is_closed(now)
            and self.phase.start <= now
            and ANSWER in self.phase.actions
        )

    def state_label(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if self.is_closed(now):
            return str(_("beendet"))
        if not self.has_started(now):
            return str(_("demnächst"))
        return str(_("läuft"))

    def results_are_public(self, now: datetime | None = None) -> bool:
        return self.results_visibility == ResultsVisibility.LIVE or self.is_closed(now)


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Einfachauswahl")
    MULTIPLE = "multiple", _("Mehrfachauswahl")
    YES_NO = "yes_no", _("Ja / Nein / Enthaltung")
    SCALE = "scale", _("Bewertungsskala")
    RANKING = "ranking", _("Rangfolge")
    SHORT_TEXT = "short_text", _("kurzer Freitext")
    LONG_TEXT = "long_text", _("langer Freitext")
    DISTRICT = "district", _("Ortsteil")
    AGE_GROUP = "age_group", _("Altersgruppe")


# Kinds whose answers are options of the question (counted per option).
OPTION_KINDS = frozenset(
    {
        QuestionKind.SINGLE,
        QuestionKind.MULTIPLE,
        QuestionKind.YES_NO,
        QuestionKind.RANKING,
        QuestionKind.AGE_GROUP,
    }
)
TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT})
# Options that these kinds always have (created by the service, in this order).
PRESET_OPTIONS: dict[str, list[str]] = {
    QuestionKind.YES_NO: ["Ja", "Nein", "Enthaltung"],
    QuestionKind.AGE_GROUP: [
        "unter 18 Jahre",
        "18 bis 29 Jahre",
        "30 bis 44 Jahre",
        "45 bis 64 Jahre",
        "65 bis 79 Jahre",
        "80 Jahre und älter",
    ],
}
SHORT_TEXT_LIMIT = 200
LONG_TEXT_LIMIT = 5000


class Question(models.Model):
    """One question of a poll, in the order of ``position``."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("Umfrage"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    kind = models.CharField(_("Fragetyp"), max_length=12, choices=QuestionKind.choices)
    text = models.CharField(_("Frage"), max_length=300)
    help_text = models.CharField(_("Erläuterung"), max_length=500, blank=True)
    required = models.BooleanField(_("Pflichtfrage"), default=True)
    min_choices = models.PositiveSmallIntegerField(
        _("mindestens auszuwählen"),
        null=True,
        blank=True,
        help_text=_("Nur bei Mehrfachauswahl. Leer: keine Untergrenze."),
    )
    max_choices = models.PositiveSmallIntegerField(
        _("höchstens auszuwählen"),
        null=True,
        blank=True,
        help_text=_("Nur bei Mehrfachauswahl. Leer: keine Obergrenze."),
    )
    scale_min = models.SmallIntegerField(
        _("kleinster Wert"), default=1, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    scale_max = models.SmallIntegerField(
        _("größter Wert"), default=5, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    scale_min_label = models.CharField(_("Beschriftung kleinster Wert"), max_length=60, blank=True)
    scale_max_label = models.CharField(_("Beschriftung größter Wert"), max_length=60, blank=True)
    max_length = models.PositiveIntegerField(
        _("höchstens Zeichen"),
        null=True,
        blank=True,
        help_text=_("Nur bei Freitext. Leer: 200 (kurz) bzw. 5.000 (lang) Zeichen."),
    )

    class Meta:
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")
        ordering = ["poll", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="question_scale_range"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if (
            self.min_choices is not None
            and self.max_choices is not None
            and self.min_choices > self.max_choices
        ):
            errors["max_choices"] = _("„höchstens“ muss mindestens so groß sein wie „mindestens“.")
        if self.max_choices == 0:
            errors["max_choices"] = _("Höchstens 0 Antworten ergibt keine Frage.")
        if self.scale_min is not None and self.scale_max is not None:
            if self.scale_max <= self.scale_min:
                errors["scale_max"] = _("Der größte Wert muss über dem kleinsten liegen.")
        if self.max_length is not None and not 1 <= self.max_length <= LONG_TEXT_LIMIT:
            errors["max_length"] = _("Bitte eine Zahl zwischen 1 und 5.000.")
        errors.update(self._changes_to_answered())
        if errors:
            raise ValidationError(errors)

    FIXED_ONCE_ANSWERED = ("poll_id", "kind", "scale_min", "scale_max")

    def has_answers(self) -> bool:
        return bool(self.pk) and self.answers.exists()

    def _changes_to_answered(self) -> dict[str, Any]:
        """Answers are stored in the shape of the question's kind and scale: once there
        are answers, these cannot change (the results would miscount)."""
        stored = Question.objects.filter(pk=self.pk).values(*self.FIXED_ONCE_ANSWERED).first()
        if not stored or not self.has_answers():
            return {}
        message = _(
            "Diese Frage hat schon Antworten: Umfrage, Fragetyp und Skala lassen sich nicht "
            "mehr ändern. Legen Sie bei Bedarf eine neue Frage an."
        )
        changed = any(stored[name] != getattr(self, name) for name in self.FIXED_ONCE_ANSWERED)
        # Not bound to a field: the poll's inline form has no poll or scale fields.
        return {NON_FIELD_ERRORS: message} if changed else {}

    @property
    def has_options(self) -> bool:
        return self.kind in OPTION_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    def text_limit(self) -> int:
        if self.max_length:
            return self.max_length
        return SHORT_TEXT_LIMIT if self.kind == QuestionKind.SHORT_TEXT else LONG_TEXT_LIMIT

    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))

    def field_name(self) -> str:
        return f"frage-{self.pk}"


class Option(models.Model):
    """An answer option of a choice or ranking question, optionally with an image."""

    question = models.ForeignKey(
        Question, verbose_name=_("Frage"), on_delete=models.CASCADE, related_name="options"
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    label = models.CharField(_("Antwort"), max_length=200)
    image = models.ImageField(_("Bild"), upload_to=RandomName("polls/"), blank=True)
    image_alt = models.CharField(
        _("Alternativtext des Bildes"),
        max_length=250,
        blank=True,
        help_text=_(
            "Beschreibt, was auf dem Bild zu sehen ist. Pflicht, wenn ein Bild gesetzt ist."
        ),
    )

    class Meta:
        verbose_name = _("Antwortmöglichkeit")
        verbose_name_plural = _("Antwortmöglichkeiten")
        ordering = ["question", "position", "pk"]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        super().clean()
        if self.image and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": _("Bitte beschreiben Sie das Bild (Alternativtext).")}
            )


class Participation(models.Model):
    """That an account (or a guest's browser) has answered a poll: one per poll.

    The unique constraints are what makes "one response per person" hold under
    concurrency. In an anonymous poll this row is all that is kept about the person.
    """

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="poll_participations",
    )
    # NULL, not "", for accounts: the unique constraint must ignore them.
    guest_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(_("teilgenommen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Teilnahme")
        verbose_name_plural = _("Teilnahmen")
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "user"],
                condition=Q(user__isnull=False),
                name="one_participation_per_person",
            ),
            models.UniqueConstraint(
                fields=["poll", "guest_key"],
                condition=Q(guest_key__isnull=False),
                name="one_participation_per_guest_token",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.poll_id}: {self.user_id or 'Gast'}"


class PaperBatch(PaperBatchBase):
    """A stack of paper questionnaires entered by one member of staff.

    A second person can check the batch against the paper (``checked_by``); the
    person who entered it cannot check it themselves.
    """

    poll = models.ForeignKey(
        Poll, verbose_name=_("Umfrage"), on_delete=models.CASCADE, related_name="batches"
    )
    channel = models.CharField(_("Kanal"), max_length=20, choices=Channel.choices)
    place = paper_place_field(_("z. B. „Marktstand Marktplatz“ oder „Workshop im Rathaus“."))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geprüft von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("geprüft am"), null=True, blank=True)

    class Meta(PaperBatchBase.Meta):
        verbose_name = _("Stapel Papierfragebögen")
        verbose_name_plural = _("Stapel Papierfragebögen")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.collected_on:%d.%m.%Y}"

    @property
    def is_checked(self) -> bool:
        return self.checked_at is not None


class Response(TimeStampedModel):
    """One filled-in questionnaire: online, or entered from paper by staff.

    ``participation`` links an online response to who gave it, except in anonymous
    polls. ``district`` copies the answer to the Ortsteil question for breakdowns.
    """

    poll = models.ForeignKey(
        Poll, verbose_name=_("Umfrage"), on_delete=models.CASCADE, related_name="responses"
    )
    participation = models.OneToOneField(
        Participation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="response",
    )
    channel = models.CharField(
        _("Kanal"), max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    batch = models.ForeignKey(
        PaperBatch,
        verbose_name=_("Stapel"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="responses",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("Ortsteil"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The answer to the age-group question, copied here (like the Ortsteil) so that
    # results can be broken down by it in one grouped query.
    age_group = models.ForeignKey(
        Option,
        verbose_name=_("Altersgruppe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Antwortbogen")
        verbose_name_plural = _("Antwortbögen")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["poll", "channel"])]

    def __str__(self) -> str:
        return f"{self.poll_id}#{self.pk}"


class TextReview(models.TextChoices):
    PENDING = "pending", _("noch nicht geprüft")
    APPROVED = "approved", _("veröffentlicht")
    REJECTED = "rejected", _("nicht veröffentlicht")


class Answer(models.Model):
    """One answer within a response.

    Choice questions store one row per chosen option; a ranking stores one row per
    option with its place in ``number`` (1 = first); a scale stores the value in
    ``number``; free text in ``text`` (reviewed before it is published); the Ortsteil
    question in ``district``.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(
        Option, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    number = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    review = models.CharField(
        _("Prüfung"), max_length=10, choices=TextReview.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("Antwort")
        verbose_name_plural = pgettext_lazy("plural of Antwort", "Antworten")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "option"],
                condition=Q(option__isnull=False),
                name="one_answer_per_option",
            ),
        ]
        indexes = [models.Index(fields=["question", "option"])]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"


class Correction(models.Model):
    """A logged change to a paper response: who, when, why, before and after."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="corrections")
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="corrections"
    )
    response_number = models.PositiveIntegerField(_("Antwortbogen Nr."))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("korrigiert von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("korrigiert am"), auto_now_add=True)
    reason = models.CharField(_("Grund"), max_length=300)
    before = models.JSONField(_("vorher"), default=dict)
    after = models.JSONField(_("nachher"), default=dict, help_text=_("Leer: gelöscht."))

    class Meta:
        verbose_name = _("Korrektur")
        verbose_name_plural = _("Korrekturen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.response_number} {self.created_at:%d.%m.%Y %H:%M}"
