"""A city walk's route: a line through points, some of them named stops.

Stored on ``Event.route`` as a GeoJSON Feature (RFC 7946, WGS84) whose geometry is a
``LineString`` of ``[longitude, latitude]`` pairs and whose properties name the stops, one
entry per point (``""`` for a point the line only passes)::

    {"type": "Feature",
     "geometry": {"type": "LineString", "coordinates": [[12.5956, 52.1422], ...]},
     "properties": {"stops": ["Marktplatz", "", "Burg Eisenhardt"]}}

Staff enter it as text, one point per line – latitude, longitude and, where the walk stops,
the stop's name ("52.14220, 12.59560 Marktplatz") – so it works without JavaScript. The
event page shows the stops as an ordered list (the map's text equivalent) and the line on
an SVG map drawn on the server over the Ortsteil boundaries (``organisations.maps``'s
projection; no tiles, no request to another host).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.errors import ShapelyError
from shapely.geometry import LineString, box, shape

from mitmachen.organisations import maps

MAX_POINTS = 200
MAX_TEXT_LENGTH = 20000
STOP_NAME_MAX_LENGTH = 100
MAP_HEIGHT = 420
# The map shows at least this much around the route (degrees of latitude, about 300 m).
MIN_SPAN = 0.003

# "52.14220, 12.59560 Marktplatz" (also with ";" or only a space between the numbers)
# and the German way of writing them, "52,14220 12,59560 Marktplatz". Both numbers need
# decimals: "52, 5 …" is refused rather than read as 52° N 5° E.
_POINT = re.compile(
    r"^(?P<lat>[-+]?\d{1,2}\.\d+)(?:\s*[,;]\s*|\s+)(?P<lon>[-+]?\d{1,3}\.\d+)"
    r"(?:(?:\s*[,;:]\s*|\s+)(?P<name>.*))?$"
)
_POINT_DE = re.compile(
    r"^(?P<lat>[-+]?\d{1,2},\d+)(?:\s*;\s*|\s+)(?P<lon>[-+]?\d{1,3},\d+)"
    r"(?:(?:\s*[;:]\s*|\s+)(?P<name>.*))?$"
)


def parse(text: str) -> dict[str, Any] | None:
    """The route (a GeoJSON Feature, checked by ``validate``) from staff's text, ``None``
    for an empty text; ``ValidationError`` with a German message naming the line."""
    text = text or ""
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(_("Die Route ist zu lang (höchstens 20.000 Zeichen)."))
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        return None
    if len(lines) > MAX_POINTS:
        raise ValidationError(
            _("Eine Route hat höchstens %(n)s Punkte, diese hat %(count)s.")
            % {"n": MAX_POINTS, "count": len(lines)}
        )
    coordinates: list[list[float]] = []
    names: list[str] = []
    for number, line in lines:
        match = _POINT.match(line) or _POINT_DE.match(line)
        if match is None:
            raise ValidationError(
                _(
                    "Zeile %(line)s: Bitte geben Sie Breiten- und Längengrad mit "
                    "Nachkommastellen an, dann wahlweise den Namen des Halts – zum Beispiel "
                    "„52.14220, 12.59560 Marktplatz“."
                )
                % {"line": number}
            )
        lat, lon = (float(match[k].replace(",", ".")) for k in ("lat", "lon"))
        name = " ".join((match["name"] or "").split())
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValidationError(
                _(
                    "Zeile %(line)s: Der Breitengrad liegt zwischen -90 und 90, "
                    "der Längengrad zwischen -180 und 180."
                )
                % {"line": number}
            )
        if len(name) > STOP_NAME_MAX_LENGTH:
            raise ValidationError(
                _("Zeile %(line)s: Der Name eines Halts hat höchstens 100 Zeichen.")
                % {"line": number}
            )
        coordinates.append([lon, lat])
        names.append(name)
    route = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": coordinates},
        "properties": {"stops": names},
    }
    validate(route)
    return route


def validate(route: Any) -> None:
    """A stored route is a Feature with a valid LineString (shapely) of at most
    ``MAX_POINTS`` points in range, and one stop name (or "") per point, the first one
    named; ``ValidationError`` in German otherwise."""
    try:
        geometry = route["geometry"]
        names = route["properties"]["stops"]
        ok = (
            route.get("type") == "Feature"
            and geometry.get("type") == "LineString"
            and isinstance(names, list)
            and all(isinstance(n, str) and len(n) <= STOP_NAME_MAX_LENGTH for n in names)
        )
        if (
            ok
            and isinstance(geometry.get("coordinates"), list)
            and len(geometry["coordinates"]) < 2
        ):
            raise ValidationError(_("Eine Route braucht mindestens zwei Punkte."))
        line = shape(geometry) if ok else None
    except (AttributeError, KeyError, TypeError, ValueError, IndexError, ShapelyError):
        ok, line = False, None
    if not ok or not isinstance(line, LineString):
        raise ValidationError(_("Die Route ist keine gültige Linie (GeoJSON LineString)."))
    coordinates = list(line.coords)
    if len(coordinates) < 2 or len(coordinates) != len(names):
        raise ValidationError(_("Eine Route braucht mindestens zwei Punkte."))
    if len(coordinates) > MAX_POINTS:
        raise ValidationError(_("Eine Route hat höchstens %(n)s Punkte.") % {"n": MAX_POINTS})
    if any(not (-180 <= c[0] <= 180 and -90 <= c[1] <= 90) for c in coordinates):
        raise ValidationError(_("Ein Punkt der Route liegt außerhalb der Erde."))
    if not line.is_valid or line.length == 0:
        raise ValidationError(
            _("Die Route braucht mindestens zwei verschiedene Punkte, sonst ist sie keine Linie.")
        )
    if not names[0]:
        raise ValidationError(
            _("Der erste Punkt ist der Treffpunkt: Bitte geben Sie ihm einen Namen.")
        )


def as_text(route: dict[str, Any] | None) -> str:
    """The route as staff enter it (one point per line)."""
    if not route:
        return ""
    rows = zip(route["geometry"]["coordinates"], route["properties"]["stops"], strict=False)
    return "\n".join(f"{lat:.6f}, {lon:.6f} {name}".rstrip() for (lon, lat), name in rows)


@dataclass(frozen=True)
class Stop:
    number: int  # 1 = the meeting point
    name: str
    lat: float
    lon: float
    x: float = 0.0  # SVG coordinates on the route map
    y: float = 0.0


@dataclass
class RouteMap:
    outlines: list[tuple[str, str]]  # (Ortsteil, SVG path data), cut to the map
    line: str  # SVG path data of the route
    stops: list[Stop]
    width: int
    height: int


def _haversine(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


def length_m(route: dict[str, Any]) -> float:
    """The route's length along the ground in metres (great-circle legs)."""
    coordinates = route["geometry"]["coordinates"]
    return sum(_haversine(tuple(a), tuple(b)) for a, b in pairwise(coordinates))


