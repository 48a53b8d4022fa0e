"""Sentences generated from the data: the summary of an indicator and whether a target
is on track. They read the same aggregates as the table beside them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from mitmachen.climate.models import Aggregation, Indicator, Target
from mitmachen.climate.selectors import Year


def places_for(values: list[float]) -> int:
    """Decimal places that show the values' differences without false precision."""
    if not values:
        return 0
    largest = max(abs(v) for v in values)
    if largest >= 100:
        return 0
    return 1


def fmt(value: float, places: int) -> str:
    return number_format(round(value, places), places, force_grouping=True)


def summary(indicator: Indicator, years: list[Year]) -> str:
    """E.g. "2025: 298 t CO₂, 11 % weniger als 2015." (sums compare in per cent, means
    such as temperatures in the unit)."""
    if not years:
        return _("Für diesen Indikator gibt es noch keine Werte.")
    places = places_for([y.value for y in years])
    last = years[-1]
    mean = indicator.aggregation == Aggregation.MEAN
    head = (
        _("%(year)d: im Mittel %(value)s %(unit)s") if mean else _("%(year)d: %(value)s %(unit)s")
    ) % {"year": last.year, "value": fmt(last.value, places), "unit": indicator.unit}
    if len(years) == 1:
        return head + "."
    first = years[0]
    difference = last.value - first.value
    if round(difference, places) == 0:
        return head + _(", so viel wie %(year)d.") % {"year": first.year}
    if mean or first.value == 0:
        amount = f"{fmt(abs(difference), places)} {indicator.unit}"
    else:
        amount = f"{fmt(abs(difference) / abs(first.value) * 100, 0)} %"
    if difference < 0:
        return head + _(", %(amount)s weniger als %(year)d.") % {
            "amount": amount,
            "year": first.year,
        }
    return head + _(", %(amount)s mehr als %(year)d.") % {"amount": amount, "year": first.year}


@dataclass(frozen=True)
class TargetState:
    target: Target
    on_track: bool | None  # None: no value since the baseline year yet
    sentence: str


def target_state(target: Target, years: list[Year]) -> TargetState:
    """Is the latest year on the right side of the straight path to the target?"""
    unit = target.indicator.unit
    places = places_for([target.baseline_value, target.target_value, *(y.value for y in years)])
    goal = _("Ziel: %(value)s %(unit)s bis %(year)d.") % {
        "value": fmt(target.target_value, places),
        "unit": unit,
        "year": target.target_year,
    }
    since = [y for y in years if y.year >= target.baseline_year]
    if not since:
        return TargetState(
            target, None, _("Seit dem Basisjahr gibt es noch keine Werte.") + " " + goal
        )
    last = since[-1]
    expected = target.path_value(last.year)
    lowering = target.target_value < target.baseline_value
    on_track = last.value <= expected if lowering else last.value >= expected
    params = {
        "year": last.year,
        "value": fmt(last.value, places),
        "unit": unit,
        "path": fmt(expected, places),
    }
    if on_track:
        sentence = (
            _(
                "Auf Kurs: %(year)d lag der Wert mit %(value)s %(unit)s auf oder besser als der "
                "Zielpfad (%(path)s %(unit)s)."
            )
            % params
        )
    else:
        sentence = (
            _(
                "Nicht auf Kurs: %(year)d lag der Wert mit %(value)s %(unit)s schlechter als der "
                "Zielpfad (%(path)s %(unit)s)."
            )
            % params
        )
    return TargetState(target, on_track, sentence + " " + goal)


def comparison(unit: str, entries: list[tuple[str, list[Year]]]) -> str:
    """The latest year with a value from every municipality, highest first: e.g.
    "2025, das letzte Jahr mit Werten aus allen Kommunen: Bad Belzig 41.000 t CO₂,
    Wiesenburg/Mark 12.300 t CO₂ – Bad Belzig liegt 28.700 t CO₂ höher."."""
    by_year = [{y.year: y.value for y in years} for _name, years in entries]
    common = set.intersection(*(set(d) for d in by_year)) if by_year else set()
    if len(entries) < 2 or not common:
        return _("Es gibt noch kein Jahr mit Werten aus allen verglichenen Kommunen.")
    year = max(common)
    figures = sorted(
        ((name, values[year]) for (name, _years), values in zip(entries, by_year, strict=True)),
        key=lambda f: (-f[1], f[0]),
    )
    places = places_for([v for _n, v in figures])
    listed = ", ".join(f"{name} {fmt(value, places)} {unit}" for name, value in figures)
    head = _("%(year)d, das letzte Jahr mit Werten aus allen Kommunen: %(listed)s") % {
        "year": year,
        "listed": listed,
    }
    (high_name, high), (low_name, low) = figures[0], figures[-1]
    difference = round(high - low, places)
    if difference == 0:
        return head + _(" – gleich hoch.")
    return head + _(" – %(high)s liegt %(amount)s %(unit)s höher als %(low)s.") % {
        "high": high_name,
        "low": low_name,
        "amount": fmt(difference, places),
        "unit": unit,
    }


def map_summary(unit: str, year: int, values: dict[str, float]) -> str:
    """E.g. "2025: am meisten in Bad Belzig (1.234 kWp), am wenigsten in Lübnitz (80 kWp)"."""
    if not values:
        return _("%(year)d gibt es keine Werte nach Ortsteil.") % {"year": year}
    ranked = sorted(values.items(), key=lambda f: (-f[1], f[0]))
    places = places_for(list(values.values()))
    (high_name, high), (low_name, low) = ranked[0], ranked[-1]
    if len(ranked) == 1 or round(high - low, places) == 0:
        return _("%(year)d: in allen Ortsteilen mit Werten %(value)s %(unit)s.") % {
            "year": year,
            "value": fmt(high, places),
            "unit": unit,
        }
    return _(
        "%(year)d: am meisten in %(high_name)s (%(high)s %(unit)s), am wenigsten in "
        "%(low_name)s (%(low)s %(unit)s)."
    ) % {
        "year": year,
        "high_name": high_name,
        "high": fmt(high, places),
        "low_name": low_name,
        "low": fmt(low, places),
        "unit": unit,
    }
