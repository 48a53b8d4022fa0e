"""The calendar's map of upcoming events (``?ansicht=karte``): the places of the next
events as numbered points over the Ortsteil boundaries, drawn on the server as SVG
(``organisations.maps``: no tiles, no JavaScript, no request to another host), and the
same places as a numbered list with their events – the map's text equivalent.

Events at the same place (a series in the town hall) share one point. At most
``MAP_LIMIT`` events are placed; the page says how many more there are and that the list
view has them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mitmachen.events.models import Event
from mitmachen.organisations import maps
from mitmachen.organisations.models import District

MAP_LIMIT = 100


@dataclass
class Place:
    number: int
    name: str
    district: str
    lat: float
    lon: float
    events: list[Event] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0


def upcoming_map(events: Any) -> dict[str, Any]:
    """``events``: the calendar's filtered, visible events. Three queries: the events with
    a point, the count of the others, the Ortsteile of their municipalities."""
    upcoming = events.upcoming()
    placed = list(
        upcoming.filter(lat__isnull=False, lon__isnull=False).order_by("starts_at", "pk")[
            : MAP_LIMIT + 1
        ]
    )
    more = len(placed) > MAP_LIMIT
    placed = placed[:MAP_LIMIT]
    without_point = upcoming.filter(lat__isnull=True).count()
    places: dict[tuple[float, float], Place] = {}
    for event in placed:
        key = (round(event.lat or 0.0, 5), round(event.lon or 0.0, 5))
        if key not in places:
            places[key] = Place(
                number=len(places) + 1,
                name=event.place_name,
                district=event.district.name if event.district else "",
                lat=key[0],
                lon=key[1],
            )
        places[key].events.append(event)
    found = list(places.values())
    districts = (
        list(
            District.objects.filter(organisation_id__in={e.organisation_id for e in placed})
            .order_by("organisation_id", "name")
            .values_list("name", "geometry")
        )
        if placed
        else []
    )
    drawn = maps.points_map(districts, [(p.lon, p.lat) for p in found])
    for place, (x, y) in zip(found, drawn.points, strict=False):
        place.x, place.y = round(x, 1), round(y, 1)
    return {
        "places": found,
        "map": drawn if drawn.outlines and found else None,
        "placed_count": len(placed),
        "more": more,
        "without_point": without_point,
    }
