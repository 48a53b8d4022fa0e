"""Contribution of the projects app to "Meine Daten"."""

from __future__ import annotations

from typing import Any

from mitmachen.core.registry import register, register_eraser
from mitmachen.projects.models import Follow, ProjectInvitation, ProjectMembership


@register("abonnierte_beteiligungsprozesse")
def export_follows(user: Any) -> list[dict[str, Any]]:
    return [
        {"projekt": f.project.title, "seit": f.created_at.isoformat()}
        for f in Follow.objects.filter(user=user).select_related("project").order_by("created_at")
    ]


@register("einladungen_in_private_prozesse")
def export_memberships(user: Any) -> list[dict[str, Any]]:
    return [
        {"projekt": m.project.title, "seit": m.created_at.isoformat()}
        for m in ProjectMembership.objects.filter(user=user).select_related("project")
    ]


@register("offene_einladungen_an_ihre_adressen")
def export_invitations(user: Any) -> list[dict[str, Any]]:
    """Invitations to an address of the account that it has not confirmed yet."""
    from allauth.account.models import EmailAddress

    addresses = [
        a.lower() for a in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    ]
    if user.email:
        addresses.append(user.email.lower())
    return [
        {"projekt": i.project.title, "adresse": i.email, "seit": i.created_at.isoformat()}
        for i in ProjectInvitation.objects.filter(email__in=addresses).select_related("project")
    ]


@register_eraser("projects_invitations")
def erase_invitations(user: Any) -> None:
    """Open invitations to the account's addresses go with it (the address is its)."""
    from allauth.account.models import EmailAddress

    addresses = [
        a.lower() for a in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    ]
    if user.email:
        addresses.append(user.email.lower())
    ProjectInvitation.objects.filter(email__in=addresses).delete()
