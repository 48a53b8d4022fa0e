"""Proposals (Vorschläge) and the supports they collect."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mitmachen.accounts.models import public_name
from mitmachen.core.channels import Channel
from mitmachen.core.models import ModeratedModel, TimeStampedModel
from mitmachen.core.uploads import RandomName
from mitmachen.organisations.models import District
from mitmachen.projects.models import Project, Topic

# The kinds of notification proposals sends (declared in ``proposals.module``).
STATUS_CHANGED = "status_changed"
QUORUM_REACHED = "quorum_reached"

# The phase actions of proposals (declared in ``proposals.module``).
PROPOSE = "propose"
SUPPORT = "support"


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("eingegangen")
    QUORUM_REACHED = "quorum_reached", _("Quorum erreicht")
    IN_REVIEW = "in_review", _("in Prüfung")
    ACCEPTED = "accepted", _("angenommen")
    REJECTED = "rejected", _("abgelehnt")
    IMPLEMENTED = "implemented", _("umgesetzt")


class CustomStatus(models.Model):
    """A status a project adds to the standard ones, e.g. "An den Ortsbeirat weitergeleitet".

    Each custom status stands for one of the standard statuses (``base``): lists
    filter and colour by the base, and the page shows the custom name.
    """

    project = models.ForeignKey(
        Project,
        verbose_name=_("Beteiligungsprozess"),
        on_delete=models.CASCADE,
        related_name="custom_statuses",
    )
    name = models.CharField(_("Bezeichnung"), max_length=60)
    base = models.CharField(
        _("entspricht"),
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.IN_REVIEW,
        help_text=_("Welchem Standardstatus dieser Status entspricht (Filter und Farbe)."),
    )
    description = models.CharField(_("Erläuterung"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("eigener Status")
        verbose_name_plural = _("eigene Status")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="custom_status_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class StatusLabelMixin:
    """The status name shown: the project's custom status if one is set."""

    status: str
    custom_status: CustomStatus | None

    @property
    def status_label(self) -> str:
        if self.custom_status is not None:
            return self.custom_status.name
        return str(dict(ProposalStatus.choices).get(self.status, self.status))

    @property
    def status_tone(self) -> str:
        """KERN badge tone for the status: success, danger or info."""
        if self.status in {
            ProposalStatus.QUORUM_REACHED,
            ProposalStatus.ACCEPTED,
            ProposalStatus.IMPLEMENTED,
        }:
            return "success"
        if self.status == ProposalStatus.REJECTED:
            return "danger"
        return "info"


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def for_listing(self) -> ProposalQuerySet:
        """What a proposal card shows, in one query."""
        return self.select_related("author", "topic", "district", "project", "custom_status")

    def published(self) -> ProposalQuerySet:
        """Neither withdrawn nor hidden by moderation: open for supports and comparisons."""
        return self.filter(withdrawn_at__isnull=True, hidden_at__isnull=True)

    def not_hidden(self) -> ProposalQuerySet:
        return self.filter(hidden_at__isnull=True)


