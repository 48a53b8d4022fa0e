"""Excel (.xlsx) and GeoJSON imports: the same column mapping, preview and all-or-nothing
as CSV; GeoJSON points and areas find their Ortsteil, and places outside are refused."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from mitmachen.climate import importers, services
from mitmachen.climate.importers import ImportFileError, Mapping
from mitmachen.climate.models import PendingImport, Value
from mitmachen.climate.tests.factories import IndicatorFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import (
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
    square,
)

MAPPING = Mapping(date="datum", value="wert")


def xlsx(*rows: list) -> bytes:
    book = Workbook()
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def geojson(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def point(lon: float, lat: float, **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def area(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


# Excel


def test_xlsx_takes_date_and_number_cells_as_they_are_and_text_as_in_a_csv():
    parsed = importers.parse_xlsx(
        xlsx(
            ["datum", "wert", "hinweis"],
            [datetime(2024, 3, 1, 0, 0), 1.5, None],
            [date(2024, 3, 2), 2, "vorläufig"],
            ["03.03.2024", "1.234,5", ""],
            [None, None, None],  # an empty row is skipped
        ),
        Mapping(date="datum", value="wert", note="hinweis"),
        "tag",
    )
    assert not parsed.errors
    assert [(r.line, r.date, r.value, r.note) for r in parsed.rows] == [
        (2, date(2024, 3, 1), 1.5, ""),
        (3, date(2024, 3, 2), 2.0, "vorläufig"),
        (4, date(2024, 3, 3), 1234.5, ""),
    ]


def test_xlsx_year_numbers_and_formula_cells():
    parsed = importers.parse_xlsx(
        xlsx(["datum", "wert"], [2020, 10], [2021, "=SUMME(B2:B2)"], [2022, True]),
        MAPPING,
        "jahr",
    )
    assert [(r.date, r.value) for r in parsed.rows] == [(date(2020, 1, 1), 10.0)]
    assert [(e.line, e.message) for e in parsed.errors] == [
        (3, "„=SUMME(B2:B2)“ ist eine Formel, keine Zahl."),
        (4, "„True“ ist keine Zahl."),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"datum;wert\n2020;1\n", "keine Excel-Datei im Format .xlsx"),
        (b"PK\x03\x04kaputt", "keine Excel-Datei im Format .xlsx"),
        (xlsx(), "Die erste Tabelle der Datei ist leer."),
        (xlsx(["datum", "menge"], [2020, 1]), "Die Spalte(n) „wert“ gibt es in der Datei nicht"),
    ],
)
def test_bad_xlsx_files(data, message):
    with pytest.raises(ImportFileError, match=re.escape(message)):
        importers.parse_xlsx(data, MAPPING, "jahr")


def test_a_zip_that_is_no_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hallo.txt", "kein Excel")
    with pytest.raises(ImportFileError, match="keine Excel-Datei"):
        importers.parse_xlsx(out.getvalue(), MAPPING, "jahr")


def test_an_xlsx_that_unpacks_too_big_is_refused(monkeypatch):
    data = xlsx(["datum", "wert"], [2020, 1])
    monkeypatch.setattr(importers, "MAX_XLSX_UNPACKED", 1000)
    with pytest.raises(ImportFileError, match="entpackt zu groß"):
        importers.parse_xlsx(data, MAPPING, "jahr")


# GeoJSON: the file


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"type": "FeatureCollection", "features": [', "kein gültiges JSON (Zeile 1"),
        (b'{"type": "Feature"}', "keine GeoJSON-FeatureCollection"),
        (b"[]", "keine GeoJSON-FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": []}', "enthält keine Features"),
    ],
)
def test_bad_geojson_files(data, message):
    with pytest.raises(ImportFileError, match=re.escape(message)):
        importers.parse_geojson(data.decode(), MAPPING, "jahr")


BOW_TIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


@pytest.mark.parametrize(
    ("feature", "message"),
    [
        ({"type": "Feature", "properties": {"datum": 2020, "wert": 1}}, "keine Geometrie"),
        (point(12.0, 52.0) | {"properties": None}, "keine Eigenschaften"),
        (point(12.0, 52.0), "keine der Eigenschaften „datum“, „wert“"),
        (point(200.0, 52.0, datum=2020, wert=1), "außerhalb von WGS84"),
        (area({"type": "Point", "coordinates": ["a", 1]}, datum=2020, wert=1), "[Länge, Breite]"),
        (area(BOW_TIE, datum=2020, wert=1), "Das Polygon ist ungültig"),
        (
            area({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, datum=2020, wert=1),
            "„LineString“ wird nicht unterstützt",
        ),
        (point(12.0, 52.0, datum=2020, wert={"a": 1}), "ist keine Zahl"),
        (point(12.0, 52.0, datum="gestern", wert=1), "„gestern“ ist kein Datum"),
        ({"type": "Etwas"}, "kein GeoJSON-Feature"),
    ],
)
def test_bad_features_are_listed_by_number(feature, message):
    good = point(12.0, 52.0, datum=2019, wert=1)
    parsed = importers.parse_geojson(geojson(good, feature).decode(), MAPPING, "jahr")
    assert parsed.by_feature and [r.line for r in parsed.rows] == [1]
    assert len(parsed.errors) == 1 and parsed.errors[0].line == 2
    assert message in parsed.errors[0].message


# GeoJSON: finding the Ortsteil (service)


@pytest.fixture
def town():
    organisation = OrganisationFactory(name="Musterstadt")
    west = DistrictFactory(organisation=organisation, name="West", geometry=square(12.0, 52.0))
    east = DistrictFactory(organisation=organisation, name="Ost", geometry=square(12.01, 52.0))
    indicator = IndicatorFactory(organisation=organisation, spatial_level="ortsteil")
    return indicator, west, east


def _import(indicator, data, **options):
    return services.values_import(
        user=None,
        indicator=indicator,
        kind="geojson",
        data=data,
        options={"date": "datum", "value": "wert", **options},
    )


@pytest.mark.django_db
def test_points_and_areas_go_to_their_ortsteil(town):
    indicator, west, _east = town
    inner_east = square(12.012, 52.002, size=0.005)
    result = _import(
        indicator,
        geojson(
            point(12.005, 52.005, datum=2024, wert=3),
            area(inner_east, datum=2024, wert="4,5"),
            area(square(12.0, 52.0), datum=2023, wert=1, name="West"),
        ),
        district="name",
    )
    assert result.ok and result.created == 3
    assert sorted(Value.objects.values_list("district__name", "date", "value")) == [
        ("Ost", date(2024, 1, 1), 4.5),
        ("West", date(2023, 1, 1), 1.0),
        ("West", date(2024, 1, 1), 3.0),
    ]
    again = _import(indicator, geojson(point(12.005, 52.005, datum=2024, wert=5)))
    assert again.ok and again.replaced == 1  # re-import replaces that Ortsteil's period
    assert Value.objects.get(district=west, date=date(2024, 1, 1)).value == 5.0


@pytest.mark.django_db
def test_a_point_outside_the_municipality_refuses_the_whole_file(town):
    indicator, _west, _east = town
    result = _import(
        indicator,
        geojson(
            point(12.005, 52.005, datum=2024, wert=3),
            point(13.5, 52.5, datum=2024, wert=3),
            area(square(14.0, 50.0), datum=2024, wert=1),
        ),
    )
    assert [(e.line, e.message) for e in result.errors] == [
        (
            2,
            "Der Punkt (Länge 13.50000, Breite 52.50000) liegt außerhalb der Ortsteile von "
            "Musterstadt.",
        ),
        (3, "Die Fläche liegt außerhalb der Ortsteile von Musterstadt."),
    ]
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_two_points_in_one_ortsteil_and_period_are_doubled(town):
    indicator, _west, _east = town
    result = _import(
        indicator,
        geojson(
            point(12.001, 52.001, datum=2024, wert=1), point(12.009, 52.009, datum=2024, wert=2)
        ),
    )
    assert [e.line for e in result.errors] == [2]
    assert (
        "Doppelt: Objekt 1 hat schon einen Wert für den Ortsteil „West“" in result.errors[0].message
    )
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_without_ortsteil_boundaries_points_cannot_be_placed():
    indicator = IndicatorFactory()
    DistrictFactory(organisation=indicator.organisation, geometry=None)
    with pytest.raises(ImportFileError, match="keine Ortsteilgrenzen hinterlegt"):
        _import(indicator, geojson(point(12.0, 52.0, datum=2024, wert=1)))


# Through the page


def _upload(client, indicator, name, body, kind):
    return client.post(
        f"/kommunen/{indicator.organisation.slug}/klima/{indicator.slug}/import/",
        {
            "kind": kind,
            "date": "datum",
            "value": "wert",
            "parameter": "TMK",
            "file": SimpleUploadedFile(name, body),
        },
    )


def _page(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.django_db
def test_staff_preview_and_import_an_xlsx_file(client):
    indicator = IndicatorFactory()
    client.force_login(MembershipFactory(organisation=indicator.organisation, role=Role.ADMIN).user)
    bad = _page(
        _upload(
            client, indicator, "w.xlsx", xlsx(["datum", "wert"], [2020, 1], [2021, "x"]), "xlsx"
        )
    )
    assert "Zeile 3: „x“ ist keine Zahl." in bad and "Es wurde nichts gespeichert." in bad
    assert not PendingImport.objects.exists()
    good = _upload(
        client, indicator, "w.xlsx", xlsx(["datum", "wert"], [2020, 1], [2021, 2.5]), "xlsx"
    )
    assert "2 Werte vom 01.01.2020 bis 01.01.2021 sind bereit." in _page(good)
    pending = PendingImport.objects.get()
    client.post(
        f"/kommunen/{indicator.organisation.slug}/klima/{indicator.slug}/import/",
        {"pending": pending.pk, "confirm": ""},
    )
    assert sorted(Value.objects.values_list("value", flat=True)) == [1.0, 2.5]


@pytest.mark.django_db
def test_staff_see_geojson_errors_by_feature_and_nothing_is_stored(client, town):
    indicator, _west, _east = town
    client.force_login(MembershipFactory(organisation=indicator.organisation, role=Role.ADMIN).user)
    body = geojson(point(12.005, 52.005, datum=2024, wert=3), point(13.5, 52.5, datum=2024, wert=3))
    page = _page(_upload(client, indicator, "punkte.geojson", body, "geojson"))
    assert "1 Objekt kann nicht importiert werden" in page
    assert "Objekt 2: Der Punkt (Länge 13.50000, Breite 52.50000) liegt außerhalb" in page
    page = _page(_upload(client, indicator, "kaputt.geojson", b"{nix", "geojson"))
    assert "kein gültiges JSON" in page
    assert not Value.objects.exists() and not PendingImport.objects.exists()
