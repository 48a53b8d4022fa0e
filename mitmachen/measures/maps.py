"""The map of measures, drawn on the server as SVG over the municipality's Ortsteile
(``organisations.maps``' projection): a numbered marker per measure with a point, and
the outline of a measure's area. No tiles, no JavaScript, no request to another host;
the page lists the same measures with their number beside the map.

An area is a GeoJSON Polygon or MultiPolygon in WGS84 (``Measure.area``), checked by
``area_problem`` with shapely.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from shapely.errors import GEOSException
from shapely.geometry import MultiPolygon, Point, Polygon, shape

from mitmachen.organisations.maps import frame_for

# A ring of more points than this is refused (a hand-drawn area has a few dozen).
MAX_AREA_POINTS = 5000


def area_problem(value: Any) -> str:
    """A German message if ``value`` is no usable area, else ""."""
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        return _("Die Fläche muss ein GeoJSON-Objekt vom Typ Polygon oder MultiPolygon sein.")
    try:
        geometry = shape(value)
    except (GEOSException, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return _("Die Fläche ist kein gültiges GeoJSON-Polygon.")
    if not isinstance(geometry, Polygon | MultiPolygon) or geometry.is_empty:
        return _("Die Fläche ist kein gültiges GeoJSON-Polygon.")
    count = sum(len(p.exterior.coords) for p in getattr(geometry, "geoms", [geometry]))
    if count > MAX_AREA_POINTS:
        return _("Die Fläche hat zu viele Punkte (höchstens 5.000).")
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not all(math.isfinite(v) for v in geometry.bounds) or not (
        -180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90
    ):
        return _("Die Fläche liegt nicht in Längen- und Breitengraden (WGS84).")
    if not geometry.is_valid:
        return _("Die Fläche überschneidet sich selbst.")
    return ""


@dataclass(frozen=True)
class Marker:
    number: int  # the measure's number in the list beside the map
    measure: Any
    x: float
    y: float
    area: str  # SVG path data of its area ("" without one)

    @property
    def cx(self) -> str:  # formatted here: a template filter per marker cost more
        return f"{self.x:.1f}"

    @property
    def cy(self) -> str:
        return f"{self.y:.1f}"


@dataclass
class MeasureMap:
    outlines: list[tuple[str, str]]  # (Ortsteil, SVG path data)
    markers: list[Marker]
    width: int
    height: int


def measure_map(districts: list[tuple[str, Any]], measures: list[Any]) -> MeasureMap:
    """``districts``: (name, GeoJSON geometry or None); ``measures``: those with a point
    or an area, in the order of the list (their numbers). A measure with an area and no
    point has its marker inside the area."""
    outlines = [(name, shape(g)) for name, g in districts if g]
    places = []
    for measure in measures:
        area = shape(measure.area) if measure.area else None
        point = (
            Point(measure.longitude, measure.latitude)
            if measure.latitude is not None and measure.longitude is not None
            else None
        )
        if point is None and area is not None:
            point = area.representative_point()
        if point is not None:
            places.append((measure, point, area))
    frame = frame_for(
        [g for _n, g in outlines] + [a or p for _m, p, a in places] + [p for _m, p, _a in places]
    )
    markers = []
    for number, (measure, point, area) in enumerate(places, start=1):
        x, y = frame.xy(point.x, point.y)
        markers.append(Marker(number, measure, x, y, frame.path(area) if area is not None else ""))
    return MeasureMap(
        outlines=[(name, frame.path(g)) for name, g in outlines],
        markers=markers,
        width=frame.width,
        height=frame.height,
    )
