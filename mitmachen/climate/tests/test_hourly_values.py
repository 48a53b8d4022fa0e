"""Hourly values have a time (``Value.at``, the instant the hour begins): read from CSV
and XLSX (in the date column or a time column; local time in Europe/Berlin, the hour
that does not exist in spring and the one that exists twice in autumn refused without
a zone), stored once per instant, written back unambiguously (with the offset), and
drawn hour by hour for a range of days."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from statistics import fmean

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from mitmachen.climate import selectors, services
from mitmachen.climate.importers import BERLIN, Mapping, parse_csv, parse_instant
from mitmachen.climate.models import Value
from mitmachen.climate.services import summaries_refresh
from mitmachen.climate.tests.factories import IndicatorFactory

CSV = {"date": "datum", "value": "wert", "district": "ortsteil", "category": "kategorie",
       "note": "hinweis"}  # fmt: skip


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "clock", "instant"),
    [
        ("2025-07-01 13:00", "", utc(2025, 7, 1, 11)),  # summer: UTC+2
        ("01.12.2025 13:00", "", utc(2025, 12, 1, 12)),  # winter: UTC+1
        ("2025-07-01T13:00:00", "", utc(2025, 7, 1, 11)),
        ("01.07.2025", "13:00", utc(2025, 7, 1, 11)),
        ("2025-07-01", "13:00:00", utc(2025, 7, 1, 11)),
        # the two 02:00 hours of 26 October 2025, told apart by their offsets
        ("2025-10-26T02:00:00+02:00", "", utc(2025, 10, 26, 0)),
        ("2025-10-26T02:00:00+01:00", "", utc(2025, 10, 26, 1)),
        ("2025-10-26", "02:00+0100", utc(2025, 10, 26, 1)),
        ("2025-10-26 01:00Z", "", utc(2025, 10, 26, 1)),
        ("2025-03-30 03:00", "", utc(2025, 3, 30, 1)),  # the first summer hour
    ],
)
def test_times_are_local_unless_a_zone_is_given(day, clock, instant):
    assert parse_instant(day, clock) == instant


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2025-10-26 02:00", "gibt es am 26.10.2025 zweimal (Ende der Sommerzeit)"),
        ("2025-03-30 02:00", "gibt es in Deutschland nicht (Beginn der Sommerzeit"),
        ("2025-07-01 13:30", "beginnen zur vollen Stunde"),
        ("2025-07-01 13:00+05:30", "beginnen zur vollen Stunde"),
        ("2025-07-01", "bitte Datum und Uhrzeit angeben"),
        ("2025-07-01 24:00", "keine gültige Uhrzeit"),
        ("31.02.2025 13:00", "kein gültiges Datum"),
    ],
)
def test_a_time_that_would_be_guessed_is_refused_in_german(day, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_instant(day)


def test_a_csv_file_of_hourly_values_gives_each_row_its_hour():
    text = (
        "datum;uhrzeit;wert\n"
        "26.10.2025;01:00;1,5\n"
        "26.10.2025;02:00+02:00;2,5\n"
        "26.10.2025;02:00+01:00;3,5\n"
        "26.10.2025;02:00;4\n"  # which one?
        "26.10.2025;03:00;5\n"
        "26.10.2025;03:00;6\n"  # twice
    )
    parsed = parse_csv(text, Mapping(date="datum", value="wert", time="uhrzeit"), "stunde")
    assert [(r.at, r.date, r.value) for r in parsed.rows] == [
        (utc(2025, 10, 25, 23), date(2025, 10, 26), 1.5),
        (utc(2025, 10, 26, 0), date(2025, 10, 26), 2.5),
        (utc(2025, 10, 26, 1), date(2025, 10, 26), 3.5),
        (utc(2025, 10, 26, 2), date(2025, 10, 26), 5.0),
    ]
    assert [e.line for e in parsed.errors] == [5, 7]
    assert parsed.errors[0].message.startswith("Die Uhrzeit 02:00 gibt es am 26.10.2025 zweimal")
    assert parsed.errors[1].message.startswith("Doppelt: Zeile 6 hat schon einen Wert")


def test_a_time_column_for_a_daily_indicator_is_refused():
    from mitmachen.climate.importers import ImportFileError

    with pytest.raises(ImportFileError, match="nur zu einem Indikator mit Stundenwerten"):
        parse_csv("datum;uhrzeit;wert\n01.07.2025;13:00;1\n",
                  Mapping(date="datum", value="wert", time="uhrzeit"), "tag")  # fmt: skip


@pytest.mark.django_db
def test_an_xlsx_file_with_datetime_and_time_cells():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["zeitpunkt", "uhrzeit", "wert"])
    sheet.append([datetime(2025, 7, 1, 13, 0), None, 1.0])  # one datetime cell
    sheet.append([date(2025, 7, 1), time(14, 0), 2.0])  # date and time cells
    sheet.append([datetime(2025, 7, 1), "15:00", 3.0])  # a date stored as datetime + text
    buffer = io.BytesIO()
    book.save(buffer)
    indicator = IndicatorFactory(resolution="stunde", aggregation="mittel")
    result = services.values_import(
        user=None, indicator=indicator, kind="xlsx", data=buffer.getvalue(),
        options={"date": "zeitpunkt", "value": "wert", "time": "uhrzeit"},
    )  # fmt: skip
    assert result.ok, result.errors
    stored = Value.objects.filter(indicator=indicator).order_by("at")
    assert list(stored.values_list("at", flat=True)) == [
        utc(2025, 7, 1, 11), utc(2025, 7, 1, 12), utc(2025, 7, 1, 13)
    ]  # fmt: skip


@pytest.mark.django_db
def test_one_value_per_instant_but_24_or_25_on_a_day():
    indicator = IndicatorFactory(resolution="stunde")
    start = datetime(2025, 10, 26, tzinfo=BERLIN).astimezone(UTC)
    hours = [start + timedelta(hours=n) for n in range(25)]  # the long Sunday
    Value.objects.bulk_create(
        Value(indicator=indicator, date=date(2025, 10, 26), at=at, value=n)
        for n, at in enumerate(hours)
    )
    assert {at.astimezone(BERLIN).date() for at in hours} == {date(2025, 10, 26)}
    with pytest.raises(IntegrityError), transaction.atomic():
        Value.objects.create(indicator=indicator, date=date(2025, 10, 26), at=hours[3], value=9)


@pytest.mark.django_db
def test_reimport_replaces_the_file_s_hours_only():
    indicator = IndicatorFactory(resolution="stunde", aggregation="mittel")
    options = {"date": "datum", "value": "wert"}

    def load(text):
        result = services.values_import(
            user=None, indicator=indicator, kind="csv", data=text.encode(), options=options
        )
        assert result.ok, result.errors
        return result

    load("datum;wert\n01.07.2025 10:00;1\n01.07.2025 11:00;2\n01.07.2025 12:00;3\n")
    again = load("datum;wert\n01.07.2025 11:00;20\n01.07.2025 12:00;30\n")
    assert again.replaced == 2
    load("datum;wert\n01.07.2025 11:00;20\n01.07.2025 12:00;30\n")  # the same file again
    stored = Value.objects.filter(indicator=indicator).order_by("at")
    assert [(v.at.astimezone(BERLIN).hour, v.value) for v in stored] == [
        (10, 1.0), (11, 20.0), (12, 30.0)
    ]  # fmt: skip


# Random hours around the autumn and spring changes (and any other), with categories.
instants = (
    st.integers(0, 24 * 60).map(lambda n: datetime(2024, 10, 1, tzinfo=UTC) + timedelta(hours=n))
    | st.integers(-48, 48).map(lambda n: utc(2025, 10, 26, 1) + timedelta(hours=n))
    | (st.integers(-48, 48).map(lambda n: utc(2025, 3, 30, 1) + timedelta(hours=n)))
)
hourly_series = st.lists(
    st.tuples(
        instants,
        st.floats(-1e15, 1e15, allow_nan=False, width=64),
        st.sampled_from(["", "Station Nord", "Station; Süd"]),
    ),
    max_size=40,
    unique_by=lambda row: (row[0], row[2]),
)


class HourlyRoundTrip(TestCase):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rows=hourly_series.map(lambda rows: [*rows, (utc(2025, 10, 26, 0), 1.5, "x")]))
    def test_export_csv_then_import_gives_the_same_hours(self, rows):
        """Random hourly series, the doubled October hour included: download as CSV,
        import into another hourly indicator, the same instants and values."""
        source = IndicatorFactory(resolution="stunde")
        Value.objects.bulk_create(
            Value(indicator=source, date=at.astimezone(BERLIN).date(), at=at, value=v,
                  category=c)
            for at, v, c in rows
        )  # fmt: skip
        response = Client().get(
            f"/kommunen/{source.organisation.slug}/klima/{source.slug}/daten.csv"
        )
        data = b"".join(response.streaming_content)
        target = IndicatorFactory(organisation=source.organisation, resolution="stunde")
        result = services.values_import(
            user=None, indicator=target, kind="csv", data=data, options=CSV
        )
        assert result.ok, result.errors[:3]

        def of(indicator):
            return sorted(
                Value.objects.filter(indicator=indicator).values_list(
                    "at", "date", "value", "category"
                )
            )

        expected = sorted((at, at.astimezone(BERLIN).date(), v, c) for at, v, c in rows)
        assert of(target) == of(source) == expected


def store_hours(indicator, hours, start=utc(2024, 12, 31, 23), categories=("",)):
    Value.objects.bulk_create(
        (
            Value(
                indicator=indicator,
                date=(start + timedelta(hours=n)).astimezone(BERLIN).date(),
                at=start + timedelta(hours=n),
                category=category,
                value=round((n % 41) * 0.5 - 4 + i, 2),
            )
            for n in range(hours)
            for i, category in enumerate(categories)
        ),
        batch_size=5000,
    )
    summaries_refresh(indicator=indicator)


def url(indicator, query=""):
    return f"/kommunen/{indicator.organisation.slug}/klima/{indicator.slug}/{query}"


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("aggregation", ["mittel", "summe"])
def test_each_hourly_point_combines_the_values_of_its_hour(aggregation):
    indicator = IndicatorFactory(resolution="stunde", aggregation=aggregation)
    store_hours(indicator, 24 * 20, categories=("a", "b", "c"))
    first, last = date(2025, 1, 3), date(2025, 1, 9)
    groups = defaultdict(list)
    for at, value in Value.objects.filter(indicator=indicator).values_list("at", "value"):
        if first <= at.astimezone(BERLIN).date() <= last:
            groups[at].append(value)
    combine = fmean if aggregation == "mittel" else sum
    expected = [(at, combine(v)) for at, v in sorted(groups.items())]
    found = selectors.hours(indicator, first, last)
    assert len(expected) == 7 * 24
    assert [at for at, _v in found.points] == [at for at, _v in expected]
    assert [v for _at, v in found.points] == pytest.approx([v for _at, v in expected])


@pytest.mark.django_db
def test_the_page_draws_hours_for_a_range_of_days_with_a_table(client):
    indicator = IndicatorFactory(resolution="stunde", aggregation="mittel", unit="°C")
    store_hours(indicator, 24 * 40)  # 2025-01-01 00:00 to 2025-02-09 23:00 in Berlin
    page = text(client.get(url(indicator)))
    assert 'href="?aufloesung=stunde#verlauf">Stunde</a>' in page
    assert "Jeder Punkt ist der Mittelwert aller Werte eines Tages." in page
    page = text(client.get(url(indicator, "?aufloesung=stunde")))
    assert '<strong aria-current="true">Stunde</strong>' in page
    assert "Jeder Punkt ist der Mittelwert aller Werte einer Stunde." in page
    # by default the last 7 days with values, each hour a row of the table
    assert 'name="von" value="2025-02-03"' in page and 'name="bis" value="2025-02-09"' in page
    assert "Tabelle: 168 Stundenwerte" in page
    assert "03.02.2025, 00:00 MEZ" in page and "09.02.2025, 23:00 MEZ" in page
    page = text(client.get(url(indicator, "?aufloesung=stunde&von=2025-01-10&bis=2025-01-11")))
    assert "Tabelle: 48 Stundenwerte" in page and "10.01.2025, 00:00 MEZ" in page
    assert "<text" in page and ">10.01.<" in page  # the day on the axis


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("von=2025-01-01&bis=2025-02-01", "höchstens 31 Tage"),
        ("von=2025-01-09&bis=2025-01-02", "liegt vor dem Tag"),
        ("von=gestern&bis=2025-01-02", "Bitte geben Sie zwei Tage an"),
        ("von=2025-01-02", "Bitte geben Sie zwei Tage an"),
    ],
)
def test_a_range_the_chart_cannot_draw_says_why_and_shows_the_last_week(client, query, message):
    indicator = IndicatorFactory(resolution="stunde", aggregation="mittel")
    store_hours(indicator, 24 * 40)
    response = client.get(url(indicator, f"?aufloesung=stunde&{query}"))
    assert response.status_code == 200
    page = text(response)
    assert message in page and 'role="alert"' in page
    assert "Tabelle: 168 Stundenwerte" in page


@pytest.mark.django_db
def test_days_without_values_say_so(client):
    indicator = IndicatorFactory(resolution="stunde", aggregation="mittel")
    store_hours(indicator, 48)
    page = text(client.get(url(indicator, "?aufloesung=stunde&von=2020-01-01&bis=2020-01-02")))
    assert "Vom 01.01.2020 bis 02.01.2020 gibt es keine Stundenwerte." in page


@pytest.mark.django_db
def test_downloads_and_single_values_name_the_hour_unambiguously(client):
    indicator = IndicatorFactory(resolution="stunde", aggregation="mittel")
    store_hours(indicator, 4, start=utc(2025, 10, 25, 23))  # 01:00, 02:00, 02:00, 03:00
    csv_text = b"".join(client.get(url(indicator, "daten.csv")).streaming_content).decode()
    assert csv_text.splitlines()[1:] == [
        "2025-10-26T01:00:00+02:00;-4,0;;;",
        "2025-10-26T02:00:00+02:00;-3,5;;;",
        "2025-10-26T02:00:00+01:00;-3,0;;;",
        "2025-10-26T03:00:00+01:00;-2,5;;;",
    ]
    data = b"".join(client.get(url(indicator, "daten.json")).streaming_content).decode()
    assert '"zeitpunkt": "2025-10-26T02:00:00+01:00"' in data
    page = text(client.get(url(indicator, "werte/")))
    assert "Datum und Uhrzeit" in page
    assert "26.10.2025, 02:00 MESZ" in page and "26.10.2025, 02:00 MEZ" in page


@pytest.mark.django_db
@pytest.mark.slow
def test_200000_hourly_values_cost_the_queries_of_1000_hour_by_hour_too(client):
    small = IndicatorFactory(resolution="stunde", aggregation="mittel", spatial_level="punkt")
    large = IndicatorFactory(resolution="stunde", aggregation="mittel", spatial_level="punkt")
    store_hours(small, 1_008)
    store_hours(large, 200_016, start=utc(2002, 12, 31, 23))
    assert Value.objects.filter(indicator=large).count() == 200_016

    def queries(indicator, query):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(indicator, query))
        assert response.status_code == 200
        return len(captured), text(response)

    for query in ("?aufloesung=stunde", "?aufloesung=tag", "?aufloesung=monat",
                  "?aufloesung=jahr"):  # fmt: skip
        few, _page = queries(small, query)
        many, page = queries(large, query)
        assert few == many, query
    _n, page = queries(large, "?aufloesung=stunde")
    # the last 7 days with values (the last of them cut where the series ends)
    shown = int(re.search(r"Tabelle: (\d+) Stundenwerte", page).group(1))
    assert 6 * 24 < shown <= 7 * 24


@pytest.mark.django_db
def test_an_indicator_with_values_keeps_the_hourly_resolution():
    from django.core.exceptions import ValidationError

    hourly = IndicatorFactory(resolution="stunde")
    store_hours(hourly, 3)
    daily = IndicatorFactory(resolution="tag")
    Value.objects.create(indicator=daily, date=date(2025, 1, 1), value=1)
    for indicator, other in ((hourly, "tag"), (daily, "stunde")):
        indicator.resolution = other
        with pytest.raises(ValidationError, match="Auflösung „Stunde“ lässt sich nicht ändern"):
            indicator.full_clean()
    daily.resolution = "monat"  # between resolutions without times: allowed as before
    daily.full_clean()
    empty = IndicatorFactory(resolution="tag")
    empty.resolution = "stunde"
    empty.full_clean()


@pytest.mark.parametrize("text", ["1e16", "-2000000000000000", "1.7e308"])
def test_a_value_too_large_for_any_indicator_is_a_bad_row(text):
    parsed = parse_csv(f"datum;wert\n2025;{text}\n2026;1\n", Mapping(date="datum", value="wert"),
                       "jahr")  # fmt: skip
    assert [e.line for e in parsed.errors] == [2]
    assert "ist zu groß für einen Wert (höchstens 10¹⁵)" in parsed.errors[0].message
