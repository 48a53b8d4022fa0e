"""What the roles app keeps about a person, for "Meine Daten" and account deletion.

The log of role changes names people by key (``SET_NULL``: after deletion an entry says
"gelöschtes Konto") and, for invitations to people without an account, by address; the
eraser empties those addresses and deletes the invitations sent to the person's
addresses, so nothing in the app identifies them afterwards.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Q

from mitmachen.core.registry import register, register_eraser
from mitmachen.roles.models import Invitation, RoleChange


def _addresses(user: Any) -> set[str]:
    return {user.email.lower()} | {
        a.lower() for a in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }


@register("rollenaenderungen")
def export_role_changes(user: Any) -> list[dict[str, Any]]:
    addresses = _addresses(user)
    changes = (
        RoleChange.objects.filter(Q(person=user) | Q(actor=user) | Q(email__in=addresses))
        .select_related("organisation", "project")
        .order_by("created_at", "pk")
    )
    return [
        {
            "zeitpunkt": c.created_at.isoformat(),
            "kommune": c.organisation.name,
            "prozess": c.project.title if c.project else "",
            "aenderung": str(c.get_action_display()),
            "rolle_vorher": str(c.get_role_before_display()),
            "rolle_nachher": str(c.get_role_after_display()),
            "von_ihnen": c.actor_id == user.pk,
            "betrifft_sie": c.person_id == user.pk or c.email in addresses,
        }
        for c in changes
    ]


@register("einladungen_zur_mitarbeit")
def export_invitations(user: Any) -> list[dict[str, Any]]:
    invitations = (
        Invitation.objects.filter(Q(email__in=_addresses(user)) | Q(invited_by=user))
        .select_related("organisation")
        .order_by("created_at", "pk")
    )
    return [
        {
            "kommune": i.organisation.name,
            "adresse": i.email,
            "rolle": str(i.get_role_display()),
            "eingeladen_am": i.created_at.isoformat(),
            "angenommen_am": i.accepted_at.isoformat() if i.accepted_at else "",
            "von_ihnen_versandt": i.invited_by_id == user.pk,
        }
        for i in invitations
    ]


@register_eraser("einladungen_zur_mitarbeit")
def erase_invitations(user: Any) -> None:
    addresses = _addresses(user)
    Invitation.objects.filter(email__in=addresses).delete()
    RoleChange.objects.filter(email__in=addresses).update(email="")
