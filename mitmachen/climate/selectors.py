"""Reads of indicator values, aggregated in SQL: a fixed number of queries and small
results, however many values an indicator holds (hundreds of thousands)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Avg, Count, Max, Min, QuerySet, Sum
from django.db.models.functions import ExtractYear, Substr, TruncMonth

from mitmachen.climate.models import (
    Aggregation,
    Indicator,
    MonthSummary,
    Population,
    Resolution,
    Value,
)

# A daily series longer than this is read per month for the chart (in SQL), then LTTB
# picks the points to draw; tables and downloads always carry every value.
MAX_DAYS_PER_DAY = 4000
# … and so is a series of more values than this (e.g. many Ortsteile), so that a page
# never aggregates more values than this itself.
MAX_VALUES_PER_DAY = 20_000
CHART_POINTS = 400


def _combine(indicator: Indicator) -> Any:
    return Sum("value") if indicator.aggregation == Aggregation.SUM else Avg("value")


def year_key() -> Any:
    """The year of ``date`` as SQL. SQLite stores dates as ISO text and Django computes
    ExtractYear there with a Python function per row (seconds for 200,000 rows); the
    first four characters are the same year, computed by SQLite itself."""
    if connection.vendor == "sqlite":
        return Substr("date", 1, 4)
    return ExtractYear("date")


def month_key() -> Any:
    """The month of ``date`` as SQL ("2024-03" on SQLite, a date on PostgreSQL)."""
    if connection.vendor == "sqlite":
        return Substr("date", 1, 7)
    return TruncMonth("date")


def _as_month(key: Any) -> date:
    if isinstance(key, str):
        return date(int(key[:4]), int(key[5:7]), 1)
    return date(key.year, key.month, 1)


@dataclass(frozen=True)
class Month:
    month: date
    total: float  # sum of the month's values
    count: int
    minimum: float
    maximum: float
    first: date
    last: date


def aggregate_months(indicator: Indicator) -> list[Month]:
    """Per month from the values themselves (one query over every value): what
    ``services.summaries_refresh`` stores."""
    rows = (
        Value.objects.filter(indicator=indicator)
        .annotate(m=month_key())
        .values("m")
        .annotate(
            s=Sum("value"), n=Count("id"), lo=Min("value"), hi=Max("value"),
            first=Min("date"), last=Max("date"),
        )
        .order_by("m")
    )  # fmt: skip
    return [
        Month(_as_month(r["m"]), float(r["s"]), r["n"], r["lo"], r["hi"], r["first"], r["last"])
        for r in rows
    ]


def monthly(indicator: Indicator) -> list[Month]:
    """Per month, from the stored summaries (a few hundred rows, whatever the values)."""
    fields = ("month", "total", "count", "minimum", "maximum", "first", "last")
    rows = MonthSummary.objects.filter(indicator=indicator).order_by("month").values_list(*fields)
    return [Month(*row) for row in rows]


@dataclass(frozen=True)
class Span:
    first: date | None
    last: date | None
    count: int


def span(months: list[Month]) -> Span:
    if not months:
        return Span(None, None, 0)
    return Span(months[0].first, months[-1].last, sum(m.count for m in months))


# The chart resolutions a visitor may choose (``?aufloesung=``), by the indicator's own
# resolution: a point per day, month or year, each the sum or mean of its values.
STEPS = {
    Resolution.HOUR: (Resolution.HOUR, Resolution.DAY, Resolution.MONTH, Resolution.YEAR),
    Resolution.DAY: (Resolution.DAY, Resolution.MONTH, Resolution.YEAR),
    Resolution.MONTH: (Resolution.MONTH, Resolution.YEAR),
    Resolution.YEAR: (),
}


def steps_for(indicator: Indicator) -> tuple[str, ...]:
    return tuple(str(s) for s in STEPS[Resolution(indicator.resolution)])


@dataclass(frozen=True)
class Series:
    points: list[tuple[date, float]]
    per_month: bool  # a long daily series, read per month
    step: str = ""  # what one point is: a "tag", "monat" or "jahr" (Resolution values)


def series(indicator: Indicator, months: list[Month], step: str = "") -> Series:
    """One point per date (Ortsteile and categories combined), or per month for long
    daily series (from ``months``, without another query).

    ``step`` chooses the resolution instead ("tag", "monat", "jahr"; one of
    ``steps_for``): months and years come from ``months`` (no query), days from one
    query grouping the values by date (an index range scan of the indicator)."""
    mean = indicator.aggregation == Aggregation.MEAN
    if step == Resolution.MONTH:
        return Series(
            [(m.month, m.total / m.count if mean else m.total) for m in months], True, step
        )
    if step == Resolution.YEAR:
        return Series(
            [(date(y.year, 1, 1), y.value) for y in yearly(indicator, months)], False, step
        )
    extent = span(months)
    per_month = (
        not step
        and indicator.resolution in (Resolution.DAY, Resolution.HOUR)
        and extent.first is not None
        and extent.last is not None
        and (
            (extent.last - extent.first).days > MAX_DAYS_PER_DAY
            or extent.count > MAX_VALUES_PER_DAY
        )
    )
    if per_month:
        return series(indicator, months, Resolution.MONTH)
    rows = (
        Value.objects.filter(indicator=indicator)
        .values("date")
        .annotate(v=_combine(indicator))
        .order_by("date")
        .values_list("date", "v")
    )
    # An hourly series without a choice is drawn per day (the hours are a choice, for
    # a range of days: ``hours``).
    own = Resolution.DAY if indicator.resolution == Resolution.HOUR else indicator.resolution
    return Series([(d, float(v)) for d, v in rows], False, step or own)


# The longest range of days the chart draws hour by hour (31 × 24 = 744 points at most
# per instant; the query reads only these days' values by the (indicator, date) index).
MAX_HOUR_DAYS = 31
HOUR_DAYS_DEFAULT = 7


@dataclass(frozen=True)
class Hours:
    first: date
    last: date
    points: list[tuple[datetime, float]]


def hours(indicator: Indicator, first: date, last: date) -> Hours:
    """One point per hour from ``first`` to ``last`` (days in Europe/Berlin, at most
    ``MAX_HOUR_DAYS``): the values of each instant combined (sum or mean over Ortsteile
    and categories). One query over those days' values, however long the series."""
    assert (last - first).days < MAX_HOUR_DAYS
    rows = (
        Value.objects.filter(indicator=indicator, date__gte=first, date__lte=last, at__isnull=False)
        .values("at")
        .annotate(v=_combine(indicator))
        .order_by("at")
        .values_list("at", "v")
    )
    return Hours(first, last, [(at, float(v)) for at, v in rows if at is not None])


