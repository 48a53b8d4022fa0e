"""Moderation: reports (Meldungen), blocked accounts and the audit log.

The hidden state itself lives on the contributions (``core.models.ModeratedModel``)
so that lists filter it without a join; this app owns every write to it
(``moderation.services``) and records each decision in ``ModerationAction``.

The moderated contributions ("targets") are what the participation modules declare
(``projects.modules.ModerationTarget``: proposals, comments, debates, and every later
module). Reports and log entries point at their target by a pair, the target's kind
(its declared ``key``) and its id, not by one foreign key per kind: this app lies below
the modules and knows none of them (docs/architecture.md, "Moderation targets", says
why and what guards the pair instead).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mitmachen.core.models import TimeStampedModel
from mitmachen.organisations.models import Organisation
from mitmachen.projects import modules
from mitmachen.projects.models import Project

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


class TargetQuerySet(models.QuerySet[Any]):
    def about(self, target: Any) -> TargetQuerySet:
        """The rows about ``target`` (a row of a declared moderation target)."""
        return self.filter(
            target_kind=modules.moderation_target_of(target).key, target_id=target.pk
        )


class PointsAtTarget(models.Model):
    """The (kind, id) pair of a declared moderation target, and the row it names."""

    target_kind = models.CharField(_("Art des Beitrags"), max_length=30, blank=True)
    target_id = models.PositiveBigIntegerField(_("Nummer des Beitrags"), null=True, blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def target(self) -> Any:
        """The contribution (loaded once, a query); None when a log entry's contribution
        is gone or its module is no longer installed."""
        if "_target" not in self.__dict__:
            self.__dict__["_target"] = None
            if self.target_id is not None and self.target_kind in modules.moderation_keys():
                declared = modules.moderation_target(self.target_kind)
                self.__dict__["_target"] = declared.rows().filter(pk=self.target_id).first()
        return self.__dict__["_target"]

    @target.setter
    def target(self, row: Any) -> None:
        self.target_kind = modules.moderation_target_of(row).key
        self.target_id = row.pk
        self.__dict__["_target"] = row

    @property
    def decision_url(self) -> str:
        """The decision page of the contribution, while it exists ("" otherwise)."""
        if self.target_id is None or self.target_kind not in modules.moderation_keys():
            return ""
        staff_slug = modules.moderation_target(self.target_kind).staff_slug
        return reverse("moderation:decide", args=[staff_slug, self.target_id])


class Report(PointsAtTarget, TimeStampedModel):
    """A signed-in person flags a contribution (a declared moderation target) for the
    moderators.

    ``target_kind`` and ``target_id`` name it (both set: a database constraint). Each
    person reports a contribution at most once (a unique constraint), so
    ``report_count`` on the contribution counts people, not clicks. ``organisation``
    and ``project`` are denormalised for the moderation queue of each municipality; a
    report goes with its contribution (``moderation.signals`` connects the deletion of
    every declared target) and with its project.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("Beteiligungsprozess"), on_delete=models.CASCADE, related_name="+"
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
            models.CheckConstraint(
                condition=~Q(target_kind="") & Q(target_id__isnull=False),
                name="report_has_a_target",
            ),
            # Also the index of the decision page and of the queue's counts per target.
            models.UniqueConstraint(
                fields=["target_kind", "target_id", "reporter"],
                name="one_report_per_person_and_target",
            ),
        ]
        # The queue: a municipality's open reports.
        indexes = [models.Index(fields=["organisation", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.target_kind} {self.target_id})"


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


class ModerationAction(PointsAtTarget, TimeStampedModel):
    """One entry of the audit log: who decided what about which contribution or person.

    A decision about a contribution names it by ``target_kind`` and ``target_id``; a
    block or unblock names no contribution, only ``target_user``. When the contribution
    is deleted, ``target_id`` is emptied (``moderation.signals``) and the kind stays;
    ``subject`` keeps a short copy of what the decision was about, so the log stays
    readable when the contribution or the account is gone. ``moderator`` is empty for
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
            # An id names a row of a declared kind.
            models.CheckConstraint(
                condition=Q(target_id__isnull=True) | ~Q(target_kind=""),
                name="moderationaction_id_has_a_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-created_at"]),
            models.Index(fields=["target_kind", "target_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"
