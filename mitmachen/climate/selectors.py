"""Reads of indicator values, aggregated in SQL: a fixed number of queries and small
results, however many values an indicator holds (hundreds of thousands)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Avg, Count, Max, Min, QuerySet, Sum
from django.db.models.functions import ExtractYear, TruncMonth

from mitmachen.climate.models import Aggregation, Indicator, Resolution, Value

# A daily series longer than this is read per month for the chart (in SQL), then LTTB
# picks the points to draw; tables and downloads always carry every value.
MAX_DAYS_PER_DAY = 4000
CHART_POINTS = 400


def _combine(indicator: Indicator) -> Any:
    return Sum("value") if indicator.aggregation == Aggregation.SUM else Avg("value")


@dataclass(frozen=True)
class Span:
    first: date | None
    last: date | None
    count: int


def span(indicator: Indicator) -> Span:
    row = Value.objects.filter(indicator=indicator).aggregate(
        first=Min("date"), last=Max("date"), count=Count("id")
    )
    return Span(row["first"], row["last"], row["count"])


@dataclass(frozen=True)
class Series:
    points: list[tuple[date, float]]
    per_month: bool  # a long daily series, read per month


def series(indicator: Indicator, extent: Span) -> Series:
    """One value per date (Ortsteile and categories combined), or per month for long
    daily series."""
    values = Value.objects.filter(indicator=indicator)
    per_month = (
        indicator.resolution == Resolution.DAY
        and extent.first is not None
        and extent.last is not None
        and (extent.last - extent.first).days > MAX_DAYS_PER_DAY
    )
    rows: Any
    if per_month:
        rows = (
            values.annotate(period=TruncMonth("date"))
            .values("period")
            .annotate(v=_combine(indicator))
            .order_by("period")
            .values_list("period", "v")
        )
    else:
        rows = (
            values.values("date")
            .annotate(v=_combine(indicator))
            .order_by("date")
            .values_list("date", "v")
        )
    return Series([(d, float(v)) for d, v in rows], per_month)


@dataclass(frozen=True)
class Year:
    year: int
    value: float
    count: int
    minimum: float
    maximum: float


def yearly(indicator: Indicator) -> list[Year]:
    """Per year: the combined value (sum or mean), how many values, lowest and highest."""
    rows = (
        Value.objects.filter(indicator=indicator)
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(v=_combine(indicator), n=Count("id"), lo=Min("value"), hi=Max("value"))
        .order_by("year")
    )
    return [Year(r["year"], float(r["v"]), r["n"], r["lo"], r["hi"]) for r in rows]


def yearly_of(indicators: QuerySet[Indicator] | list[Indicator]) -> dict[int, list[Year]]:
    """``yearly`` for several indicators in one query (sum and mean both computed; each
    indicator takes its own)."""
    means = {i.pk for i in indicators if i.aggregation == Aggregation.MEAN}
    found: dict[int, list[Year]] = defaultdict(list)
    rows = (
        Value.objects.filter(indicator_id__in=[i.pk for i in indicators])
        .annotate(year=ExtractYear("date"))
        .values("indicator_id", "year")
        .annotate(s=Sum("value"), a=Avg("value"), n=Count("id"), lo=Min("value"), hi=Max("value"))
        .order_by("indicator_id", "year")
    )
    for r in rows:
        value = r["a"] if r["indicator_id"] in means else r["s"]
        found[r["indicator_id"]].append(Year(r["year"], float(value), r["n"], r["lo"], r["hi"]))
    return found


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