@dataclass(frozen=True)
class Year:
    year: int
    value: float
    count: int
    minimum: float
    maximum: float


def yearly(indicator: Indicator, months: list[Month]) -> list[Year]:
    """Per year: the combined value (sum, or mean of all values), how many values,
    lowest and highest – added up from ``months``."""
    years: dict[int, list[Month]] = defaultdict(list)
    for m in months:
        years[m.month.year].append(m)
    result = []
    for year, parts in sorted(years.items()):
        total = sum(m.total for m in parts)
        count = sum(m.count for m in parts)
        value = total / count if indicator.aggregation == Aggregation.MEAN else total
        result.append(
            Year(year, value, count, min(m.minimum for m in parts), max(m.maximum for m in parts))
        )
    return result


def yearly_of(indicators: QuerySet[Indicator] | list[Indicator]) -> dict[int, list[Year]]:
    """``yearly`` for several indicators, from their month summaries in one query."""
    by_id = {i.pk: i for i in indicators}
    months: dict[int, list[Month]] = defaultdict(list)
    fields = ("indicator_id", "month", "total", "count", "minimum", "maximum", "first", "last")
    rows = MonthSummary.objects.filter(indicator_id__in=list(by_id)).order_by("month")
    for pk, *row in rows.values_list(*fields):
        months[pk].append(Month(*row))
    return {pk: yearly(by_id[pk], found) for pk, found in months.items()}


@dataclass(frozen=True)
class Share:
    label: str
    value: float


def breakdown(indicator: Indicator, year: int) -> tuple[str, list[Share]]:
    """The year's values by category, or else by Ortsteil (("", []) when neither varies).

    Returns what was broken down by ("kategorie" or "ortsteil") and the shares, largest
    first."""
    rows = list(
        Value.objects.filter(indicator=indicator, date__year=year)
        .values("category", "district__name")
        .annotate(v=_combine(indicator))
    )
    categories: dict[str, list[float]] = defaultdict(list)
    districts: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        categories[r["category"]].append(float(r["v"]))
        districts[r["district__name"] or ""].append(float(r["v"]))

    def combined(parts: list[float]) -> float:
        return sum(parts) if indicator.aggregation == Aggregation.SUM else sum(parts) / len(parts)

    for kind, groups in (("kategorie", categories), ("ortsteil", districts)):
        if len(groups) > 1:
            shares = [Share(label or "–", combined(parts)) for label, parts in groups.items()]
            return kind, sorted(shares, key=lambda s: (-s.value, s.label))
    return "", []


