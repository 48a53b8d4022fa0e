"""Contribution of the organisations app to "Meine Daten"."""

from __future__ import annotations

from typing import Any

from mitmachen.core.registry import register, register_eraser
from mitmachen.organisations.models import AccessibilityFeedback, Membership


@register("mitarbeit_in_kommunen")
def export_memberships(user: Any) -> list[dict[str, Any]]:
    return [
        {"kommune": m.organisation.name, "rolle": str(m.get_role_display())}
        for m in Membership.objects.filter(user=user).select_related("organisation")
    ]


@register("rueckmeldungen_barrierefreiheit")
def export_feedback(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "kommune": f.organisation.name,
            "gesendet_am": f.created_at.isoformat(),
            "seite": f.page_url,
            "nachricht": f.message,
        }
        for f in AccessibilityFeedback.objects.filter(user=user).select_related("organisation")
    ]


@register_eraser("rueckmeldungen_barrierefreiheit")
def erase_feedback(user: Any) -> None:
    # Feedback messages stay for the municipality's records, without who sent them.
    AccessibilityFeedback.objects.filter(user=user).update(name="", email="", user=None)
