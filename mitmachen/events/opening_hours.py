"""Is a project office open now? Computed from its weekly hours and its closures.

The hours are wall-clock times in Europe/Berlin: "Dienstag 10:00–18:00" means 10:00 to
18:00 local time in summer and in winter, so the moment is turned into local time first
(``timezone.localtime``) and compared there – never with a fixed offset. Brandenburg's
public holidays close an office like a closure unless it opens on them
(``events.holidays``, ``Office.closed_on_holidays``). The office's ``hours`` and
``closures`` are read from what the queryset prefetched (``OfficeQuerySet.with_hours``):
no query per office.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from mitmachen.events.holidays import holiday_on, holidays_between
from mitmachen.events.models import WEEKDAY_NAMES, Closure, Office, OpeningHours

LOCAL = ZoneInfo(settings.TIME_ZONE)
HOLIDAYS_AHEAD_DAYS = 90  # public holidays listed among an office's next closures
LOOK_AHEAD_DAYS = 28  # how far "öffnet wieder am …" looks; a longer closure says "geschlossen"


@dataclass(frozen=True)
class State:
    """What the office's page says: open (until when) or closed (and why, and when next)."""

    is_open: bool
    text: str
    closure: Closure | None = None


def _holiday(office: Office, day: date, name: str) -> Closure:
    """A public holiday as a one-day closure (not stored: computed, ``events.holidays``)."""
    return Closure(office=office, starts_on=day, ends_on=day, reason=name)


def _closure_on(office: Office, day: date) -> Closure | None:
    """The closure of ``day``: one staff entered, or the public holiday if the office
    closes on public holidays."""
    for closure in office.closures.all():
        if closure.starts_on <= day <= closure.ends_on:
            return closure
    if office.closed_on_holidays:
        name = holiday_on(day)
        if name is not None:
            return _holiday(office, day, name)
    return None


def intervals_on(office: Office, day: date) -> list[tuple[time, time]]:
    """The opening intervals of ``day`` (none on a closure), touching ones merged."""
    if _closure_on(office, day) is not None:
        return []
    found = sorted((h.opens, h.closes) for h in office.hours.all() if h.weekday == day.weekday())
    merged: list[tuple[time, time]] = []
    for opens, closes in found:
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(closes, merged[-1][1]))
        else:
            merged.append((opens, closes))
    return merged


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def state(office: Office, now: datetime | None = None) -> State:
    """Open now, until when; or closed, with the closure's reason and the next opening."""
    local = timezone.localtime(now or timezone.now(), LOCAL)
    today, clock = local.date(), local.time()
    closure = _closure_on(office, today)
    for opens, closes in intervals_on(office, today):
        if opens <= clock < closes:
            return State(True, _("Heute geöffnet bis %(time)s Uhr") % {"time": _hhmm(closes)})
        if clock < opens:
            return State(
                False, _("Geschlossen – öffnet heute um %(time)s Uhr") % {"time": _hhmm(opens)}
            )
    for ahead in range(1, LOOK_AHEAD_DAYS + 1):
        day = today + timedelta(days=ahead)
        intervals = intervals_on(office, day)
        if intervals:
            if ahead == 1:
                when = _("morgen um %(time)s Uhr") % {"time": _hhmm(intervals[0][0])}
            else:
                when = _("%(day)s, %(date)s, um %(time)s Uhr") % {
                    "day": WEEKDAY_NAMES[day.weekday()],
                    "date": day.strftime("%d.%m."),
                    "time": _hhmm(intervals[0][0]),
                }
            text = _("Geschlossen – öffnet wieder %(when)s") % {"when": when}
            if closure is not None:
                text = f"{_('Heute geschlossen')} ({closure.reason}) – " + _(
                    "öffnet wieder %(when)s"
                ) % {"when": when}
            return State(False, text, closure)
    if closure is not None:
        return State(False, f"{_('Geschlossen')} ({closure.reason})", closure)
    return State(False, _("Geschlossen"))


def weekly(office: Office) -> list[dict[str, Any]]:
    """The weekly pattern as table rows, Monday first: the day and its intervals."""
    by_day: dict[int, list[OpeningHours]] = {}
    for hours in office.hours.all():
        by_day.setdefault(hours.weekday, []).append(hours)
    return [
        {
            "day": WEEKDAY_NAMES[weekday],
            "intervals": [
                (_hhmm(h.opens), _hhmm(h.closes))
                for h in sorted(by_day.get(weekday, []), key=lambda h: h.opens)
            ],
        }
        for weekday in range(7)
    ]


def today_text(office: Office, today: date) -> str:
    """Today's hours in words, for the footer (the same all day, so it can be cached)."""
    intervals = intervals_on(office, today)
    if not intervals:
        closure = _closure_on(office, today)
        return f"{_('Heute geschlossen')} ({closure.reason})" if closure else _("Heute geschlossen")
    hours = ", ".join(f"{_hhmm(a)}–{_hhmm(b)}" for a, b in intervals)
    return _("Heute %(hours)s Uhr") % {"hours": hours}


def upcoming_closures(
    office: Office, today: date, limit: int = 5, holidays_ahead: int = HOLIDAYS_AHEAD_DAYS
) -> list[Closure]:
    """The next closures: those staff entered, and the public holidays of the next
    ``holidays_ahead`` days that fall on one of the office's opening days and inside no
    entered closure (a holiday on a day it is closed anyway is no news)."""
    entered = [c for c in office.closures.all() if c.ends_on >= today]
    found = list(entered)
    if office.closed_on_holidays:
        open_days = {h.weekday for h in office.hours.all()}
        for day, name in holidays_between(today, today + timedelta(days=holidays_ahead)):
            covered = any(c.starts_on <= day <= c.ends_on for c in entered)
            if day.weekday() in open_days and not covered:
                found.append(_holiday(office, day, name))
    return sorted(found, key=lambda c: (c.starts_on, c.pk is None))[:limit]


def local_now() -> datetime:
    return timezone.localtime(timezone.now(), LOCAL)
