"""The chart's resolution (a point per day, month or year, ``?aufloesung=``): each point
is what the sentence under the chart says (checked against sums and means computed by
hand), the target path only over yearly points, and an indicator of 200,016 hourly
values costs the same queries as one of 1,008, at every resolution."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta
from statistics import fmean

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mitmachen.climate import selectors
from mitmachen.climate.models import Value
from mitmachen.climate.services import summaries_refresh
from mitmachen.climate.tests.factories import IndicatorFactory, TargetFactory

pytestmark = pytest.mark.django_db


def url(indicator, query=""):
    return f"/kommunen/{indicator.organisation.slug}/klima/{indicator.slug}/{query}"


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def hourly(indicator, days, start=date(2003, 1, 1)):
    """24 values a day, the hour as the category (a value has a date, not a time)."""
    Value.objects.bulk_create(
        (
            Value(
                indicator=indicator,
                date=start + timedelta(days=d),
                category=f"{h:02d} Uhr",
                value=round((d % 97) * 0.25 + h * 0.5 - 3, 2),
            )
            for d in range(days)
            for h in range(24)
        ),
        batch_size=5000,
    )
    summaries_refresh(indicator=indicator)


@pytest.mark.parametrize("aggregation", ["mittel", "summe"])
def test_each_point_is_the_sum_or_mean_of_its_period(aggregation):
    indicator = IndicatorFactory(resolution="tag", aggregation=aggregation, unit="°C")
    hourly(indicator, 400, start=date(2023, 12, 1))
    values = list(Value.objects.filter(indicator=indicator).values_list("date", "value"))
    combine = fmean if aggregation == "mittel" else sum
    for step, key in (
        ("tag", lambda d: d),
        ("monat", lambda d: date(d.year, d.month, 1)),
        ("jahr", lambda d: date(d.year, 1, 1)),
    ):
        groups: dict[date, list[float]] = defaultdict(list)
        for day, value in values:
            groups[key(day)].append(value)
        expected = [(k, combine(v)) for k, v in sorted(groups.items())]
        found = selectors.series(indicator, selectors.monthly(indicator), step)
        assert found.step == step
        assert [k for k, _v in found.points] == [k for k, _v in expected]
        assert [v for _k, v in found.points] == pytest.approx([v for _k, v in expected])


def test_the_page_offers_the_resolutions_and_says_what_a_point_is(client):
    indicator = IndicatorFactory(resolution="tag", aggregation="mittel", unit="°C")
    hourly(indicator, 60)
    page = text(client.get(url(indicator)))
    assert "Auflösung der Grafik, ein Punkt je:" in page
    assert '<strong aria-current="true">Tag</strong>' in page
    assert 'href="?aufloesung=monat#verlauf">Monat</a>' in page
    assert "Jeder Punkt ist der Mittelwert aller Werte eines Tages." in page
    assert "Tageswerte" in page
    page = text(client.get(url(indicator, "?aufloesung=monat")))
    assert '<strong aria-current="true">Monat</strong>' in page
    assert "Jeder Punkt ist der Mittelwert aller Werte eines Monats." in page
    assert "Monatswerte" in page
    page = text(client.get(url(indicator, "?aufloesung=jahr")))
    assert "Jeder Punkt ist der Mittelwert aller Werte eines Jahres." in page
    # Anything else: the default, no error.
    response = client.get(url(indicator, "?aufloesung=stunde%00"))
    assert response.status_code == 200
    assert '<strong aria-current="true">Tag</strong>' in text(response)


def test_a_yearly_indicator_has_no_choice_and_sums_say_so(client):
    indicator = IndicatorFactory(resolution="jahr", aggregation="summe")
    Value.objects.bulk_create(
        [Value(indicator=indicator, date=date(2015 + i, 1, 1), value=10 - i) for i in range(5)]
    )
    summaries_refresh(indicator=indicator)
    page = text(client.get(url(indicator)))
    assert "Auflösung der Grafik" not in page
    assert "Jeder Punkt ist die Summe aller Werte eines Jahres." in page


def test_the_target_path_is_drawn_over_yearly_points_only(client):
    indicator = IndicatorFactory(resolution="tag", aggregation="summe")
    hourly(indicator, 800, start=date(2020, 1, 1))
    TargetFactory(indicator=indicator, baseline_year=2020, target_year=2030)
    dashed = 'stroke-dasharray="6 4"'
    page = text(client.get(url(indicator)))
    assert '<strong aria-current="true">Jahr</strong>' in page and dashed in page
    page = text(client.get(url(indicator, "?aufloesung=monat")))
    assert dashed not in page
    assert "Den Zielpfad zeigt die Grafik mit einem Punkt je Jahr." in page


@pytest.mark.slow
def test_200000_hourly_values_cost_the_queries_of_1000(client):
    small = IndicatorFactory(resolution="tag", aggregation="mittel", spatial_level="punkt")
    large = IndicatorFactory(resolution="tag", aggregation="mittel", spatial_level="punkt")
    hourly(small, 42)  # 1,008 values
    hourly(large, 8334)  # 200,016 values, 2003-01-01 to 2025-10-27
    assert Value.objects.filter(indicator=large).count() == 200_016

    def queries(indicator, query):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(indicator, query))
        assert response.status_code == 200
        return len(captured), text(response)

    for query in ("?aufloesung=tag", "?aufloesung=monat", "?aufloesung=jahr"):
        few, _page = queries(small, query)
        many, page = queries(large, query)
        assert few == many, query
    # By default the short series is drawn per date (one query of values), the long one
    # per month from the summaries (none): never more queries for more values.
    few, _page = queries(small, "")
    many, _page = queries(large, "")
    assert many == few - 1
    # By day: 8,334 daily means, 400 of them drawn (LTTB), and the page says so.
    _n, page = queries(large, "?aufloesung=tag")
    assert "Die Grafik zeigt 400 von 8334 Punkten" in page
    assert "Jeder Punkt ist der Mittelwert aller Werte eines Tages." in page
    # Default for so long a series: per month, all 274 months drawn... by LTTB's 400.
    _n, page = queries(large, "")
    assert '<strong aria-current="true">Monat</strong>' in page
    assert "Die Grafik zeigt" not in page  # 274 months ≤ 400 points: every month drawn
