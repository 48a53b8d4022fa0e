"""The climate module's part of "Meine Daten": observations in campaigns of Mitmach-Daten,
and files a staff member uploaded for an
import and has not yet imported or discarded (deleted with the account by its cascade;
imported values keep no link to the person)."""

from __future__ import annotations

from typing import Any

from mitmachen.climate.models import Observation, PendingImport
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


@register("klimadaten_beobachtungen")
def export_observations(user: Any) -> list[dict[str, Any]]:
    """The person's observations in campaigns of Mitmach-Daten (deleted with the
    account by its cascade, their photos with them)."""
    return [
        {
            "kampagne": o.campaign.title,
            "kommune": o.project.organisation.name,
            "tag": o.observed_on.isoformat(),
            "antwort": o.answer(),
            "ortsteil": o.district.name if o.district else "",
            "ort": o.place_description,
            "laengengrad": o.lon,
            "breitengrad": o.lat,
            "foto": o.photo.name,
            "foto_beschreibung": o.photo_alt,
            "ausgeblendet": o.is_hidden,
            "gemeldet_am": o.created_at.isoformat(),
        }
        for o in Observation.objects.filter(author=user)
        .select_related("campaign", "project__organisation", "district")
        .order_by("pk")
    ]
