"""Contribution of the debates app to "Meine Daten" (comments are in ``kommentare``)."""

from __future__ import annotations

from typing import Any

from mitmachen.core.registry import register
from mitmachen.debates.models import Debate


@register("debatten")
def export_debates(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "frage": d.question,
            "erlaeuterung": d.description,
            "beteiligungsprozess": d.project.title,
            "eroeffnet_am": d.created_at.isoformat(),
            "abgeschlossen_am": d.closed_at.isoformat() if d.closed_at else None,
            "ausgeblendet_am": d.hidden_at.isoformat() if d.hidden_at else None,
            "begruendung_der_moderation": d.hidden_reason or None,
        }
        for d in Debate.objects.filter(author=user).select_related("project")
    ]
