"""Contribution of measures to "Meine Daten": the measures followed and updates written."""

from __future__ import annotations

from typing import Any

from mitmachen.core.registry import register
from mitmachen.measures.models import MeasureFollow, MeasureUpdate


@register("massnahmen")
def export_measures(user: Any) -> dict[str, Any]:
    return {
        "abonniert": [
            {"massnahme": f.measure.title, "seit": f.created_at.isoformat()}
            for f in MeasureFollow.objects.filter(user=user).select_related("measure")
        ],
        "neuigkeiten_verfasst": [
            {
                "massnahme": u.measure.title,
                "text": u.text,
                "veroeffentlicht_am": u.created_at.isoformat(),
            }
            for u in MeasureUpdate.objects.filter(author=user).select_related("measure")
        ],
    }
