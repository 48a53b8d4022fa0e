"""The comparison of municipalities, the Ortsteil map and the embeddable chart."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.climate.models import Value
from mitmachen.climate.services import summaries_refresh
from mitmachen.climate.tests.factories import IndicatorFactory
from mitmachen.organisations import maps
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import (
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
    square,
)

pytestmark = pytest.mark.django_db


def url(indicator, suffix=""):
    return f"/kommunen/{indicator.organisation.slug}/klima/{indicator.slug}/{suffix}"


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def store(indicator, values):
    """``values``: (year, value) or (year, value, district, category)."""
    Value.objects.bulk_create(
        Value(
            indicator=indicator,
            date=date(v[0], 1, 1),
            value=v[1],
            district=v[2] if len(v) > 2 else None,
            category=v[3] if len(v) > 3 else "",
        )
        for v in values
    )
    summaries_refresh(indicator=indicator)


# Comparison


@pytest.fixture
def two_towns():
    town = IndicatorFactory(
        slug="co2",
        unit="t CO₂",
        organisation=OrganisationFactory(name="Stadt Nord", short_name="Nord"),
    )
    other = IndicatorFactory(
        slug="co2",
        unit="t CO₂",
        organisation=OrganisationFactory(name="Gemeinde Süd", short_name="Süd"),
    )
    store(town, [(2020, 1000), (2021, 900)])
    store(other, [(2020, 400), (2021, 500), (2022, 550)])
    return town, other


def test_comparison_sentence_table_and_chart_agree_with_the_data(client, two_towns):
    town, _other = two_towns
    # Neither compared: another unit, or not published.
    IndicatorFactory(slug="co2", unit="kg CO₂")
    IndicatorFactory(slug="co2", unit="t CO₂", is_published=False)
    page = text(client.get(url(town, "vergleich/")))
    # Computed here: the latest year both have, the higher first, the difference.
    nord = {2020: 1000, 2021: 900}
    sued = {2020: 400, 2021: 500, 2022: 550}
    year = max(set(nord) & set(sued))
    assert year == 2021
    difference = nord[year] - sued[year]
    assert (
        f"{year}, das letzte Jahr mit Werten aus allen Kommunen: Nord {nord[year]} t CO₂, "
        f"Süd {sued[year]} t CO₂ – Nord liegt {difference} t CO₂ höher als Süd."
    ) in page
    rows = re.findall(r'<th scope="row" class="kern-table__header">(\d+)</th>(.*?)</tr>', page)
    cells = {int(y): re.findall(r'numeric">(.*?)</td>', rest) for y, rest in rows}
    assert cells[2020] == ["1.000", "400"] and cells[2021] == ["900", "500"]
    assert "kein Wert" in cells[2022][0] and cells[2022][1] == "550"
    assert page.count("<polyline") == 2 and "stroke-dasharray" in page  # told apart not by colour
    assert "kg CO₂" not in page
    # The indicator page links the comparison; an indicator without peers has none.
    assert url(town, "vergleich/") in text(client.get(url(town)))
    lonely = IndicatorFactory(slug="allein")
    assert "vergleich/" not in text(client.get(url(lonely)))
    assert client.get(url(lonely, "vergleich/")).status_code == 404


def test_comparison_sentence_without_a_common_year(client):
    town = IndicatorFactory(slug="pv", organisation=OrganisationFactory(short_name="Nord"))
    other = IndicatorFactory(slug="pv", organisation=OrganisationFactory(short_name="Süd"))
    store(town, [(2020, 1)])
    store(other, [(2021, 2)])
    page = text(client.get(url(other, "vergleich/")))
    assert "Es gibt noch kein Jahr mit Werten aus allen verglichenen Kommunen." in page


def test_comparison_queries_do_not_grow_with_values(client, two_towns):
    town, other = two_towns
    counts = []
    for first in (1990, 1900):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(town, "vergleich/")).status_code == 200
        counts.append(len(queries))
        store(other, [(y, y) for y in range(first, first + 30)])
    assert counts[0] == counts[1] <= 6


# Ortsteil map


@pytest.fixture
def districts():
    organisation = OrganisationFactory(name="Musterstadt")
    made = [
        DistrictFactory(
            organisation=organisation, name=name, geometry=square(12.0 + i * 0.01, 52.0)
        )
        for i, name in enumerate(["Ahorn", "Birke", "Eiche"])
    ]
    DistrictFactory(organisation=organisation, name="Zeder", geometry=None)
    indicator = IndicatorFactory(organisation=organisation, unit="kWp", spatial_level="ortsteil")
    return indicator, made


def test_map_colours_the_ortsteile_and_lists_them(client, districts):
    indicator, (ahorn, birke, _eiche) = districts
    store(
        indicator,
        [
            (2023, 10, ahorn),
            (2024, 100, ahorn, "Dach"),
            (2024, 20, ahorn, "Freifläche"),  # with categories: 120 for Ahorn
            (2024, 480, birke),
        ],
    )
    response = client.get(url(indicator, "karte/"))
    page = text(response)
    assert "2024: am meisten in Birke (480 kWp), am wenigsten in Ahorn (120 kWp)." in page
    # Three boundaries drawn (Zeder has none); Eiche has no value and is white.
    svg = re.search(r"<svg viewBox.*?</svg>", page).group(0)
    assert svg.count("<path ") == 3
    assert "<title>Eiche: keine Werte</title>" in svg
    # Classes of round width 100 from 100 to 500; the legend and the table say so in words.
    assert "Klasse 1: von 100 bis unter 200 kWp (1 Ortsteil)" in page
    assert "Klasse 4: von 400 bis 500 kWp (1 Ortsteil)" in page
    assert "weiß: keine Werte (2 Ortsteile)" in page
    table = page[page.index('id="liste"') :]
    assert re.search(
        r"Ahorn</th> <td[^>]*>120</td> <td[^>]*>1 \(von 100 bis unter 200 kWp\)", table
    )
    assert re.search(r"Zeder</th> <td[^>]*>keine Werte</td>", table)
    assert "Ortsteile ohne hinterlegte Grenze stehen nur in der Tabelle." in page
    assert "<script" not in svg and "http" not in svg  # no tiles, nothing from elsewhere
    # The indicator page links the map.
    assert url(indicator, "karte/") in text(client.get(url(indicator)))


def test_map_year_choice_and_a_bad_year(client, districts):
    indicator, (ahorn, birke, _eiche) = districts
    store(indicator, [(2023, 100, ahorn), (2023, 300, birke), (2024, 500, ahorn)])
    page = text(client.get(url(indicator, "karte/") + "?jahr=2023"))
    assert "2023: am meisten in Birke (300 kWp), am wenigsten in Ahorn (100 kWp)." in page
    page = text(client.get(url(indicator, "karte/") + "?jahr=<b>1999"))
    assert "Für „&lt;b&gt;1999“ gibt es keine Werte; die Karte zeigt 2024." in page
    assert "2024: in allen Ortsteilen mit Werten 500 kWp." in page


def test_map_without_values_or_ortsteile(client):
    indicator = IndicatorFactory(spatial_level="ortsteil")
    response = client.get(url(indicator, "karte/"))
    assert response.status_code == 200
    assert "Für diese Kommune sind keine Ortsteile hinterlegt." in text(response)


def test_map_queries_do_not_grow_with_values(client, districts):
    indicator, made = districts
    counts = []
    for first in (2000, 1000):
        store(indicator, [(y, y, d) for y in range(first, first + 200) for d in made])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(indicator, "karte/")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6


def test_projection_keeps_the_shape_of_a_square_at_52_degrees():
    """A square of 0.01° is cos(52°) as wide as high on the ground; the map keeps that."""
    drawn = maps.choropleth([("A", square(12.0, 52.0))], {"A": 1.0}, unit="kWp")
    numbers = [float(n) for n in re.findall(r"-?\d+\.\d", drawn.areas[0].path)]
    xs, ys = numbers[0::2], numbers[1::2]
    ratio = (max(xs) - min(xs)) / (max(ys) - min(ys))
    assert ratio == pytest.approx(0.6157, abs=0.01)
    assert min(ys) == pytest.approx(maps.PAD, abs=0.1)  # north is up, at the top


@pytest.mark.parametrize(
    ("value", "expected"), [(100, 0), (199.9, 0), (200, 1), (499, 3), (500, 3)]
)
def test_classes_are_half_open_and_the_last_is_closed(value, expected):
    bounds = [(100, 200), (200, 300), (300, 400), (400, 500)]
    assert maps.class_of(value, bounds) == expected


# Embeddable chart


def test_embed_sets_no_cookie_and_may_be_framed(client, two_towns):
    town, _other = two_towns
    response = client.get(url(town, "einbetten/"))
    assert response.status_code == 200
    assert not response.cookies
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    page = text(response)
    assert "2021: 900 t CO₂, 10 % weniger als 2020." in page and "<polyline" in page
    # Signed in: the embed still touches neither the session nor the CSRF cookie.
    user = UserFactory()
    client.force_login(user)
    session_key = client.cookies["sessionid"].value
    response = client.get(url(town, "einbetten/"))
    assert response.status_code == 200 and not response.cookies
    assert client.cookies["sessionid"].value == session_key
    # Every other page keeps refusing to be framed.
    other_page = client.get(url(town))
    assert "frame-ancestors 'none'" in other_page["Content-Security-Policy"]
    assert other_page["X-Frame-Options"] == "DENY"


def test_indicator_page_shows_the_embed_code(client, two_towns):
    town, _other = two_towns
    page = client.get(url(town)).content.decode()
    assert (
        f"&lt;iframe src=&quot;http://testserver{url(town, 'einbetten/')}&quot; "
        f"title=&quot;{town.title} – Nord&quot;"
    ) in page


def test_embed_is_for_published_indicators_only(client):
    hidden = IndicatorFactory(is_published=False)
    client.force_login(MembershipFactory(organisation=hidden.organisation, role=Role.ADMIN).user)
    assert client.get(url(hidden, "einbetten/")).status_code == 404
    assert "einbetten/" not in text(client.get(url(hidden)))
