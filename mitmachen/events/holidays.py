"""The public holidays of Brandenburg (Feiertagsgesetz des Landes Brandenburg, FTG §2),
computed – staff do not enter them. Project offices that close on public holidays
(``Office.closed_on_holidays``, the default) are closed on these days by
``opening_hours`` without a ``Closure`` row.

Easter is dateutil's (``dateutil.easter``, the Western date); the movable feasts follow
it. The ``holidays`` package would do the same, but its releases pin python-dateutil below
3 and the project uses 4 (rrule for series), so the twelve days are written out here.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from dateutil.easter import easter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# Brandenburg's public holidays since the Reformation Day became one in 1991.
FIRST_YEAR = 1991


@lru_cache(maxsize=64)
def _names(year: int) -> tuple[tuple[date, str], ...]:
    sunday = easter(year)
    days = [
        (date(year, 1, 1), gettext_noop("Neujahr")),
        (sunday - timedelta(days=2), gettext_noop("Karfreitag")),
        (sunday, gettext_noop("Ostersonntag")),
        (sunday + timedelta(days=1), gettext_noop("Ostermontag")),
        (date(year, 5, 1), gettext_noop("Tag der Arbeit")),
        (sunday + timedelta(days=39), gettext_noop("Christi Himmelfahrt")),
        (sunday + timedelta(days=49), gettext_noop("Pfingstsonntag")),
        (sunday + timedelta(days=50), gettext_noop("Pfingstmontag")),
        (date(year, 10, 3), gettext_noop("Tag der Deutschen Einheit")),
        (date(year, 10, 31), gettext_noop("Reformationstag")),
        (date(year, 12, 25), gettext_noop("1. Weihnachtsfeiertag")),
        (date(year, 12, 26), gettext_noop("2. Weihnachtsfeiertag")),
    ]
    return tuple(sorted(days))


def public_holidays(year: int) -> dict[date, str]:
    """Brandenburg's public holidays of ``year`` with their German names."""
    if year < FIRST_YEAR:
        return {}
    return {day: _(name) for day, name in _names(year)}


def holiday_on(day: date) -> str | None:
    """The name of the public holiday on ``day``, or None."""
    return public_holidays(day.year).get(day)


def holidays_between(first: date, last: date) -> list[tuple[date, str]]:
    """The public holidays from ``first`` to ``last`` (both included), in order."""
    found: list[tuple[date, str]] = []
    for year in range(first.year, last.year + 1):
        found += [(d, n) for d, n in public_holidays(year).items() if first <= d <= last]
    return sorted(found)
