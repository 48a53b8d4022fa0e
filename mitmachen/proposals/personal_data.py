"""Contribution of the proposals app to "Meine Daten"."""

from __future__ import annotations

from typing import Any

from mitmachen.core.registry import register
from mitmachen.proposals.models import Proposal, ProposalFollow, Support


@register("vorschlaege")
def export_proposals(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "titel": p.title,
            "text": p.text,
            "beteiligungsprozess": p.project.title,
            "eingereicht_am": p.created_at.isoformat(),
            "ortsteil": p.district.name if p.district else None,
            "ort": p.place_description,
            "koordinaten": [p.lon, p.lat] if p.has_point else None,
            "zurueckgezogen_am": p.withdrawn_at.isoformat() if p.withdrawn_at else None,
            "ausgeblendet_am": p.hidden_at.isoformat() if p.hidden_at else None,
            "begruendung_der_moderation": p.hidden_reason or None,
        }
        for p in Proposal.objects.filter(author=user).select_related("project", "district")
    ]


@register("unterstuetzungen")
def export_supports(user: Any) -> list[dict[str, Any]]:
    return [
        {"vorschlag": s.proposal.title, "am": s.created_at.isoformat()}
        for s in Support.objects.filter(user=user).select_related("proposal")
    ]


@register("gefolgte_vorschlaege")
def export_follows(user: Any) -> list[dict[str, Any]]:
    return [
        {"vorschlag": f.proposal.title, "seit": f.created_at.isoformat()}
        for f in ProposalFollow.objects.filter(user=user).select_related("proposal")
    ]
