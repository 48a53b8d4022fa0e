"""GeoJSON downloads (RFC 7946, WGS84 longitude/latitude): a campaign's observations and
the values of a spatial indicator.

Observations: every visible observation is one Feature: its map point as a Point, or – reported
without the map – ``"geometry": null`` with the Ortsteil and the place description in
its properties (a null geometry is valid GeoJSON; GIS tools list such features in the
attribute table). Nothing about the person who reported it is in the file. Licence,
source and whether the data are invented examples stand in the FeatureCollection's own
members ("lizenz", "quelle", "beispieldaten"), beside the features, as for the CSV file.

Indicators (``indicator_geojson``): one Feature per Ortsteil with its boundary as the
geometry and every value of that Ortsteil in its properties (``werte``: date, value,
category, note); values without an Ortsteil belong to the measuring point (a ``Point``)
of an indicator at the level "Messpunkt", else to a Feature without geometry. Licence
and source stand in the collection's members and in every Feature's properties (GIS
tools show only the latter).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_http_methods

from mitmachen.climate.importers import format_instant
from mitmachen.climate.models import Indicator, Observation, Value
from mitmachen.climate.views.common import OPEN_LICENCE, _campaign, _file_name, _indicator


def _answer(number: float | None, choice: str, yes_no: bool | None) -> Any:
    if number is not None:
        return number
    if yes_no is not None:
        return yes_no
    return choice


@require_http_methods(["GET"])
def campaign_geojson(request: HttpRequest, slug: str, pk: int) -> StreamingHttpResponse:
    """The campaign's visible observations as a FeatureCollection, streamed."""
    campaign = _campaign(request, slug, pk)
    organisation = campaign.project.organisation
    rows = (
        Observation.objects.filter(campaign=campaign)
        .not_hidden()
        .order_by("observed_on", "pk")
        .values_list(
            "observed_on", "lon", "lat", "district__name", "place_description",
            "number_value", "choice_value", "yes_no", "photo", "photo_alt",
        )
        .iterator(chunk_size=2000)
    )  # fmt: skip
    media = request.build_absolute_uri(settings.MEDIA_URL)
    head = {
        "type": "FeatureCollection",
        "name": campaign.title,
        "frage": campaign.question,
        "einheit": campaign.unit,
        "lizenz": OPEN_LICENCE,
        "quelle": f"Mitmach-Daten {organisation.display_name}",
        "beispieldaten": campaign.is_example_data,
        "adresse": request.build_absolute_uri(campaign.get_absolute_url()),
    }

    def chunks() -> Iterator[str]:
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "features": ['
        for i, (day, lon, lat, district, place, number, choice, yes_no, photo, alt) in enumerate(
            rows
        ):
            feature = {
                "type": "Feature",
                "geometry": (
                    {"type": "Point", "coordinates": [lon, lat]}
                    if lon is not None and lat is not None
                    else None
                ),
                "properties": {
                    "tag": day.isoformat(),
                    "ortsteil": district or None,
                    "ort": place or None,
                    "antwort": _answer(number, choice, yes_no),
                    "foto": media + photo if photo else None,
                    "foto_beschreibung": alt or None,
                },
            }
            yield ("," if i else "") + json.dumps(feature, ensure_ascii=False)
        yield "]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/geo+json; charset=utf-8")
    example = "-beispieldaten" if campaign.is_example_data else ""
    name = f"{organisation.slug}-mitmach-daten-{campaign.pk}{example}.geojson"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _area(geometry: Any) -> Any:
    return geometry if geometry else None


@require_http_methods(["GET"])
def indicator_geojson(request: HttpRequest, slug: str, indicator: str) -> StreamingHttpResponse:
    """Every value of a spatial indicator as a FeatureCollection, one Feature per
    Ortsteil (or the measuring point), streamed; three queries however many values."""
    from mitmachen.organisations.models import District

    found, _may = _indicator(request, slug, indicator)
    if not found.is_spatial:
        raise Http404
    areas = {
        pk: (name, geometry, approximate)
        for pk, name, geometry, approximate in District.objects.filter(
            organisation_id=found.organisation_id
        ).values_list("pk", "name", "geometry", "is_demo_boundary")
    }
    rows = (
        Value.objects.filter(indicator=found)
        .order_by("district_id", "date", "at", "category")
        .values_list("district_id", "date", "value", "category", "note", "at", "lon", "lat")
        .iterator(chunk_size=5000)
    )
    licence, source = found.licence, found.source
    head = {
        "type": "FeatureCollection",
        "name": found.title,
        "titel": found.title,
        "beschreibung": found.explanation,
        "einheit": found.unit,
        "zeitliche_aufloesung": found.get_resolution_display(),
        "raeumliche_ebene": found.get_spatial_level_display(),
        "kommune": found.organisation.name,
        "lizenz": licence,
        "quelle": source,
        "quelle_url": found.source_url,
        "beispieldaten": found.is_example_data,
        "adresse": request.build_absolute_uri(found.get_absolute_url()),
    }

    def feature_head(district_id: int | None) -> str:
        if district_id is not None:
            name, geometry, approximate = areas[district_id]
        else:
            name, geometry, approximate = None, _point(found), False
        properties = {
            "ortsteil": name,
            "grenze_ungefaehr": approximate,
            "einheit": found.unit,
            "lizenz": licence,
            "quelle": source,
            "beispieldaten": found.is_example_data,
        }
        return (
            '{"type": "Feature", "geometry": '
            + json.dumps(_area(geometry), ensure_ascii=False)
            + ', "properties": '
            + json.dumps(properties, ensure_ascii=False)[:-1]
            + ', "werte": ['
        )

    def chunks() -> Iterator[str]:
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "features": ['
        current: Any = ...  # no Feature open yet
        for district_id, day, value, category, note, at, lon, lat in rows:
            if district_id != current:
                yield ("]}}," if current is not ... else "") + feature_head(district_id)
                current, first = district_id, True
            row: dict[str, Any] = {"datum": day.isoformat(), "wert": value}
            if at:
                row["zeitpunkt"] = format_instant(at)
            if category:
                row["kategorie"] = category
            if note:
                row["hinweis"] = note
            if lon is not None:  # the point of the file's Point feature
                row["laengengrad"], row["breitengrad"] = lon, lat
            yield ("" if first else ",") + json.dumps(row, ensure_ascii=False)
            first = False
        yield ("]}}" if current is not ... else "") + "]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/geo+json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(found, "geojson")}"'
    return response


def _point(indicator: Indicator) -> dict[str, Any] | None:
    if indicator.station_lon is None or indicator.station_lat is None:
        return None
    return {"type": "Point", "coordinates": [indicator.station_lon, indicator.station_lat]}
