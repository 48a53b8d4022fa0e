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
