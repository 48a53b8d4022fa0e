"""The page of single values (100 per page) and the bounded cost of long series: the
values page, the embed and the indicator page read the same number of queries for
1,000 and 30,000 values, and a deep page as many as the first."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mitmachen.climate.models import Value
from mitmachen.climate.selectors import VALUES_PER_PAGE, monthly, values_page
from mitmachen.climate.services import summaries_refresh
from mitmachen.climate.tests.factories import IndicatorFactory
from mitmachen.organisations.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


def url(indicator, suffix=""):
    return f"/kommunen/{indicator.organisation.slug}/klima/{indicator.slug}/{suffix}"


def store(indicator, days, districts=(None,), categories=("",), start=date(2001, 3, 5)):
    Value.objects.bulk_create(
        (
            Value(
                indicator=indicator,
                date=start + timedelta(days=i),
                value=i + n / 100,
                district=d,
                category=c,
            )
            for i in range(days)
            for n, (d, c) in enumerate((d, c) for d in districts for c in categories)
        ),
        batch_size=5000,
    )
    summaries_refresh(indicator=indicator)


def every_value(indicator):
    """All values in the download's order, computed without the month summaries."""
    return list(
        Value.objects.filter(indicator=indicator)
        .order_by("date", "at", "district__name", "category")
        .values_list("date", "value", "district__name", "category", "note", "at", "lon", "lat")
    )


def test_pages_together_are_every_value_once_in_order():
    indicator = IndicatorFactory(resolution="tag", spatial_level="ortsteil")
    districts = [DistrictFactory(organisation=indicator.organisation) for _ in range(3)]
    # months with 3 × 28 … 3 × 31 values: pages start and end inside months
    store(indicator, 400, districts=districts, categories=("a", "b"))
    months = monthly(indicator)
    expected = every_value(indicator)
    first = values_page(indicator, months, 1)
    assert first.num_pages == -(-len(expected) // VALUES_PER_PAGE) == 24
    seen = []
    for number in range(1, first.num_pages + 1):
        page = values_page(indicator, months, number)
        assert len(page.rows) == (VALUES_PER_PAGE if number < page.num_pages else 2400 % 100 or 100)
        seen += page.rows
    assert seen == expected


def test_a_page_beyond_the_end_shows_the_last_and_nonsense_the_first(client):
    indicator = IndicatorFactory(resolution="tag")
    store(indicator, 250)
    last = client.get(url(indicator, "werte/?seite=99"))
    assert last.status_code == 200
    assert "Seite 3 von 3" in last.content.decode()
    assert "Nächste Seite" not in last.content.decode()
    for nonsense in ("abc", "-1", "0", "9" * 30, ""):
        response = client.get(url(indicator, f"werte/?seite={nonsense}"))
        assert response.status_code == 200
        assert "Seite 1 von 3" in response.content.decode()


def test_values_are_shown_exactly_as_stored(client):
    indicator = IndicatorFactory(resolution="tag", is_example_data=True)
    Value.objects.create(indicator=indicator, date=date(2024, 5, 1), value=0.125, note="vorläufig")
    summaries_refresh(indicator=indicator)
    page = client.get(url(indicator, "werte/")).content.decode()
    assert "0,125" in page  # not rounded to 0,1 for display
    assert "vorläufig" in page
    assert "Beispieldaten" in page
    assert re.search(r"1 Wert vom", page)


def test_an_indicator_without_values_has_an_empty_values_page(client):
    indicator = IndicatorFactory()
    response = client.get(url(indicator, "werte/"))
    assert response.status_code == 200
    assert "Noch keine Werte." in response.content.decode()


def test_unpublished_values_only_for_staff(client):
    indicator = IndicatorFactory(is_published=False)
    assert client.get(url(indicator, "werte/")).status_code == 404


def _count(client, address):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_values_or_page(client, django_assert_max_num_queries):
    small = IndicatorFactory(resolution="tag", aggregation="mittel")
    big = IndicatorFactory(resolution="tag", aggregation="mittel", spatial_level="ortsteil")
    store(small, 1000)
    districts = [DistrictFactory(organisation=big.organisation) for _ in range(6)]
    store(big, 5000, districts=districts)  # 30,000 values over 13.7 years: per month
    assert _count(client, url(small, "werte/")) == _count(client, url(big, "werte/"))
    assert _count(client, url(big, "werte/?seite=150")) == _count(client, url(big, "werte/"))
    # a short series is charted per date (one query more), a long one per month
    for suffix in ("", "einbetten/"):
        assert _count(client, url(big, suffix)) <= _count(client, url(small, suffix)), suffix
    # With the site footer's query (the project offices; cached in production).
    with django_assert_max_num_queries(4):
        client.get(url(big, "werte/?seite=299"))
    with django_assert_max_num_queries(4):
        client.get(url(big, "einbetten/"))


def test_a_deep_page_reads_only_the_months_it_shows(client):
    """The value query of page 150 of 300 is bounded by dates: it never counts or skips
    the 14,900 values before the page."""
    big = IndicatorFactory(resolution="tag", spatial_level="ortsteil")
    districts = [DistrictFactory(organisation=big.organisation) for _ in range(6)]
    store(big, 5000, districts=districts)
    with CaptureQueriesContext(connection) as queries:
        client.get(url(big, "werte/?seite=150"))
    value_query = next(q["sql"] for q in queries if 'FROM "climate_value"' in q["sql"])
    assert '"climate_value"."date" >=' in value_query
    assert '"climate_value"."date" <=' in value_query
    offset = int(re.search(r"OFFSET (\d+)", value_query).group(1))
    assert offset < 31 * 6  # within the page's first month
