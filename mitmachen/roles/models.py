"""Invitations into a municipality's staff and the log of every role change.

The roles themselves stay where the permissions read them: ``organisations.Membership``
(one role per person and municipality) and ``projects.Project.managers`` (the projects a
project manager leads). Every write to them from the site goes through
``roles.services``, which also writes the log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitmachen.organisations.models import Organisation, Role


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        """Neither accepted nor withdrawn (an expired one is still open, but refused)."""
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)


class Invitation(models.Model):
    """An invitation by e-mail into a municipality's staff, for a person without an account.

    The link in the mail carries a random token; only its SHA-256 is stored, so a copy of
    the database opens no invitation. Accepting it (signed in with the invited address)
    gives the role once; afterwards, or after ``expires_at``, the link says so in German.
    At most one open invitation per address and municipality (the database holds it).
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("E-Mail-Adresse"))
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eingeladen von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("eingeladen am"), default=timezone.now)
    expires_at = models.DateTimeField(_("gültig bis"))
    accepted_at = models.DateTimeField(_("angenommen am"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True, withdrawn_at__isnull=True),
                name="one_open_invitation_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()} ({self.organisation})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class Action(models.TextChoices):
    INVITED = "invited", _("eingeladen")
    INVITATION_WITHDRAWN = "withdrawn", _("Einladung zurückgezogen")
    INVITATION_ACCEPTED = "accepted", _("Einladung angenommen")
    GRANTED = "granted", _("Rolle vergeben")
    CHANGED = "changed", _("Rolle geändert")
    REMOVED = "removed", _("Zugang entfernt")
    PROJECT_ASSIGNED = "assigned", _("Projektleitung übertragen")
    PROJECT_UNASSIGNED = "unassigned", _("Projektleitung abgegeben")


class RoleChange(models.Model):
    """One entry of the role log of a municipality: who changed whose role, how, when.

    ``actor`` and ``person`` are kept as keys (``SET_NULL``: a deleted account shows as
    "gelöschtes Konto"); ``email`` is the invited address while no account exists, and
    is emptied when an account with that address is deleted (``personal_data``).
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("Beteiligungsprozess"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geändert von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(_("eingeladene Adresse"), blank=True)
    action = models.CharField(_("Änderung"), max_length=12, choices=Action.choices)
    role_before = models.CharField(
        _("Rolle vorher"), max_length=20, choices=Role.choices, blank=True
    )
    role_after = models.CharField(
        _("Rolle nachher"), max_length=20, choices=Role.choices, blank=True
    )
    created_at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Rollenänderung")
        verbose_name_plural = _("Rollenänderungen")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.get_action_display()}"
