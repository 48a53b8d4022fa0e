"""Every value of an indicator as CSV and JSON, and the DCAT-AP.de catalogue of every
published indicator (open data)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_http_methods

from mitmachen.climate.importers import format_instant, format_number
from mitmachen.climate.models import (
    Indicator,
    Value,
)
from mitmachen.climate.views.common import (
    _Echo,
    _file_name,
    _indicator,
)


def _rows(indicator: Indicator) -> Iterator[tuple[Any, ...]]:
    return (
        Value.objects.filter(indicator=indicator)
        .order_by("date", "at", "district__name", "category")
        .values_list("date", "value", "district__name", "category", "note", "at", "lon", "lat")
        .iterator(chunk_size=5000)
    )


@require_http_methods(["GET"])
def indicator_csv(request: HttpRequest, slug: str, indicator: str) -> StreamingHttpResponse:
    """Every value, semicolon-separated, UTF-8; importable again with the same columns.
    Source and licence are on the indicator page and in the JSON download."""
    found, _may = _indicator(request, slug, indicator)
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\n")

    def lines() -> Iterator[str]:
        yield writer.writerow(["datum", "wert", "ortsteil", "kategorie", "hinweis"])
        for day, value, district, category, note, at, _lon, _lat in _rows(found):
            # An hourly value's beginning with its offset: unambiguous, imported again.
            when = format_instant(at) if at else day.isoformat()
            yield writer.writerow([when, format_number(value), district or "", category, note])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(found, "csv")}"'
    return response


@require_http_methods(["GET"])
def indicator_json(request: HttpRequest, slug: str, indicator: str) -> StreamingHttpResponse:
    """Every value with the indicator's description, source and licence."""
    found, _may = _indicator(request, slug, indicator)
    meta = {
        "titel": found.title,
        "beschreibung": found.explanation,
        "einheit": found.unit,
        "thema": found.get_topic_display(),
        "zeitliche_aufloesung": found.get_resolution_display(),
        "raeumliche_ebene": found.get_spatial_level_display(),
        "quelle": found.source,
        "quelle_url": found.source_url,
        "lizenz": found.licence,
        "zustaendig": found.responsible_body,
        "aktualisierung": found.update_rhythm,
        "kommune": found.organisation.name,
        "beispieldaten": found.is_example_data,
        "adresse": request.build_absolute_uri(found.get_absolute_url()),
    }

    def chunks() -> Iterator[str]:
        yield '{"indikator": ' + json.dumps(meta, ensure_ascii=False) + ', "werte": ['
        for i, (day, value, district, category, note, at, lon, lat) in enumerate(_rows(found)):
            row: dict[str, Any] = {"datum": day.isoformat(), "wert": value}
            if at:
                row["zeitpunkt"] = format_instant(at)
            if district:
                row["ortsteil"] = district
            if category:
                row["kategorie"] = category
            if note:
                row["hinweis"] = note
            if lon is not None:
                row["laengengrad"], row["breitengrad"] = lon, lat
            yield ("," if i else "") + json.dumps(row, ensure_ascii=False)
        yield "]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(found, "json")}"'
    return response


@require_http_methods(["GET"])
def catalogue_jsonld(request: HttpRequest) -> HttpResponse:
    """Every published indicator of every municipality in DCAT-AP.de (JSON-LD), for
    open-data portals to harvest (two queries, whatever the number of values)."""
    from django.conf import settings
    from django.db.models import Max, Min

    from mitmachen.climate import catalogue
    from mitmachen.climate.models import MonthSummary

    indicators = list(
        Indicator.objects.published()
        .select_related("organisation")
        .order_by("organisation__name", "title")
    )
    spans = {
        row["indicator_id"]: (row["first"], row["last"])
        for row in MonthSummary.objects.filter(indicator__is_published=True)
        .values("indicator_id")
        .annotate(first=Min("first"), last=Max("last"))
        .order_by()
    }

    def url(name: str, indicator: Indicator) -> str:
        return request.build_absolute_uri(
            reverse(
                f"climate:{name}",
                kwargs={"slug": indicator.organisation.slug, "indicator": indicator.slug},
            )
        )

    # The catalogue is German (dct:language DEU), whatever language the visitor chose.
    with translation.override("de"):
        document = catalogue.catalogue(
            address=request.build_absolute_uri(),
            home=request.build_absolute_uri("/"),
            title=settings.PLATFORM_NAME,
            datasets=[catalogue.dataset(i, spans.get(i.pk), url) for i in indicators],
            modified=max((i.updated_at for i in indicators), default=None),
        )
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1),
        content_type="application/ld+json; charset=utf-8",
    )
