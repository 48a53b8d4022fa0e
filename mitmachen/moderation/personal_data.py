"""Contribution of the moderation app to "Meine Daten": the person's own reports and blocks."""

from __future__ import annotations

from typing import Any

from mitmachen.accounts.registry import register
from mitmachen.moderation.models import Block, Report


@register("meldungen")
def export_reports(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "gemeldet": ("Vorschlag " if r.proposal_id else "Kommentar ")
            + str(r.proposal_id or r.comment_id),
            "grund": r.get_reason_display(),
            "erlaeuterung": r.text,
            "am": r.created_at.isoformat(),
            "ergebnis": r.get_resolution_display() or "offen",
        }
        for r in Report.objects.filter(reporter=user)
    ]


@register("sperrungen")
def export_blocks(user: Any) -> list[dict[str, Any]]:
    return [
        {"kommune": b.organisation.name, "begruendung": b.reason, "seit": b.created_at.isoformat()}
        for b in Block.objects.filter(user=user).select_related("organisation")
    ]
