"""The comparison per inhabitant: absolute amounts (sums) divided by each
municipality's number of inhabitants of that year (or the latest year before it),
labelled "je Einwohner/in", shown only when every municipality has a figure; the
figures are entered by staff with their source."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.climate import services
from mitmachen.climate.models import Population, Value
from mitmachen.climate.services import summaries_refresh
from mitmachen.climate.tests.factories import IndicatorFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def section(page):
    start = page.index('id="je-einwohner"')
    return page[start : page.index('id="herkunft"')]


def town(name, values, aggregation="summe"):
    indicator = IndicatorFactory(
        slug="co2",
        unit="t CO₂",
        aggregation=aggregation,
        organisation=OrganisationFactory(name=f"Stadt {name}", short_name=name),
    )
    Value.objects.bulk_create(
        Value(indicator=indicator, date=date(year, 1, 1), value=value) for year, value in values
    )
    summaries_refresh(indicator=indicator)
    return indicator


def people(indicator, *figures, example=False):
    for year, inhabitants in figures:
        Population.objects.create(
            organisation=indicator.organisation, year=year, inhabitants=inhabitants,
            source=f"Statistik {indicator.organisation.short_name}", is_example_data=example,
        )  # fmt: skip


def address(indicator):
    return f"/kommunen/{indicator.organisation.slug}/klima/{indicator.slug}/vergleich/"


@pytest.fixture
def two():
    north = town("Nord", [(2015, 50_000), (2017, 45_000), (2020, 36_000)])
    south = town("Süd", [(2017, 20_000), (2020, 19_000)])
    people(north, (2015, 10_000), (2020, 12_000))
    people(south, (2018, 4_000))
    return north, south


def test_values_are_divided_by_the_inhabitants_of_their_year(client, two):
    north, _south = two
    page = text(client.get(address(north)))
    assert "<h2" in page and "Je Einwohner/in</h2>" in page
    part = section(page)
    # 2020: Nord 36,000 / 12,000 = 3.0; Süd 19,000 / 4,000 (figure of 2018) = 4.75.
    assert (
        "2020, das letzte Jahr mit Werten aus allen Kommunen: Süd 4,8 t CO₂ je Einwohner/in, "
        "Nord 3,0 t CO₂ je Einwohner/in – Süd liegt 1,8 t CO₂ je Einwohner/in höher als Nord."
    ) in part
    rows = dict(
        re.findall(r'<th scope="row" class="kern-table__header">(\d{4})</th>(.*?)</tr>', part)
    )
    cells = {year: re.findall(r"<td[^>]*>(.*?)</td>", row) for year, row in rows.items()}
    assert cells["2015"][0] == "5,00"  # 50,000 / 10,000
    assert cells["2017"][0] == '4,50 <span class="kern-body--small">(Einwohner 2015)</span>'
    assert cells["2020"][0] == "3,00"
    assert cells["2020"][1] == '4,75 <span class="kern-body--small">(Einwohner 2018)</span>'
    # Süd's 2017 value precedes its first figure (2018): no value, never a later figure.
    assert "kein Wert" in cells["2017"][1]
    assert "Jahressumme in t CO₂ je Einwohner/in" in part
    assert "Nord: 2015: 10.000; 2020: 12.000 – Quelle: Statistik Nord" in part
    assert "Beispieldaten" not in part


def test_example_figures_say_so(client, two):
    north, south = two
    people(south, (2020, 4_100), example=True)
    part = section(text(client.get(address(north))))
    assert "Mindestens eine der Einwohnerzahlen ist erfunden oder gerundet." in part
    assert "2020: 4.100 (Beispieldaten)" in part


def test_no_per_inhabitant_part_without_every_figure_or_for_means(client):
    north = town("Nord", [(2020, 36_000)])
    south = town("Süd", [(2020, 19_000)])
    people(north, (2020, 12_000))
    page = text(client.get(address(north)))
    assert "Je Einwohner/in" not in page and "je Einwohner/in" not in page
    people(south, (2020, 4_000))
    assert "Je Einwohner/in" in text(client.get(address(north)))
    warm = town("Warm", [(2020, 9.5)], aggregation="mittel")
    cold = town("Kalt", [(2020, 8.5)], aggregation="mittel")
    warm.slug = cold.slug = "temperatur"
    warm.save()
    cold.save()
    people(warm, (2020, 1000))
    people(cold, (2020, 1000))
    assert "je Einwohner/in" not in text(client.get(address(warm)))


def test_queries_do_not_grow_with_figures(client, two):
    north, south = two

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address(north)).status_code == 200
        return len(queries)

    before = count()
    people(north, *((y, 10_000 + y) for y in range(2000, 2015)))
    people(south, *((y, 4_000 + y) for y in range(2000, 2015)))
    assert count() == before <= 5


def test_only_staff_of_the_municipality_enter_figures():
    organisation = OrganisationFactory()
    data = {"organisation": organisation, "year": 2024, "inhabitants": 11_200, "source": "AfS"}
    with pytest.raises(PermissionDenied):
        services.population_save(user=UserFactory(), data=data)
    other = MembershipFactory(role=Role.ADMIN).user
    with pytest.raises(PermissionDenied):
        services.population_save(user=other, data=data)
    staff = MembershipFactory(organisation=organisation, role=Role.ADMIN).user
    saved = services.population_save(user=staff, data=data)
    assert saved.inhabitants == 11_200
    # ...and may not move it to another municipality.
    with pytest.raises(PermissionDenied):
        services.population_save(
            user=staff, data={"organisation": OrganisationFactory()}, population=saved
        )
    with pytest.raises(ValidationError, match="größer als null"):
        services.population_save(user=staff, data={**data, "year": 2023, "inhabitants": 0})
    with pytest.raises(ValidationError):  # one figure a year
        services.population_save(user=staff, data=data)
    assert Population.objects.count() == 1