class Proposal(StatusLabelMixin, ModeratedModel, TimeStampedModel):
    """A resident's idea in a project, open for supports and (later) comments.

    ``support_count`` is kept in the same transaction as the ``Support`` rows
    (see services), so lists can sort and show it without counting. An offline
    proposal records its channel, the date and place it was handed in, and the
    member of staff who entered it.
    """

    project = models.ForeignKey(
        Project,
        verbose_name=_("Beteiligungsprozess"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verfasst von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    title = models.CharField(_("Titel"), max_length=120)
    text = models.TextField(
        _("Beschreibung"),
        max_length=5000,
        validators=[MaxLengthValidator(5000)],
        help_text=_("Was schlagen Sie vor, und warum? Höchstens 5.000 Zeichen."),
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("Thema"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("Ortsteil"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    lon = models.FloatField(_("Längengrad"), null=True, blank=True)
    lat = models.FloatField(_("Breitengrad"), null=True, blank=True)
    place_description = models.CharField(
        _("Ort"),
        max_length=200,
        blank=True,
        help_text=_("Zum Beispiel „Marktplatz vor dem Rathaus“."),
    )
    channel = models.CharField(
        _("Kanal"), max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    submitted_on = models.DateField(
        _("eingereicht am"),
        null=True,
        blank=True,
        help_text=_("Bei Vorschlägen aus Veranstaltungen: der Tag der Abgabe."),
    )
    offline_place = models.CharField(
        _("Veranstaltung / Ort der Abgabe"), max_length=200, blank=True
    )
    offline_name = models.CharField(
        _("Name der einreichenden Person"),
        max_length=120,
        blank=True,
        help_text=_("Nur mit Einwilligung der Person öffentlich."),
    )
    offline_consent = models.BooleanField(_("Einwilligung zur Nennung des Namens"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.SUBMITTED,
    )
    custom_status = models.ForeignKey(
        CustomStatus,
        verbose_name=_("eigener Status"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    support_count = models.PositiveIntegerField(_("Unterstützungen"), default=0, editable=False)
    comment_count = models.PositiveIntegerField(
        _("Kommentare"),
        default=0,
        editable=False,
        help_text=_("Sichtbare Kommentare; wird von der Kommentarfunktion gepflegt."),
    )
    quorum_reached_at = models.DateTimeField(_("Quorum erreicht am"), null=True, blank=True)
    official_response = models.TextField(
        _("Rückmeldung der Verwaltung"),
        blank=True,
        max_length=5000,
        validators=[MaxLengthValidator(5000)],
        help_text=_("Öffentlich sichtbar. Markdown."),
    )
    responded_at = models.DateTimeField(_("Rückmeldung vom"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)
    withdrawal_reason = models.TextField(
        _("Grund für das Zurückziehen"),
        blank=True,
        max_length=1000,
        validators=[MaxLengthValidator(1000)],
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("Vorschlag")
        verbose_name_plural = _("Vorschläge")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(lon__isnull=True) & Q(lat__isnull=True))
                | (Q(lon__gte=-180, lon__lte=180) & Q(lat__gte=-90, lat__lte=90)),
                name="proposal_point_complete_and_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "-created_at"]),
            models.Index(fields=["project", "-support_count"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", kwargs={"pk": self.pk})

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def has_point(self) -> bool:
        return self.lon is not None and self.lat is not None

    def public_author(self) -> str:
        """Who handed it in, as the public page says it."""
        if self.author_id is not None or self.channel == Channel.ONLINE:
            return public_name(self.author)
        if self.offline_name and self.offline_consent:
            return self.offline_name
        return str(_("einer Teilnehmerin oder einem Teilnehmer"))

    def quorum_progress(self) -> dict[str, Any] | None:
        quorum = self.project.support_quorum
        if not quorum:
            return None
        return {"quorum": quorum, "percent": min(100, round(100 * self.support_count / quorum))}


class ProposalImage(TimeStampedModel):
    """A photo or sketch for a proposal. Stored without metadata (EXIF/GPS) and resized.

    Every image either describes itself in ``alt_text`` or is marked decorative.
    """

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("Vorschlag"), on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(_("Bild"), upload_to=RandomName("proposals/images/%Y/%m/"))
    alt_text = models.CharField(_("Bildbeschreibung"), max_length=250, blank=True)
    decorative = models.BooleanField(_("nur schmückend"), default=False)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Bild")
        verbose_name_plural = _("Bilder")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt_text="") | Q(decorative=True), name="image_alt_or_decorative"
            )
        ]

    def __str__(self) -> str:
        return self.alt_text or str(_("Bild"))


class ProposalAttachment(TimeStampedModel):
    """A PDF attached to a proposal, validated as a readable, unencrypted PDF."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("Vorschlag"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("Datei"), upload_to=RandomName("proposals/files/%Y/%m/"))
    title = models.CharField(_("Titel"), max_length=200)
    size = models.PositiveIntegerField(_("Größe in Bytes"))
    pages = models.PositiveIntegerField(_("Seiten"))
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("PDF-Anhang")
        verbose_name_plural = _("PDF-Anhänge")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class ProposalStatusChange(StatusLabelMixin, TimeStampedModel):
    """One entry of a proposal's public status history, with the response given."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("Vorschlag"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    status = models.CharField(_("Status"), max_length=20, choices=ProposalStatus.choices)
    custom_status = models.ForeignKey(
        CustomStatus,
        verbose_name=_("eigener Status"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    response = models.TextField(
        _("Rückmeldung"), max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geändert von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Statusänderung")
        verbose_name_plural = _("Statusänderungen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.status_label}"


class Support(TimeStampedModel):
    """One person supports one proposal – at most once, enforced by the database.

    The user link is set to NULL when the account is deleted: the support was
    given and keeps counting, but no longer says by whom.
    """

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("Vorschlag"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="supports",
    )

    class Meta:
        verbose_name = _("Unterstützung")
        verbose_name_plural = _("Unterstützungen")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_support_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id}"


class ProposalFollow(TimeStampedModel):
    """A person follows a proposal: status changes, responses and new comments reach them
    as notifications. Authors follow their proposals from the start."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("Vorschlag"), on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="proposal_follows",
    )

    class Meta:
        verbose_name = _("Vorschlag-Abonnement")
        verbose_name_plural = _("Vorschlag-Abonnements")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_follow_per_proposal")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id}"
