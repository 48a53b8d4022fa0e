"""The Ortsteil map (choropleth) drawn on the server as SVG: the municipality's Ortsteil
boundaries (GeoJSON in WGS84, stored here) projected to SVG coordinates, coloured by
value classes, for the climate module's maps and the staff statistics. No tiles, no
JavaScript, no request to another host; each page lists every Ortsteil with its value
beside the map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from shapely.geometry import MultiPolygon, Polygon, shape

from mitmachen.core.ticks import decimals_for, nice_ticks

WIDTH = 640
MAX_HEIGHT = 560
PAD = 8
# Sequential blues (ColorBrewer "Blues"): darker is more; chosen per number of classes.
PALETTE = ("#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NO_VALUE = "#ffffff"


@dataclass(frozen=True)
class ValueClass:
    number: int  # 1 = lowest
    low: float
    high: float
    last: bool  # the last class includes its upper bound
    colour: str
    count: int
    label: str  # "von 100 bis unter 200 kWp"


@dataclass(frozen=True)
class Area:
    name: str
    path: str  # SVG path data ("" when the Ortsteil has no boundary)
    value: float | None
    value_class: ValueClass | None
    colour: str


@dataclass
class Choropleth:
    areas: list[Area]
    classes: list[ValueClass]
    width: int
    height: int


def classes_for(values: list[float], count: int = 5) -> list[tuple[float, float]]:
    """Equal, round intervals covering the values (the breaks of ``nice_ticks``)."""
    ticks = nice_ticks(min(values), max(values), count)
    return list(pairwise(ticks))


def class_of(value: float, bounds: list[tuple[float, float]]) -> int:
    """Index of the interval [low, high) holding ``value``; the last one is closed."""
    for i, (_low, high) in enumerate(bounds):
        if value < high:
            return i
    return len(bounds) - 1


def _rings(geometry: Any) -> list[list[tuple[float, ...]]]:
    polygons = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    rings = []
    for polygon in polygons:
        if isinstance(polygon, Polygon) and not polygon.is_empty:
            rings.append(list(polygon.exterior.coords))
            rings += [list(r.coords) for r in polygon.interiors]
    return rings


@dataclass(frozen=True)
class Frame:
    """The projection of a municipality's Ortsteile into the SVG (see ``choropleth``)."""

    min_lon: float
    max_lat: float
    squeeze: float
    scale: float
    width: int
    height: int

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            PAD + (lon - self.min_lon) * self.squeeze * self.scale,
            PAD + (self.max_lat - lat) * self.scale,
        )

    def path(self, geometry: Any) -> str:
        """SVG path data of ``geometry``, simplified to about a pixel."""
        simple = geometry.simplify(0.75 / self.scale, preserve_topology=True)  # ¾ pixel

        def point(c: tuple[float, ...]) -> str:
            x, y = self.xy(c[0], c[1])
            return f"{x:.1f},{y:.1f}"

        return " ".join("M" + " L".join(point(c) for c in ring) + " Z" for ring in _rings(simple))


def _frame(shapes: list[Any]) -> Frame:
    """Longitude scaled by the cosine of the middle latitude (equirectangular: true
    enough for a municipality), north up, fitted into WIDTH × MAX_HEIGHT."""
    if not shapes:
        return Frame(0.0, 0.0, 1.0, 1.0, WIDTH, 0)
    min_lon = min(s.bounds[0] for s in shapes)
    min_lat = min(s.bounds[1] for s in shapes)
    max_lon = max(s.bounds[2] for s in shapes)
    max_lat = max(s.bounds[3] for s in shapes)
    squeeze = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * squeeze, 1e-9)
    span_y = max(max_lat - min_lat, 1e-9)
    scale = min((WIDTH - 2 * PAD) / span_x, (MAX_HEIGHT - 2 * PAD) / span_y)
    return Frame(min_lon, max_lat, squeeze, scale, WIDTH, math.ceil(span_y * scale + 2 * PAD))


def frame_for(geometries: list[Any]) -> Frame:
    """The projection that fits ``geometries`` (shapely; Ortsteile, points, areas), for
    maps other apps draw with the same projection (the measures' map)."""
    return _frame(geometries)


@dataclass
class PointsMap:
    outlines: list[tuple[str, str]]  # (Ortsteil, SVG path data)
    points: list[tuple[float, float]]  # SVG coordinates
    width: int
    height: int


def points_map(districts: list[tuple[str, Any]], points: list[tuple[float, float]]) -> PointsMap:
    """Residents' observations as points over the Ortsteile (``districts``: name and
    GeoJSON geometry or None; ``points``: lon, lat in WGS84, all inside the Ortsteile:
    the service refuses others)."""
    shapes = [(name, shape(g)) for name, g in districts if g]
    frame = _frame([g for _n, g in shapes])
    return PointsMap(
        outlines=[(name, frame.path(geometry)) for name, geometry in shapes],
        points=[frame.xy(lon, lat) for lon, lat in points] if shapes else [],
        width=frame.width,
        height=frame.height,
    )


def choropleth(
    districts: list[tuple[str, Any]], values: dict[str, float], *, unit: str
) -> Choropleth:
    """``districts``: (name, GeoJSON geometry or None); ``values``: by Ortsteil name.

    Longitude is scaled by the cosine of the middle latitude (an equirectangular
    projection: true enough for a municipality), north is up; outlines are simplified
    to about a pixel."""
    shapes = [(name, shape(g)) for name, g in districts if g]
    found = [v for v in values.values() if math.isfinite(v)]
    bounds = classes_for(found) if found else []
    counts = [0] * len(bounds)
    for v in found:
        counts[class_of(v, bounds)] += 1
    colours = [
        PALETTE[round(i * (len(PALETTE) - 1) / max(len(bounds) - 1, 1))] for i in range(len(bounds))
    ]
    places = decimals_for([b for pair in bounds for b in pair])
    classes = [
        ValueClass(
            i + 1,
            low,
            high,
            i == len(bounds) - 1,
            colours[i],
            counts[i],
            _class_label(low, high, i == len(bounds) - 1, unit, places),
        )
        for i, (low, high) in enumerate(bounds)
    ]
    frame = _frame([g for _n, g in shapes])
    paths = {name: frame.path(geometry) for name, geometry in shapes}
    width, height = frame.width, frame.height
    areas = []
    for name, _geometry in districts:
        value = values.get(name)
        found_class = classes[class_of(value, bounds)] if value is not None and bounds else None
        areas.append(
            Area(
                name=name,
                path=paths.get(name, ""),
                value=value,
                value_class=found_class,
                colour=found_class.colour if found_class else NO_VALUE,
            )
        )
    return Choropleth(areas=areas, classes=classes, width=width, height=height)


def _class_label(low: float, high: float, last: bool, unit: str, places: int) -> str:
    """ "von 100 bis unter 200 kWp" (the last class: "von 500 bis 600 kWp")."""
    params = {
        "low": number_format(low, places, force_grouping=True),
        "high": number_format(high, places, force_grouping=True),
        "unit": unit,
    }
    if last:
        return _("von %(low)s bis %(high)s %(unit)s") % params
    return _("von %(low)s bis unter %(high)s %(unit)s") % params
