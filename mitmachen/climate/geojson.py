"""GeoJSON download of a campaign's observations (RFC 7946, WGS84 longitude/latitude).

Every visible observation is one Feature: its map point as a Point, or – reported
without the map – ``"geometry": null`` with the Ortsteil and the place description in
its properties (a null geometry is valid GeoJSON; GIS tools list such features in the
attribute table). Nothing about the person who reported it is in the file. Licence,
source and whether the data are invented examples stand in the FeatureCollection's own
members ("lizenz", "quelle", "beispieldaten"), beside the features, as for the CSV file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_http_methods

from mitmachen.climate.models import Observation
from mitmachen.climate.views import OPEN_LICENCE, _campaign


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
