"""The file readers: numbers, dates, encodings, the DWD daily format, CSV mapping."""

from __future__ import annotations

from datetime import date

import pytest

from mitmachen.climate import importers
from mitmachen.climate.importers import ImportFileError, Mapping


@pytest.mark.parametrize(
    ("text", "number"),
    [("1,5", 1.5), ("1.234,5", 1234.5), ("1234,5", 1234.5), ("-3", -3.0), (" 12 ", 12.0),
     ("1.234.567", 1234567.0), ("0,001", 0.001)],
)  # fmt: skip
def test_numbers_with_decimal_comma(text, number):
    assert importers.parse_number(text) == number


@pytest.mark.parametrize(
    ("text", "number"), [("1.234", 1.234), ("1234.5", 1234.5), ("-3", -3.0), ("1e-05", 1e-05)]
)
def test_numbers_with_decimal_point(text, number):
    assert importers.parse_number(text, decimal_comma=False) == number


def test_a_file_decides_its_decimal_separator():
    """1.234 is 1234 in a file with decimal commas, 1.234 in one with decimal points."""
    german = importers.parse_csv(
        "d;w\n2020;1.234\n2021;0,5\n", Mapping(date="d", value="w"), "jahr"
    )
    english = importers.parse_csv(
        "d,w\n2020,1.234\n2021,0.5\n", Mapping(date="d", value="w"), "jahr"
    )
    assert [r.value for r in german.rows] == [1234.0, 0.5]
    assert [r.value for r in english.rows] == [1.234, 0.5]


@pytest.mark.parametrize(
    "text", ["", "abc", "=SUMME(A1:A3)", "@A1", "1,2,3", "nan", "inf", "1.2,3.4"]
)
def test_not_numbers(text):
    with pytest.raises(ValueError):
        importers.parse_number(text)


@pytest.mark.parametrize(
    ("text", "resolution", "day"),
    [("31.12.2024", "tag", date(2024, 12, 31)), ("1.3.2024", "tag", date(2024, 3, 1)),
     ("2024-03-01", "tag", date(2024, 3, 1)), ("20240301", "tag", date(2024, 3, 1)),
     ("03.2024", "monat", date(2024, 3, 1)), ("2024-03", "monat", date(2024, 3, 1)),
     ("15.03.2024", "monat", date(2024, 3, 1)), ("2024", "jahr", date(2024, 1, 1)),
     ("31.12.2024", "jahr", date(2024, 1, 1))],
)  # fmt: skip
def test_dates(text, resolution, day):
    assert importers.parse_date(text, resolution) == day


@pytest.mark.parametrize(
    ("text", "resolution"),
    [("2024", "tag"), ("31.02.2024", "tag"), ("gestern", "jahr"), ("2024", "monat")],
)
def test_bad_dates_have_a_german_message(text, resolution):
    with pytest.raises(ValueError, match=r"Datum|angeben|gültiges"):
        importers.parse_date(text, resolution)


def test_encodings_utf8_with_bom_and_latin1_read_the_same():
    text = "datum;ortsteil;wert\n2024;Lübnitz;1,5\n"
    assert importers.decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert importers.decode(text.encode("latin-1")) == text
    assert importers.decode(text.encode("utf-8")) == text


def test_a_binary_or_huge_file_is_refused():
    with pytest.raises(ImportFileError, match="keine Textdatei"):
        importers.decode(b"PK\x03\x04\x00\x00")
    with pytest.raises(ImportFileError, match="zu groß"):
        importers.decode(b"a" * (importers.MAX_IMPORT_BYTES + 1))


def test_csv_with_mapping_collects_every_bad_row():
    text = (
        "Jahr;Wert;Sektor;Bemerkung\n"
        "2020;1.234,5;Verkehr;\n"
        "2021;viel;Verkehr;\n"
        '2022;3;=HYPERLINK("x");\n'
        "2020;7;Verkehr;\n"
        "\n"
        "2023;4,5;Verkehr;vorläufig\n"
    )
    parsed = importers.parse_csv(
        text, Mapping(date="Jahr", value="Wert", category="Sektor", note="Bemerkung"), "jahr"
    )
    assert [(r.line, r.date.year, r.value, r.note) for r in parsed.rows] == [
        (2, 2020, 1234.5, ""),
        (7, 2023, 4.5, "vorläufig"),
    ]
    assert [e.line for e in parsed.errors] == [3, 4, 5]
    assert "keine Zahl" in parsed.errors[0].message
    assert "Formel" in parsed.errors[1].message
    assert "Doppelt" in parsed.errors[2].message


def test_csv_with_a_missing_column_names_the_header():
    with pytest.raises(ImportFileError, match=r"„Menge“ gibt es in der Datei nicht.*datum, wert"):
        importers.parse_csv("datum,wert\n2020,1\n", Mapping(date="datum", value="Menge"), "jahr")


def _dwd(days):
    return importers.write_dwd_daily(4711, days)


def test_dwd_daily_file_maps_minus_999_to_missing():
    text = _dwd(
        [
            (date(2024, 1, 1), {"TMK": 1.5, "RSK": 0.0}),
            (date(2024, 1, 2), {"TMK": None, "RSK": 2.3}),
            (date(2024, 1, 3), {"TMK": -4.2, "RSK": None}),
        ]
    )
    assert text.startswith("STATIONS_ID;MESS_DATUM;")
    temperature = importers.parse_dwd_daily(text, "TMK")
    assert [(r.date.day, r.value) for r in temperature.rows] == [(1, 1.5), (3, -4.2)]
    assert temperature.missing == 1 and not temperature.errors
    rain = importers.parse_dwd_daily(text, "RSK")
    assert [(r.date.day, r.value) for r in rain.rows] == [(1, 0.0), (2, 2.3)]


def test_dwd_file_with_a_wrong_header_is_refused_clearly():
    with pytest.raises(
        ImportFileError, match="keine Tageswerte-Datei des Deutschen Wetterdienstes"
    ):
        importers.parse_dwd_daily("datum;wert\n20240101;3\n", "TMK")
    with pytest.raises(ImportFileError, match="keine Spalte „TMK“"):
        importers.parse_dwd_daily("STATIONS_ID;MESS_DATUM;RSK;eor\n1;20240101;3;eor\n", "TMK")


def test_dwd_bad_rows_are_reported_by_line():
    text = "STATIONS_ID;MESS_DATUM;TMK;eor\n1;20240101;3,x;eor\n1;2024011;2;eor\n1;20240103;2;eor\n"
    parsed = importers.parse_dwd_daily(text, "TMK")
    assert [e.line for e in parsed.errors] == [2, 3]
    assert len(parsed.rows) == 1
