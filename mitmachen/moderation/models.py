"""Moderation: reports (Meldungen), blocked accounts and the audit log.

The hidden state itself lives on the contributions (``core.models.ModeratedModel``)
so that lists filter it without a join; this app owns every write to it
(``moderation.services``) and records each decision in ``ModerationAction``.

The moderated contributions ("targets") are proposals, comments and debates. Reports
and log entries point at their target with one explicit foreign key per kind
(``TARGET_FIELDS``), and a check constraint allows exactly one (reports) or at most
one (log entries: blocks have none, and a deleted target leaves none).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mitmachen.comments.models import Comment
from mitmachen.core.models import TimeStampedModel
from mitmachen.debates.models import Debate
from mitmachen.organisations.models import Organisation
from mitmachen.projects.models import Project
from mitmachen.proposals.models import Proposal

# The kinds of notification moderation sends (declared in ``moderation.module``).
CONTENT_HIDDEN = "content_hidden"
CONTENT_RESTORED = "content_restored"
REPORT_RESOLVED = "report_resolved"


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Werbung oder Spam")
    INSULT = "insult", _("Beleidigung, Hass oder Bedrohung")
    PERSONAL_DATA = "personal_data", _("Persönliche Daten anderer")
    ILLEGAL = "illegal", _("Möglicherweise rechtswidrig")
    OFF_TOPIC = "off_topic", _("Gehört nicht zum Thema")
    OTHER = "other", _("Anderer Grund")


class Resolution(models.TextChoices):
    HIDDEN = "hidden", _("ausgeblendet")
    DISMISSED = "dismissed", _("geprüft, bleibt sichtbar")


# The foreign key of each kind of target, on ``Report`` and ``ModerationAction``.
TARGET_FIELDS = ("proposal", "comment", "debate")


def _only(field: str) -> Q:
    """``field`` is set and every other target field is empty."""
    condition = Q(**{f"{field}__isnull": False})
    for other in TARGET_FIELDS:
        if other != field:
            condition &= Q(**{f"{other}__isnull": True})
    return condition


def _one_target() -> Q:
    condition = Q()
    for field in TARGET_FIELDS:
        condition |= _only(field)
    return condition


def _at_most_one_target() -> Q:
    none = Q()
    for field in TARGET_FIELDS:
        none &= Q(**{f"{field}__isnull": True})
    return none | _one_target()


class Report(TimeStampedModel):
    """A signed-in person flags a proposal, a comment or a debate for the moderators.

    Exactly one of ``proposal``, ``comment`` and ``debate`` is set. Each person reports
    a contribution at most once (database constraints), so ``report_count`` on the
    contribution counts people, not clicks. ``organisation`` and ``project`` are
    denormalised for the moderation queue of each municipality.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("Beteiligungsprozess"), on_delete=models.CASCADE, related_name="+"
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("Vorschlag"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("Kommentar"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    debate = models.ForeignKey(
        Debate,
        verbose_name=_("Debatte"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gemeldet von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    reason = models.CharField(_("Grund"), max_length=20, choices=ReportReason.choices)
    text = models.TextField(
        _("Erläuterung"), blank=True, max_length=1000, validators=[MaxLengthValidator(1000)]
    )
    resolved_at = models.DateTimeField(_("bearbeitet am"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bearbeitet von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution = models.CharField(
        _("Ergebnis"), max_length=20, choices=Resolution.choices, blank=True
    )

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=_one_target(), name="report_has_one_target"),
            models.UniqueConstraint(
                fields=["proposal", "reporter"],
                condition=Q(proposal__isnull=False),
                name="one_report_per_person_and_proposal",
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=Q(comment__isnull=False),
                name="one_report_per_person_and_comment",
            ),
            models.UniqueConstraint(
                fields=["debate", "reporter"],
                condition=Q(debate__isnull=False),
                name="one_report_per_person_and_debate",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "resolved_at"])]

    def __str__(self) -> str:
        return (
            f"{self.get_reason_display()} ({self.proposal_id or self.comment_id or self.debate_id})"
        )

    @property
    def target(self) -> Proposal | Comment | Debate:
        if self.proposal_id:
            return self.proposal  # type: ignore[return-value]
        if self.comment_id:
            return self.comment  # type: ignore[return-value]
        return self.debate  # type: ignore[return-value]


class Block(TimeStampedModel):
    """A person may not take part in the projects of one municipality; their content
    there is hidden until the block is lifted (then the row goes, the log stays)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="blocks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="blocks",
    )
    reason = models.CharField(_("Begründung"), max_length=500)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gesperrt von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Sperrung")
        verbose_name_plural = _("Sperrungen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_block_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class ActionKind(models.TextChoices):
    HIDE = "hide", _("ausgeblendet")
    AUTO_HIDE = "auto_hide", _("automatisch ausgeblendet")
    RESTORE = "restore", _("wieder sichtbar gemacht")
    DISMISS = "dismiss", _("Meldungen verworfen")
    BLOCK = "block", _("Konto gesperrt")
    UNBLOCK = "unblock", _("Sperrung aufgehoben")


class ModerationAction(TimeStampedModel):
    """One entry of the audit log: who decided what about which contribution or person.

    A decision about a contribution points at it through ``proposal``, ``comment`` or
    ``debate`` (at most one: a database constraint); a block or unblock points at no
    contribution, only at ``target_user``. The keys are ``SET_NULL``: ``subject``
    keeps a short copy of what the decision was about, so the log stays readable when
    the contribution or the account is gone later. ``moderator`` is empty for
    automatic decisions (hidden after too many reports).
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="+"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Moderation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("Aktion"), max_length=20, choices=ActionKind.choices)
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("Vorschlag"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("Kommentar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    debate = models.ForeignKey(
        Debate,
        verbose_name=_("Debatte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("betroffene Person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(_("Gegenstand"), max_length=200)
    reason = models.TextField(_("Begründung"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("Moderationsentscheidung")
        verbose_name_plural = _("Moderationsprotokoll")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=_at_most_one_target(), name="moderationaction_at_most_one_target"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"
