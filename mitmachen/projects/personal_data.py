"""Contribution of the projects app to "Meine Daten"."""

from __future__ import annotations

from typing import Any

from mitmachen.core.registry import register
from mitmachen.projects.models import Follow, ProjectMembership


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