def stops(route: dict[str, Any]) -> list[Stop]:
    """The named points in walking order, numbered from 1."""
    named = [
        (name, lon, lat)
        for (lon, lat), name in zip(
            route["geometry"]["coordinates"], route["properties"]["stops"], strict=False
        )
        if name
    ]
    return [Stop(i, name, lat, lon) for i, (name, lon, lat) in enumerate(named, 1)]


def _frame(bounds: tuple[float, float, float, float]) -> maps.Frame:
    """``organisations.maps``' projection (north up, longitude squeezed by the cosine of
    the latitude) fitted to the route's surroundings instead of a whole municipality."""
    min_lon, min_lat, max_lon, max_lat = bounds
    squeeze = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * squeeze, 1e-9)
    span_y = max(max_lat - min_lat, 1e-9)
    scale = min((maps.WIDTH - 2 * maps.PAD) / span_x, (MAP_HEIGHT - 2 * maps.PAD) / span_y)
    height = math.ceil(span_y * scale + 2 * maps.PAD)
    return maps.Frame(min_lon, max_lat, squeeze, scale, maps.WIDTH, height)


def route_map(route: dict[str, Any], districts: list[tuple[str, Any]]) -> RouteMap:
    """The route over the Ortsteil boundaries around it (``districts``: name and GeoJSON
    geometry or None), with its stops numbered as in the list."""
    line = LineString(route["geometry"]["coordinates"])
    min_lon, min_lat, max_lon, max_lat = line.bounds
    margin = max(max_lat - min_lat, (max_lon - min_lon) * 0.6, MIN_SPAN) * 0.15
    margin = max(margin, MIN_SPAN / 2)
    area = box(min_lon - margin * 1.6, min_lat - margin, max_lon + margin * 1.6, max_lat + margin)
    frame = _frame(area.bounds)
    outlines = []
    for name, geometry in districts:
        if not geometry:
            continue
        try:
            part = shape(geometry).intersection(area)
        except (ValueError, TypeError, AttributeError):
            continue  # a broken boundary is left out; the list stays the equivalent
        if not part.is_empty:
            outlines.append((name, frame.path(part)))
    points = [frame.xy(lon, lat) for lon, lat in line.coords]
    path = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points)
    placed = []
    for stop in stops(route):
        x, y = frame.xy(stop.lon, stop.lat)
        placed.append(Stop(stop.number, stop.name, stop.lat, stop.lon, round(x, 1), round(y, 1)))
    return RouteMap(outlines, path, placed, frame.width, frame.height)
