"""The point of a GeoJSON Point feature is stored with its value (an area is not): shown
in the single values (the list), drawn on the Ortsteil map, and written to the JSON and
GeoJSON downloads exactly as in the file."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.db import IntegrityError, transaction

from mitmachen.climate.models import Value
from mitmachen.climate.tests.factories import IndicatorFactory
from mitmachen.climate.tests.test_import_formats import _import, area, geojson, point
from mitmachen.organisations.tests.factories import DistrictFactory, OrganisationFactory, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    organisation = OrganisationFactory(name="Musterstadt", slug="musterstadt")
    DistrictFactory(organisation=organisation, name="West", geometry=square(12.0, 52.0))
    DistrictFactory(organisation=organisation, name="Ost", geometry=square(12.01, 52.0))
    return IndicatorFactory(
        organisation=organisation, slug="baeume", spatial_level="ortsteil", unit="Bäume"
    )


def load(indicator):
    result = _import(
        indicator,
        geojson(
            point(12.00512345678, 52.0051, datum=2024, wert=3),
            area(square(12.012, 52.002, size=0.005), datum=2024, wert=4),
            point(12.0049, 52.0049, datum=2023, wert=2),
        ),
    )
    assert result.ok, result.errors


def test_a_point_is_stored_as_in_the_file_an_area_is_not(town):
    load(town)
    stored = sorted(
        Value.objects.filter(indicator=town).values_list("date", "district__name", "lon", "lat")
    )
    assert stored == [
        (date(2023, 1, 1), "West", 12.0049, 52.0049),
        (date(2024, 1, 1), "Ost", None, None),
        (date(2024, 1, 1), "West", 12.00512345678, 52.0051),
    ]


def test_a_value_has_both_coordinates_or_none(town):
    with pytest.raises(IntegrityError), transaction.atomic():
        Value.objects.create(indicator=town, date=date(2024, 1, 1), value=1, lon=12.0)


def test_downloads_carry_the_point(client, town):
    load(town)
    base = f"/kommunen/musterstadt/klima/{town.slug}/"
    data = json.loads(b"".join(client.get(base + "daten.json").streaming_content))
    with_point = [v for v in data["werte"] if "laengengrad" in v]
    assert [(v["laengengrad"], v["breitengrad"]) for v in with_point] == [
        (12.0049, 52.0049),
        (12.00512345678, 52.0051),
    ]
    collection = json.loads(b"".join(client.get(base + "daten.geojson").streaming_content))
    west = next(f for f in collection["features"] if f["properties"]["ortsteil"] == "West")
    assert [(v["laengengrad"], v["breitengrad"]) for v in west["properties"]["werte"]] == [
        (12.0049, 52.0049),
        (12.00512345678, 52.0051),
    ]


def test_the_map_draws_the_year_s_points_and_the_list_names_them(client, town):
    load(town)
    base = f"/kommunen/musterstadt/klima/{town.slug}/"
    drawn = r'<circle cx="(?!10" cy="7")'  # not the legend's circle
    page = client.get(base + "karte/?jahr=2024").content.decode()
    assert len(re.findall(drawn, page)) == 1  # 2024: one point, one area
    assert "(1 Punkt)" in page
    page = client.get(base + "karte/?jahr=2023").content.decode()
    assert len(re.findall(drawn, page)) == 1
    values = client.get(base + "werte/").content.decode()
    assert "Punkt (Länge / Breite, WGS84)" in values
    assert "12,00512345678 / 52,0051" in values


def test_without_points_the_map_and_list_stay_as_they_were(client, town):
    _import(town, geojson(area(square(12.012, 52.002, size=0.005), datum=2024, wert=4)))
    base = f"/kommunen/musterstadt/klima/{town.slug}/"
    assert "<circle" not in client.get(base + "karte/").content.decode()
    assert "Punkt (Länge" not in client.get(base + "werte/").content.decode()
