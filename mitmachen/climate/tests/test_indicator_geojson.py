"""The GeoJSON download of a spatial indicator: one Feature per Ortsteil with its
boundary and its values as properties, the measuring point as a Point, licence and
source in the file, every value round-tripped unchanged, a stable address listed in the
DCAT-AP.de catalogue, and a fixed number of queries."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mitmachen.climate.models import Value
from mitmachen.climate.services import summaries_refresh
from mitmachen.climate.tests.factories import IndicatorFactory
from mitmachen.organisations.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


def address(indicator):
    return f"/kommunen/{indicator.organisation.slug}/klima/{indicator.slug}/daten.geojson"


def download(client, indicator):
    response = client.get(address(indicator))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json; charset=utf-8"
    assert response["Content-Disposition"].endswith('.geojson"')
    return json.loads(b"".join(response.streaming_content))


# Awkward floats: they must come back bit for bit.
NUMBERS = [0.1 + 0.2, 1e-7, -3.5, 123456789.123, 761.0, 2.0 / 3.0]


def test_ortsteile_with_their_values_round_trip(client):
    indicator = IndicatorFactory(
        spatial_level="ortsteil", unit="kWp", licence="dl-de/by-2-0", source="Marktstammdaten"
    )
    north = DistrictFactory(organisation=indicator.organisation, name="Nord")
    south = DistrictFactory(organisation=indicator.organisation, name="Süd", geometry=None)
    DistrictFactory(organisation=indicator.organisation, name="Ohne Werte")
    stored = []
    for i, number in enumerate(NUMBERS):
        district = (north, south, None)[i % 3]
        stored.append(
            Value(
                indicator=indicator,
                date=date(2019 + i, 1, 1),
                value=number,
                district=district,
                category="Dach" if i % 2 else "",
                note="vorläufig" if i == 5 else "",
            )
        )
    Value.objects.bulk_create(stored)
    summaries_refresh(indicator=indicator)

    data = download(client, indicator)
    assert data["type"] == "FeatureCollection"
    assert data["lizenz"] == "dl-de/by-2-0" and data["quelle"] == "Marktstammdaten"
    assert data["einheit"] == "kWp" and data["beispieldaten"] is False
    features = {f["properties"]["ortsteil"]: f for f in data["features"]}
    assert set(features) == {"Nord", "Süd", None}  # no Feature for an Ortsteil without values
    assert features["Nord"]["type"] == "Feature"
    assert features["Nord"]["geometry"] == north.geometry
    assert features["Süd"]["geometry"] is None  # no boundary stored
    assert features[None]["geometry"] is None
    for feature in data["features"]:
        assert feature["properties"]["lizenz"] == "dl-de/by-2-0"
        assert feature["properties"]["quelle"] == "Marktstammdaten"

    read_back = sorted(
        (
            f["properties"]["ortsteil"] or "",
            v["datum"],
            v["wert"],
            v.get("kategorie", ""),
            v.get("hinweis", ""),
        )
        for f in data["features"]
        for v in f["properties"]["werte"]
    )
    expected = sorted(
        (
            v.district.name if v.district else "",
            v.date.isoformat(),
            v.value,
            v.category,
            v.note,
        )
        for v in Value.objects.filter(indicator=indicator).select_related("district")
    )
    assert read_back == expected
    assert [r[2] for r in read_back if r[1] == "2019-01-01"] == [NUMBERS[0]]  # 0.30000000000000004


def test_a_measuring_point_is_a_point(client):
    indicator = IndicatorFactory(
        spatial_level="punkt", resolution="tag", station_lon=12.5903, station_lat=52.1416
    )
    Value.objects.bulk_create(
        [Value(indicator=indicator, date=date(2024, 7, d), value=20 + d) for d in (1, 2, 3)]
    )
    data = download(client, indicator)
    (feature,) = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [12.5903, 52.1416]}
    assert [v["wert"] for v in feature["properties"]["werte"]] == [21, 22, 23]


def test_an_empty_indicator_is_an_empty_collection(client):
    data = download(client, IndicatorFactory(spatial_level="ortsteil"))
    assert data["features"] == [] and data["type"] == "FeatureCollection"


def test_only_spatial_and_visible_indicators_have_a_geojson_download(client):
    assert client.get(address(IndicatorFactory(spatial_level="kommune"))).status_code == 404
    assert client.get(address(IndicatorFactory(spatial_level="punkt"))).status_code == 404
    hidden = IndicatorFactory(spatial_level="ortsteil", is_published=False)
    assert client.get(address(hidden)).status_code == 404


def test_the_indicator_page_links_it_and_the_catalogue_lists_it(client):
    spatial = IndicatorFactory(spatial_level="ortsteil", slug="pv", licence="CC BY 4.0")
    plain = IndicatorFactory(spatial_level="kommune", slug="co2")
    page = client.get(f"/kommunen/{spatial.organisation.slug}/klima/pv/").content.decode()
    assert f'href="{address(spatial)}"' in page
    assert (
        "daten.geojson"
        not in client.get(f"/kommunen/{plain.organisation.slug}/klima/co2/").content.decode()
    )
    document = json.loads(client.get("/klima/katalog.jsonld").content)
    datasets = {d["dct:identifier"]: d for d in document["dcat:dataset"]}
    spatial_set = datasets[f"http://testserver/kommunen/{spatial.organisation.slug}/klima/pv/"]
    plain_set = datasets[f"http://testserver/kommunen/{plain.organisation.slug}/klima/co2/"]
    geo = [
        d
        for d in spatial_set["dcat:distribution"]
        if d["dcat:downloadURL"]["@id"] == "http://testserver" + address(spatial)
    ]
    assert len(geo) == 1
    assert geo[0]["dct:format"] == {
        "@id": "http://publications.europa.eu/resource/authority/file-type/GEOJSON"
    }
    assert geo[0]["dcat:mediaType"]["@id"].endswith("/application/geo+json")
    assert geo[0]["dct:license"] == {"@id": "http://dcat-ap.de/def/licenses/cc-by/4.0"}
    assert len(spatial_set["dcat:distribution"]) == 3
    assert len(plain_set["dcat:distribution"]) == 2


def test_queries_do_not_grow_with_values(client):
    def count(indicator):
        with CaptureQueriesContext(connection) as queries:
            download(client, indicator)
        return len(queries)

    small = IndicatorFactory(spatial_level="ortsteil", resolution="tag")
    large = IndicatorFactory(spatial_level="ortsteil", resolution="tag")
    for indicator, days in ((small, 2), (large, 400)):
        districts = [DistrictFactory(organisation=indicator.organisation) for _ in range(5)]
        Value.objects.bulk_create(
            Value(indicator=indicator, date=date.fromordinal(730000 + i), value=i, district=d)
            for i in range(days)
            for d in districts
        )
    assert count(small) == count(large) <= 3


def test_a_measuring_point_needs_both_coordinates_and_the_level_punkt():
    indicator = IndicatorFactory(spatial_level="punkt", station_lon=12.5, station_lat=52.1)
    indicator.full_clean()  # fine
    for changes, message in (
        ({"station_lat": None}, "Längen- und Breitengrad"),
        ({"spatial_level": "kommune"}, "nur bei der Ebene „Messpunkt“"),
        ({"station_lon": 212.5}, "außerhalb von WGS84"),
    ):
        for name, value in changes.items():
            setattr(indicator, name, value)
        with pytest.raises(ValidationError, match=message):
            indicator.full_clean()
        indicator.refresh_from_db()
