"""Geometry helpers on GeoJSON (WGS84) using shapely."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

MAX_VERTICES = 50_000


class GeometryError(ValueError):
    """A geometry that cannot serve as an Ortsteil boundary; the message is German."""


def parse_area(geojson: Any) -> BaseGeometry:
    """Parse a GeoJSON Polygon/MultiPolygon and check it is a valid area in WGS84."""
    if not isinstance(geojson, dict) or geojson.get("type") not in {"Polygon", "MultiPolygon"}:
        raise GeometryError(_("Die Geometrie muss ein Polygon oder MultiPolygon sein."))
    try:
        geometry = shape(geojson)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        raise GeometryError(_("Die Geometrie ist kein gültiges GeoJSON.")) from error
    if not isinstance(geometry, Polygon | MultiPolygon) or geometry.is_empty:
        raise GeometryError(_("Die Geometrie ist leer."))
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if min_lon < -180 or max_lon > 180 or min_lat < -90 or max_lat > 90:
        raise GeometryError(
            _("Die Koordinaten liegen außerhalb von WGS84 (Länge −180…180, Breite −90…90).")
        )
    if not geometry.is_valid:
        raise GeometryError(_("Das Polygon ist ungültig (z. B. überschneidet es sich selbst)."))
    vertex_count = sum(
        len(poly.exterior.coords) + sum(len(r.coords) for r in poly.interiors)
        for poly in (geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry])
    )
    if vertex_count > MAX_VERTICES:
        raise GeometryError(
            _("Das Polygon hat zu viele Punkte (höchstens %(max)s).") % {"max": MAX_VERTICES}
        )
    return geometry


def bounds_of(geojson: Any) -> tuple[float, float, float, float]:
    return tuple(shape(geojson).bounds)  # type: ignore[return-value]
