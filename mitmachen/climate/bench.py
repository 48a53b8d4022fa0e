"""The climate pages in ``make bench`` (``ParticipationModule.bench``).

Adds to the municipality of the benchmark's big project:

- a weather station's hourly air temperature over ~23 years: 200,016 hourly values
  (8,334 days × 24 hours, each with its instant): the chart shows the daily mean (read
  per month from the month summaries, then LTTB), or hour by hour for the last week;
- the electricity use of the municipal buildings per month (500 values), also in a
  second municipality under the same address word, for the comparison page;
- installed photovoltaic power per Ortsteil and year (about 500 values) with a target.

All of it says "Lastdaten" and is marked as Beispieldaten. With ``context.small`` (the
suite) the same indicators get a few values each.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.urls import reverse

from mitmachen.climate.importers import BERLIN
from mitmachen.climate.models import (
    Aggregation,
    Direction,
    Indicator,
    Resolution,
    SpatialLevel,
    Target,
    Topic,
    Value,
)
from mitmachen.climate.services import summaries_refresh
from mitmachen.organisations.models import District, Organisation
from mitmachen.projects.modules import BenchContext, BenchPage

HOURLY = "lufttemperatur-stuendlich"
POWER = "stromverbrauch-kommunale-gebaeude"
PV = "photovoltaik-leistung"
BATCH = 10_000
HOURLY_DAYS = 8_334  # × 24 hours = 200,016 values, 2003-01-01 to 2025-10-25
SMALL_VALUES = 500
PEER_SLUG = "last-kommune-klimavergleich"

COMMON = {
    "source": "Lastdaten für den Benchmark (erfunden)",
    "licence": "CC BY 4.0",
    "update_rhythm": "nie (Lastdaten)",
    "responsible_body": "Lastdaten",
    "is_example_data": True,
}


def _indicator(organisation: Organisation, slug: str, **fields: object) -> tuple[Indicator, bool]:
    found = Indicator.objects.filter(organisation=organisation, slug=slug).first()
    if found is not None:
        return found, False
    return Indicator.objects.create(organisation=organisation, slug=slug, **COMMON, **fields), True


def _store(indicator: Indicator, rows: Iterator[Value]) -> int:
    count = 0
    batch: list[Value] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            Value.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    Value.objects.bulk_create(batch)
    summaries_refresh(indicator=indicator)
    return count + len(batch)


def _hourly(organisation: Organisation, days: int) -> Indicator:
    indicator, new = _indicator(
        organisation,
        HOURLY,
        title="Lufttemperatur an der Messstation, stündlich (Lastdaten)",
        explanation="Die Temperatur der Luft zwei Meter über dem Boden, jede Stunde gemessen. "
        "Lastdaten für den Benchmark: erfunden.",
        unit="°C",
        topic=Topic.WEATHER,
        spatial_level=SpatialLevel.POINT,
        resolution=Resolution.HOUR,
        aggregation=Aggregation.MEAN,
    )
    if not new:
        return indicator
    # ``days`` × 24 hours from 2003-01-01 00:00 in Berlin, hour by hour in UTC (the
    # spring and autumn Sundays have 23 and 25 local hours).
    start = datetime(2003, 1, 1, tzinfo=BERLIN).astimezone(UTC)

    def rows() -> Iterator[Value]:
        for n in range(days * 24):
            at = start + timedelta(hours=n)
            local = at.astimezone(BERLIN)
            season = -9.0 * math.cos(2 * math.pi * (local.timetuple().tm_yday - 15) / 365.25)
            daily = -4.0 * math.cos(2 * math.pi * (local.hour - 3) / 24)
            wobble = 2.0 * math.sin(n / 24 * 0.7 + local.hour * 0.3)
            yield Value(
                indicator=indicator,
                date=local.date(),
                at=at,
                value=round(9.5 + season + daily + wobble, 1),
            )

    _store(indicator, rows())
    return indicator


def _power(organisation: Organisation, months: int, scale: float) -> Indicator:
    indicator, new = _indicator(
        organisation,
        POWER,
        title="Stromverbrauch der kommunalen Gebäude (Lastdaten)",
        explanation="Wie viel Strom Rathaus, Schulen und Kitas im Monat brauchen. "
        "Lastdaten für den Benchmark: erfunden.",
        unit="MWh",
        topic=Topic.BUILDINGS,
        spatial_level=SpatialLevel.MUNICIPALITY,
        resolution=Resolution.MONTH,
        aggregation=Aggregation.SUM,
        direction=Direction.LOWER,
    )
    if not new:
        return indicator
    first_year = 2025 - (months - 1) // 12

    def rows() -> Iterator[Value]:
        for m in range(months):
            year, month = first_year + m // 12, m % 12 + 1
            winter = 1 + 0.3 * math.cos(2 * math.pi * (month - 1) / 12)
            yield Value(
                indicator=indicator,
                date=date(year, month, 1),
                value=round(scale * winter * (1 - 0.004 * m / 12), 1),
            )

    _store(indicator, rows())
    return indicator


def _pv(organisation: Organisation, districts: list[District], values: int) -> Indicator:
    indicator, new = _indicator(
        organisation,
        PV,
        title="Installierte Photovoltaik-Leistung (Lastdaten)",
        explanation="Die Leistung aller Solaranlagen in jedem Ortsteil. "
        "Lastdaten für den Benchmark: erfunden.",
        unit="kWp",
        topic=Topic.ENERGY,
        spatial_level=SpatialLevel.DISTRICT,
        resolution=Resolution.YEAR,
        aggregation=Aggregation.SUM,
        direction=Direction.HIGHER,
    )
    if not new or not districts:
        return indicator
    years = max(values // len(districts), 2)
    first_year = 2026 - years

    def rows() -> Iterator[Value]:
        for y in range(years):
            for n, district in enumerate(districts):
                yield Value(
                    indicator=indicator,
                    date=date(first_year + y, 1, 1),
                    district=district,
                    value=round(20 + 15 * n + 12.5 * y * (1 + n % 3), 1),
                )

    _store(indicator, rows())
    Target.objects.create(
        indicator=indicator,
        title="Photovoltaik verdoppeln bis 2035 (Lastdaten)",
        baseline_year=2026 - years,
        baseline_value=sum(20 + 15 * n for n in range(len(districts))),
        target_year=2035,
        target_value=2 * sum(20 + 15 * n + 12.5 * (years - 1) * (1 + n % 3)
                             for n in range(len(districts))),
    )  # fmt: skip
    return indicator


def _peer(organisation: Organisation) -> Organisation:
    """Another municipality of the load data for the comparison (made if there is none)."""
    other = (
        Organisation.objects.filter(slug__startswith="last-")
        .exclude(pk=organisation.pk)
        .order_by("pk")
        .first()
    )
    if other is not None:
        return other
    return Organisation.objects.get_or_create(
        slug=PEER_SLUG, defaults={"name": "Lastkommune Klimavergleich"}
    )[0]


@transaction.atomic
def _data(context: BenchContext) -> tuple[Indicator, Indicator]:
    organisation = context.project.organisation
    small = SMALL_VALUES // 10 if context.small else SMALL_VALUES
    hourly = _hourly(organisation, 10 if context.small else HOURLY_DAYS)
    power = _power(organisation, small, 180.0)
    _power(_peer(organisation), small, 95.0)
    districts = list(District.objects.filter(organisation=organisation).order_by("pk"))
    _pv(organisation, districts, small)
    context.log("Klimadaten: Stundenwerte, Monatswerte (2 Kommunen), Ortsteil-Jahreswerte.")
    return hourly, power


def bench(context: BenchContext) -> tuple[BenchPage, ...]:
    hourly, power = _data(context)
    slug = context.project.organisation.slug
    middle = hourly.values.count() // (2 * 100) + 1 if context.small else 1000
    return (
        BenchPage("Klimadaten-Übersicht", reverse("climate:dashboard", args=[slug])),
        BenchPage(
            "Indikator mit 200.000 Stundenwerten",
            reverse("climate:indicator", args=[slug, hourly.slug]),
        ),
        BenchPage(
            "Indikator mit 200.000 Stundenwerten, Grafik je Tag (8.334 Tagesmittel)",
            reverse("climate:indicator", args=[slug, hourly.slug]) + "?aufloesung=tag",
        ),
        BenchPage(
            "Indikator mit 200.000 Stundenwerten, Grafik je Stunde (die letzten 7 Tage)",
            reverse("climate:indicator", args=[slug, hourly.slug]) + "?aufloesung=stunde",
        ),
        BenchPage(
            "Einzelwerte des Indikators, Seite in der Mitte",
            reverse("climate:values", args=[slug, hourly.slug]) + f"?seite={middle}",
        ),
        BenchPage(
            "CSV mit 200.000 Werten", reverse("climate:indicator_csv", args=[slug, hourly.slug])
        ),
        BenchPage(
            "Vergleich zweier Kommunen", reverse("climate:comparison", args=[slug, power.slug])
        ),
        BenchPage(
            "Eingebettete Grafik (200.000 Werte)",
            reverse("climate:embed", args=[slug, hourly.slug]),
        ),
    )
