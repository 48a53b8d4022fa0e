"""Build approximate demo boundaries ("Ortsteile") for the Bad Belzig / Wiesenburg demo.

The polygons are NOT official boundaries. They are a Voronoi diagram over approximate
village centre coordinates (WGS84), clipped to an outline made of the two municipalities'
buffered convex hulls. They exist only so that the demo can show a map and assign
locations to an Ortsteil.

Usage (from the repository root):

    .venv/bin/python scripts/make_demo_districts.py

Writes ``mitmachen/demo/districts.geojson`` (RFC 7946 FeatureCollection).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TypeVar

import shapely
from shapely.geometry import MultiPoint, Point, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

T = TypeVar("T", bound=BaseGeometry)

OUTPUT = Path(__file__).resolve().parent.parent / "mitmachen" / "demo" / "districts.geojson"

# Approximate village centres (lon, lat). Sources: public gazetteer coordinates of the
# villages where available (to about 0.001–0.01°); entries marked "est." are estimated
# from described distances/directions and may be off by about 1 km.
VILLAGES: dict[str, list[tuple[str, float, float]]] = {
    "bad-belzig": [
        ("Bad Belzig", 12.5956, 52.1422),
        ("Bergholz", 12.5550, 52.1000),
        ("Borne", 12.5358, 52.1117),
        ("Dippmannsdorf", 12.5950, 52.2180),  # est.
        ("Fredersdorf", 12.6375, 52.1889),
        ("Groß Briesen", 12.4839, 52.2486),
        ("Hagelberg", 12.5230, 52.1430),  # est.
        ("Kuhlowitz", 12.6300, 52.1330),  # est.
        ("Lübnitz", 12.5297, 52.1564),
        ("Lüsse", 12.6520, 52.1470),  # est.
        ("Lütte", 12.6100, 52.1970),  # est.
        ("Neschholz", 12.6850, 52.1500),  # est.
        ("Ragösen", 12.5794, 52.2406),
        ("Schwanebeck", 12.6250, 52.1760),  # est.
        ("Werbig", 12.4636, 52.1831),
    ],
    "wiesenburg-mark": [
        ("Benken", 12.4635, 52.1663),
        ("Grubo", 12.5264, 52.0764),
        ("Jeserig/Fläming", 12.4500, 52.0833),
        ("Jeserigerhütten", 12.4611, 52.0664),
        ("Klepzig", 12.5342, 52.0214),
        ("Lehnsdorf", 12.5400, 52.0400),  # est.
        ("Medewitz", 12.3833, 52.0500),
        ("Mützdorf", 12.5000, 52.0500),
        ("Neuehütten", 12.4275, 52.1214),
        ("Reetz", 12.3667, 52.1167),
        ("Reetzerhütten", 12.3978, 52.1075),
        ("Reppinichen", 12.3106, 52.1386),
        ("Schlamau", 12.4520, 52.1370),  # est.
        ("Schmerwitz", 12.4839, 52.1394),
        ("Wiesenburg", 12.4497, 52.1167),
    ],
}

BUFFER_DEG = 0.03  # buffer of each municipality's convex hull, in degrees of latitude
PRECISION = 5  # decimals in the output (about 1 m)

# Work in a local equirectangular frame (x = lon * cos(phi0), y = lat) so that Voronoi
# bisectors and buffers are roughly isotropic; convert back to lon/lat at the end.
PHI0 = math.radians(52.13)
COS0 = math.cos(PHI0)
KM_PER_DEG_LAT = 111.2


def slugify(name: str) -> str:
    out = name.lower()
    for src, dst in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("/", "-"), (" ", "-")):
        out = out.replace(src, dst)
    assert out.isascii(), out
    return out


def to_local(geometry: T) -> T:
    return shapely.transform(geometry, lambda coords: coords * (COS0, 1.0))


def to_wgs84(geometry: T) -> T:
    return shapely.transform(geometry, lambda coords: coords / (COS0, 1.0))


def round_polygon(polygon: Polygon) -> Polygon:
    snapped = shapely.set_precision(polygon, 10**-PRECISION)
    if snapped.geom_type != "Polygon":
        raise ValueError(f"rounding produced {snapped.geom_type}")
    return orient(snapped, sign=1.0)


def build() -> list[dict]:
    entries = [
        (municipality, name, lon, lat)
        for municipality, villages in VILLAGES.items()
        for name, lon, lat in villages
    ]
    points_local = {name: to_local(Point(lon, lat)) for _, name, lon, lat in entries}

    hulls = []
    for villages in VILLAGES.values():
        pts = MultiPoint([points_local[name] for name, _, _ in villages])
        hulls.append(pts.convex_hull.buffer(BUFFER_DEG, quad_segs=8))
    outline = unary_union(hulls)

    cells = shapely.voronoi_polygons(
        MultiPoint(list(points_local.values())), extend_to=outline.envelope.buffer(0.1)
    )
    features = []
    for municipality, name, lon, lat in entries:
        point = points_local[name]
        matches = [cell for cell in cells.geoms if cell.contains(point)]
        assert len(matches) == 1, (name, len(matches))
        cell = matches[0].intersection(outline)
        if cell.geom_type != "Polygon":
            raise ValueError(f"{name}: clipped cell is {cell.geom_type}")
        polygon = round_polygon(to_wgs84(cell))
        assert polygon.is_valid, name
        assert polygon.exterior.is_ccw, name
        assert polygon.contains(Point(lon, lat)), name
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": name,
                    "slug": slugify(name),
                    "municipality": municipality,
                    "demo_boundary": True,
                    "centre": [lon, lat],
                },
                "geometry": mapping(polygon),
                "_polygon": polygon,
            }
        )
    return features


def area_km2(polygon: Polygon) -> float:
    local = to_local(polygon)
    return local.area * KM_PER_DEG_LAT**2


def check(features: list[dict]) -> None:
    polygons = [f["_polygon"] for f in features]
    slugs = [(f["properties"]["municipality"], f["properties"]["slug"]) for f in features]
    assert len(set(slugs)) == len(slugs), "duplicate slugs"
    tree = shapely.STRtree(polygons)
    for i, polygon in enumerate(polygons):
        for j in tree.query(polygon):
            if j <= i:
                continue
            overlap = polygon.intersection(polygons[j]).area
            assert overlap < 1e-10, (
                features[i]["properties"]["name"],
                features[j]["properties"]["name"],
                overlap,
            )
        for f in features:
            if f["_polygon"] is not polygon:
                assert not polygon.contains(Point(f["properties"]["centre"])), "foreign centre"


def main() -> None:
    features = build()
    check(features)

    summary: dict[str, list[float]] = {}
    for f in features:
        summary.setdefault(f["properties"]["municipality"], []).append(area_km2(f["_polygon"]))
    for f in features:
        del f["_polygon"]

    collection = {"type": "FeatureCollection", "features": features}
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, indent=1) + "\n"
    OUTPUT.write_text(text, encoding="utf-8")

    print(f"Wrote {OUTPUT} ({len(text.encode()) / 1024:.1f} KB, {len(features)} Ortsteile)")
    for municipality, areas in summary.items():
        print(
            f"  {municipality}: {len(areas)} Ortsteile, total ~{sum(areas):.0f} km², "
            f"smallest ~{min(areas):.1f} km², largest ~{max(areas):.1f} km²"
        )


if __name__ == "__main__":
    main()
