"""The climate module's part of "Meine Daten": files a staff member uploaded for an
import and has not yet imported or discarded (deleted with the account by its cascade;
imported values keep no link to the person)."""

from __future__ import annotations

from typing import Any

from mitmachen.climate.models import PendingImport
from mitmachen.core.registry import register


@register("klimadaten_importe")
def export_pending_imports(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "datei": p.file_name,
            "format": p.get_kind_display(),
            "indikator": p.indicator.title,
            "kommune": p.indicator.organisation.name,
            "hochgeladen_am": p.created_at.isoformat(),
            "stand": p.get_state_display(),
        }
        for p in PendingImport.objects.filter(uploaded_by=user).select_related(
            "indicator__organisation"
        )
    ]