def peers(indicator: Indicator) -> list[Indicator]:
    """The same indicator in other municipalities: published, with the same address
    word, unit and way of combining values (else the numbers would not compare)."""
    return list(
        Indicator.objects.published()
        .filter(slug=indicator.slug, unit=indicator.unit, aggregation=indicator.aggregation)
        .exclude(pk=indicator.pk)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def has_peers(indicator: Indicator) -> bool:
    """Whether ``peers`` would find any (one small query for the indicator page)."""
    return (
        Indicator.objects.published()
        .filter(slug=indicator.slug, unit=indicator.unit, aggregation=indicator.aggregation)
        .exclude(pk=indicator.pk)
        .exists()
    )


def by_district(indicator: Indicator, year: int) -> dict[int, float]:
    """The year's value per Ortsteil (categories combined), by the Ortsteil's id."""
    rows = (
        Value.objects.filter(indicator=indicator, date__year=year, district__isnull=False)
        .values("district_id")
        .annotate(v=_combine(indicator))
        .order_by()
    )
    return {r["district_id"]: float(r["v"]) for r in rows}


VALUES_PER_PAGE = 100


@dataclass(frozen=True)
class ValuesPage:
    """One page of an indicator's single values, in the order of the downloads, with
    the attributes ``templates/includes/pager.html`` reads."""

    number: int
    num_pages: int
    rows: list[tuple[Any, ...]]

    @property
    def paginator(self) -> ValuesPage:
        return self

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def values_page(indicator: Indicator, months: list[Month], number: int) -> ValuesPage:
    """Page ``number`` (from 1, clamped to the pages there are) of every value, ordered
    by date, Ortsteil and category (as the CSV). The month summaries say which months
    hold the page's rows, so one query reads only those months (an offset within them),
    never the values before them: page 1,000 of 200,000 values costs what page 1 does."""
    total = sum(m.count for m in months)
    pages = max(1, math.ceil(total / VALUES_PER_PAGE))
    number = min(max(number, 1), pages)
    if not total:
        return ValuesPage(number, pages, [])
    start = (number - 1) * VALUES_PER_PAGE
    end = start + VALUES_PER_PAGE
    before = 0  # values in the months before the first month of the page
    first = last = None
    seen = 0
    for month in months:
        if first is None and seen + month.count > start:
            first, before = month, seen
        seen += month.count
        if first is not None:
            last = month
            if seen >= end:
                break
    assert first is not None and last is not None  # start < total
    rows = list(
        Value.objects.filter(indicator=indicator, date__gte=first.first, date__lte=last.last)
        .order_by("date", "at", "district__name", "category")
        .values_list("date", "value", "district__name", "category", "note", "at", "lon", "lat")[
            start - before : end - before
        ]
    )
    return ValuesPage(number, pages, rows)


@dataclass(frozen=True)
class Inhabitants:
    year: int
    inhabitants: int
    source: str
    source_url: str
    is_example_data: bool


def populations(organisation_ids: list[int]) -> dict[int, list[Inhabitants]]:
    """Each municipality's numbers of inhabitants by year, oldest first (one query)."""
    found: dict[int, list[Inhabitants]] = defaultdict(list)
    rows = (
        Population.objects.filter(organisation_id__in=organisation_ids)
        .order_by("organisation_id", "year")
        .values_list(
            "organisation_id", "year", "inhabitants", "source", "source_url", "is_example_data"
        )
    )
    for organisation_id, year, inhabitants, source, source_url, example in rows:
        found[organisation_id].append(Inhabitants(year, inhabitants, source, source_url, example))
    return dict(found)


def inhabitants_in(figures: list[Inhabitants], year: int) -> Inhabitants | None:
    """The figure of ``year`` or, without one, of the latest year before it (``None``
    before the first figure: a value is never divided by a later population)."""
    earlier = [f for f in figures if f.year <= year]
    return earlier[-1] if earlier else None


def per_inhabitant(years: list[Year], figures: list[Inhabitants]) -> list[tuple[Year, int]]:
    """Yearly values divided by the inhabitants of that year (or the latest year before
    it), with the year of the figure used; years before the first figure are left out."""
    result = []
    for y in years:
        figure = inhabitants_in(figures, y.year)
        if figure is None:
            continue
        share = figure.inhabitants
        result.append(
            (
                Year(y.year, y.value / share, y.count, y.minimum / share, y.maximum / share),
                figure.year,
            )
        )
    return result
