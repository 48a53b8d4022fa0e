"""Participation processes (projects), their phases and topics."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Self, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import F, Max, Min, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitmachen.core.models import TimeStampedModel
from mitmachen.core.uploads import RandomName
from mitmachen.organisations.models import District, Membership, Organisation

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


# What followers of a project hear about (declared in ``projects.apps``).
PHASE_STARTED = "phase_started"
PARTICIPATION_OPENED = "participation_opened"
RESULTS_PUBLISHED = "results_published"


class Visibility(models.TextChoices):
    DRAFT = "draft", _("Entwurf (nur für Mitarbeitende)")
    PUBLIC = "public", _("Öffentlich")
    PRIVATE = "private", _("Privat (nur eingeladene Personen)")


class SupportEligibility(models.TextChoices):
    REGISTERED = "registered", _("alle mit Konto")
    VERIFIED = "verified", _("nur Personen mit bestätigtem Wohnsitz")
    RESIDENTS = "residents", _("nur Einwohnerinnen und Einwohner der Ortsteile des Projekts")


class ProjectState(models.TextChoices):
    UPCOMING = "upcoming", _("demnächst")
    RUNNING = "running", _("läuft")
    FINISHED = "finished", _("abgeschlossen")


class Topic(models.Model):
    """A theme or focus topic (Thema / Schwerpunkt), e.g. "Vitale Innenstadt"."""

    name = models.CharField(_("Name"), max_length=80, unique=True)
    slug = models.SlugField(_("Kurzbezeichnung in der Adresse"), max_length=80, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProjectDates(TypedDict):
    """What ``ProjectQuerySet.with_dates()`` adds to each project (for type checking)."""

    starts_at: datetime | None
    ends_at: datetime | None


class ProjectQuerySet(models.QuerySet["Project"]):
    def visible_to(self, user: Any) -> Self:
        """Projects the user may see: public ones, private ones they were invited to,
        and all projects of organisations where they work."""
        if getattr(user, "is_superuser", False):
            return self
        condition = Q(visibility=Visibility.PUBLIC)
        if user.is_authenticated:
            condition |= Q(
                visibility=Visibility.PRIVATE,
                pk__in=ProjectMembership.objects.filter(user=user).values("project"),
            )
            condition |= Q(
                organisation__in=Membership.objects.filter(user=user).values("organisation")
            )
        return self.filter(condition)

    def with_dates(self) -> ProjectQuerySet[WithAnnotations[Project, ProjectDates]]:
        return self.annotate(starts_at=Min("phases__start"), ends_at=Max("phases__end"))

    def in_state(self, state: str, now: datetime | None = None) -> Self:
        """Filter by running / upcoming / finished; needs ``with_dates()``."""
        now = now or timezone.now()
        if state == ProjectState.RUNNING:
            return self.filter(starts_at__lte=now, ends_at__gt=now)
        if state == ProjectState.UPCOMING:
            return self.filter(starts_at__gt=now)
        if state == ProjectState.FINISHED:
            return self.filter(ends_at__lte=now)
        return self

    def for_organisation(self, organisation: Organisation) -> Self:
        partners = Project.partner_organisations.through.objects.filter(organisation=organisation)
        return self.filter(Q(organisation=organisation) | Q(pk__in=partners.values("project")))

    def for_listing(self) -> ProjectQuerySet[WithAnnotations[Project, ProjectDates]]:
        """Everything a project card needs, in a fixed number of queries."""
        return (
            self.with_dates()
            .select_related("organisation")
            .prefetch_related("topics", "phases", "partner_organisations")
        )


class Project(TimeStampedModel):
    """A participation process (Beteiligungsprozess) with ordered phases.

    ``organisation`` runs the project; ``partner_organisations`` take part (a
    project across both towns). Visibility decides who can see it: draft for staff
    only, public for everyone, private for invited members and staff.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Kommune"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    partner_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("Partnerkommunen"),
        blank=True,
        related_name="partner_projects",
    )
    title = models.CharField(_("Titel"), max_length=120)
    slug = models.SlugField(_("Kurzbezeichnung in der Adresse"), max_length=120, unique=True)
    summary = models.CharField(
        _("Kurzbeschreibung"),
        max_length=280,
        help_text=_("Ein bis zwei Sätze für Listen und Vorschauen, höchstens 280 Zeichen."),
    )
    description = models.TextField(
        _("Beschreibung"),
        blank=True,
        max_length=20_000,
        validators=[MaxLengthValidator(20_000)],
        help_text=_("Markdown."),
    )
    easy_language = models.TextField(
        _("In Leichter Sprache"),
        blank=True,
        max_length=10_000,
        validators=[MaxLengthValidator(10_000)],
        help_text=_(
            "Markdown. Das Wichtigste zur Beteiligung in Leichter Sprache: kurze Sätze, "
            "ein Gedanke pro Satz, keine Abkürzungen, schwere Wörter erklärt. Bleibt immer "
            "deutsch; die Projektseite verlinkt es mit „In Leichter Sprache“."
        ),
    )
    image = models.ImageField(_("Bild"), upload_to=RandomName("projects/"), blank=True)
    image_alt = models.CharField(
        _("Alternativtext des Bildes"),
        max_length=250,
        blank=True,
        help_text=_(
            "Beschreibt, was auf dem Bild zu sehen ist. Pflicht, wenn ein Bild gesetzt ist."
        ),
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("Themen"), blank=True, related_name="projects"
    )
    districts = models.ManyToManyField(
        District, verbose_name=_("Ortsteile"), blank=True, related_name="projects"
    )
    visibility = models.CharField(
        _("Sichtbarkeit"), max_length=10, choices=Visibility.choices, default=Visibility.DRAFT
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Projektleitung"),
        blank=True,
        related_name="managed_projects",
        help_text=_("Personen mit der Rolle Projektleitung, die dieses Projekt bearbeiten."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eingeladene Personen"),
        blank=True,
        through="ProjectMembership",
        related_name="member_projects",
    )

    # The person residents may ask about the process (shown on the project page). Staff's
    # work contact, typed in the set-up; not linked to an account.
    contact_name = models.CharField(_("Ansprechperson"), max_length=120, blank=True)
    contact_phone = models.CharField(
        _("Telefon der Ansprechperson"),
        max_length=40,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[0-9 ()/–-]{3,40}$",
                _("Bitte nur Ziffern, Leerzeichen und + ( ) / - eingeben."),
            )
        ],
    )
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), max_length=254, blank=True)

    support_quorum = models.PositiveIntegerField(
        _("Quorum"),
        null=True,
        blank=True,
        help_text=_(
            "Ab so vielen Unterstützungen gilt ein Vorschlag als „Quorum erreicht“ "
            "und wird der Verwaltung vorgelegt. Leer: kein Quorum."
        ),
    )
    support_eligibility = models.CharField(
        _("Wer darf unterstützen?"),
        max_length=12,
        choices=SupportEligibility.choices,
        default=SupportEligibility.REGISTERED,
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("Beteiligungsprozess")
        verbose_name_plural = _("Beteiligungsprozesse")
        ordering = ["title"]
        indexes = [models.Index(fields=["visibility", "organisation"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if self.image and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": _("Bitte beschreiben Sie das Bild (Alternativtext).")}
            )

    # Phase logic works on the prefetched phases, so lists stay at a fixed query count.
    def ordered_phases(self) -> list[Phase]:
        return sorted(self.phases.all(), key=lambda p: (p.start, p.pk or 0))

    def current_phase(self, now: datetime | None = None) -> Phase | None:
        now = now or timezone.now()
        return next((p for p in self.ordered_phases() if p.start <= now < p.end), None)

    def next_phase(self, now: datetime | None = None) -> Phase | None:
        now = now or timezone.now()
        return next((p for p in self.ordered_phases() if p.start > now), None)

    def state(self, now: datetime | None = None) -> str | None:
        now = now or timezone.now()
        phases = self.ordered_phases()
        if not phases:
            return None
        if now < phases[0].start:
            return ProjectState.UPCOMING
        if now >= max(p.end for p in phases):
            return ProjectState.FINISHED
        return ProjectState.RUNNING

    def state_label(self, now: datetime | None = None) -> str:
        state = self.state(now)
        return str(ProjectState(state).label) if state else str(_("ohne Zeitplan"))

    def allows(self, action: str, now: datetime | None = None) -> bool:
        """Does the current phase let participants do ``action``?"""
        if self.visibility == Visibility.DRAFT:
            return False
        phase = self.current_phase(now)
        return phase is not None and action in phase.actions

    def all_organisations(self) -> list[Organisation]:
        return [self.organisation, *self.partner_organisations.all()]


class Phase(models.Model):
    """One step of a project, with dates and the actions participants may take in it.

    What is allowed is data (``actions``), not code: a phase of a survey allows
    "answer", a proposal phase "propose" and "comment", and so on.
    """

    project = models.ForeignKey(
        Project,
        verbose_name=_("Beteiligungsprozess"),
        on_delete=models.CASCADE,
        related_name="phases",
    )
    name = models.CharField(_("Name"), max_length=120)
    description = models.TextField(
        _("Beschreibung"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"))
    actions = models.JSONField(
        _("Erlaubte Beteiligung"),
        default=list,
        blank=True,
        help_text=_("Was Teilnehmende in dieser Phase tun dürfen."),
    )
    # Set once, by ``services.phases_started_notify`` with ``UPDATE … WHERE
    # followers_notified_at IS NULL``: only the run whose UPDATE changed the row notifies.
    followers_notified_at = models.DateTimeField(
        _("Folgende benachrichtigt am"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("Phase")
        verbose_name_plural = _("Phasen")
        ordering = ["project", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="phase_end_after_start")
        ]

    def __str__(self) -> str:
        return self.name

    def action_labels(self) -> list[str]:
        """The German labels of what this phase allows (declared by the modules)."""
        from mitmachen.projects import modules

        known = modules.action_keys()
        return [str(modules.action_label(a)) for a in self.actions if a in known]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        from mitmachen.projects import modules

        known = modules.action_keys()
        if not isinstance(self.actions, list) or any(a not in known for a in self.actions):
            errors["actions"] = _("Unbekannte Beteiligungsart.")
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("Das Ende muss nach dem Beginn liegen.")
        if errors:
            raise ValidationError(errors)

    def is_current(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.start <= now < self.end

    def is_past(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.end


def find_overlap(phases: Iterable[Phase]) -> tuple[Phase, Phase] | None:
    """The first two phases (by start) that overlap, or ``None``.

    Checked on the whole set of a project's phases at once (the admin formset),
    so phases can be moved together in one edit.
    """
    ordered = sorted((p for p in phases if p.start and p.end), key=lambda p: p.start)
    for earlier, later in pairwise(ordered):
        if later.start < earlier.end:
            return earlier, later
    return None


def publish_refusal(visibility: str, has_phases: bool) -> str:
    """Why a project cannot have ``visibility`` (German), or ``""``: a published project
    needs at least one phase (the set-up's publish step and the admin both ask this)."""
    if visibility != Visibility.DRAFT and not has_phases:
        return str(
            _(
                "Bitte legen Sie vor dem Veröffentlichen mindestens eine Phase an: "
                "Ohne Zeitplan kann niemand teilnehmen."
            )
        )
    return ""


class ProjectMembership(TimeStampedModel):
    """An invitation of a person into a private project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_memberships"
    )

    class Meta:
        verbose_name = _("eingeladene Person")
        verbose_name_plural = _("eingeladene Personen")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_membership_per_project")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.project}"


class ProjectInvitation(TimeStampedModel):
    """An invitation into a project (private, or a draft to become one) sent to an e-mail
    address that no account has confirmed yet.

    It becomes a ``ProjectMembership`` when a person confirms this address for their
    account (``invitation_services.invitations_accept``, on allauth's ``email_confirmed``), and the
    row goes. ``email`` is stored in lower case: one invitation per address and project.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("E-Mail-Adresse"), max_length=254)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eingeladen von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("offene Einladung")
        verbose_name_plural = _("offene Einladungen")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["project", "email"], name="one_invitation_per_address"),
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="invitation_email_lower_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} @ {self.project}"


class Follow(TimeStampedModel):
    """A person follows a project to hear about new phases and results."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_follow_per_project")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.project}"


class FollowDigest(models.Model):
    """One weekly summary mail of followed projects to one person, for one ``period``
    (ISO week, "2026-W23"). Unique per person and period: the weekly command sends at
    most one per week, however often it runs and with however many workers."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_digests"
    )
    period = models.CharField(_("Zeitraum"), max_length=10)
    sent_at = models.DateTimeField(_("versandt am"), default=timezone.now)

    class Meta:
        verbose_name = _("Wochenzusammenfassung")
        verbose_name_plural = _("Wochenzusammenfassungen")
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="one_follow_digest_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.period}"


class FollowDigestItem(models.Model):
    """A notification about a followed project (or a followed measure, see
    ``follow_events.DigestKind``), waiting for the person's weekly summary.

    Written with the notification for people who chose the weekly summary
    (``User.follow_mail``); ``digest`` is set when a summary takes it (pending while
    empty). Holds no text of its own: title and link are the notification's.
    """

    notification = models.OneToOneField(
        "notifications.Notification", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # None: about something followed outside a project (a measure of no project, see
    # ``follow_events.DigestKind``).
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    digest = models.ForeignKey(
        FollowDigest, null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )

    class Meta:
        verbose_name = _("Eintrag der Wochenzusammenfassung")
        verbose_name_plural = _("Einträge der Wochenzusammenfassung")
        indexes = [
            models.Index(
                fields=["user"], condition=Q(digest__isnull=True), name="follow_digest_pending_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.notification_id}"
