"""Contribution of the events app to "Meine Daten": the person's registrations.

Registrations belong to the account (``CASCADE``): deleting the account deletes them.
"""

from __future__ import annotations

from typing import Any

from mitmachen.core.registry import register
from mitmachen.events.models import Registration


@register("veranstaltungen")
def export_registrations(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "veranstaltung": r.event.title,
            "beginn": r.event.starts_at.isoformat(),
            "status": r.get_status_display(),
            "angemeldet_am": r.created_at.isoformat(),
        }
        for r in Registration.objects.filter(user=user).select_related("event")
    ]
