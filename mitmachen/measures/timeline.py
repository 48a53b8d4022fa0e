"""The timeline charts: where dates lie on a measure's chart and on a field of action's
compact Gantt view. Pure functions over dates (no queries): the pages pass what they
loaded anyway, the templates draw SVG from the coordinates, and the same dates go into
the tables beside the charts (the charts add nothing the tables lack).

Coordinates are in the SVG's ``viewBox`` units: ``width`` wide (``WIDTH``, or
``NARROW`` for the copy small screens show instead, so its text stays legible), a label
column of ``label_width`` on the left, the time axis from there to ``width - PAD``. The axis
spans every date shown and today, with a little room on both sides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

WIDTH = 800
NARROW = 400
PAD = 12
ROW = 28  # height of one row
AXIS = 26  # room for the year labels below the rows
TOP = 24  # room for the label "heute" above the rows


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    open_end: bool = False  # started, not finished: drawn up to today


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    done: bool
    title: str

    @property
    def points(self) -> str:
        """A diamond around (x, y): filled when done, an outline when open."""
        x, y, r = self.x, self.y, 7
        return f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass
class Row:
    label: str
    y: float
    planned: Bar | None = None
    actual: Bar | None = None

    @property
    def actual_y(self) -> float:
        """An actual bar inside a planned one is thinner, so both stay visible."""
        return self.bar_y + (4 if self.planned else 0)

    @property
    def actual_height(self) -> float:
        return self.bar_height - (8 if self.planned else 0)

    @property
    def bar_y(self) -> float:
        return self.y + 6

    @property
    def bar_height(self) -> float:
        return ROW - 12

    @property
    def text_y(self) -> float:
        return self.y + ROW / 2 + 5


@dataclass
class Chart:
    """One chart: its rows, milestones, the today line and the year ticks."""

    height: float
    width: int
    label_width: float
    today_x: float | None
    ticks: list[Tick]
    rows: list[Row] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)

    @property
    def axis_y(self) -> float:
        """The bottom of the rows, where the year labels hang."""
        return self.height - AXIS + 4

    @property
    def tick_label_y(self) -> float:
        return self.axis_y + 16

    @property
    def label_x(self) -> float:
        return self.label_width - 8


class Scale:
    """Dates to x positions on the axis from ``first`` to ``last``."""

    def __init__(
        self, dates: Iterable[date], today: date, label_width: float, width: int = WIDTH
    ) -> None:
        known = [*dates, today]
        first, last = min(known), max(known)
        margin = max(timedelta(days=14), (last - first) / 25)
        self.first, self.last = first - margin, last + margin
        self.left, self.right = label_width, width - PAD
        self.days = max((self.last - self.first).days, 1)

    def x(self, day: date) -> float:
        share = (day - self.first).days / self.days
        return round(self.left + share * (self.right - self.left), 1)

    def bar(self, start: date | None, end: date | None, today: date) -> Bar | None:
        if start is None and end is None:
            return None
        if start is None:  # only an end: a mark of minimal width at the end
            assert end is not None
            return Bar(self.x(end) - 2, 4)
        open_end = end is None
        stop = end if end is not None else max(today, start)
        left = self.x(start)
        return Bar(left, max(round(self.x(stop) - left, 1), 4), open_end=open_end)

    def ticks(self) -> list[Tick]:
        """A tick on the first of January of each year on the axis (the first year's
        start when none lies on it)."""
        years = range(self.first.year + 1, self.last.year + 1)
        ticks = [Tick(self.x(date(y, 1, 1)), str(y)) for y in years]
        most = 8 if self.right - self.left > 400 else 4
        if len(ticks) > most:  # long spans: fewer labels, else they collide
            ticks = ticks[:: -(-len(ticks) // most)]
        return ticks or [Tick(self.left, str(self.first.year))]


def measure_chart(
    measure: Any,
    milestones: Sequence[Any],
    today: date,
    width: int = WIDTH,
    label_width: int = 150,
) -> Chart | None:
    """A measure's timeline: planned and actual period, its milestones with a date (done
    or open) and today. ``None`` when the measure has no date at all."""
    periods = [
        d
        for d in (
            measure.planned_start,
            measure.planned_end,
            measure.actual_start,
            measure.actual_end,
        )
        if d is not None
    ]
    dated = [m for m in milestones if m.due is not None]
    if not periods and not dated:
        return None
    scale = Scale([*periods, *(m.due for m in dated)], today, label_width, width)
    rows = [
        Row(
            _("geplant"), TOP, planned=scale.bar(measure.planned_start, measure.planned_end, today)
        ),
        Row(
            _("tatsächlich"),
            TOP + ROW,
            actual=scale.bar(measure.actual_start, measure.actual_end, today)
            if measure.actual_start or measure.actual_end
            else None,
        ),
        Row(_("Meilensteine"), TOP + 2 * ROW),
    ]
    marks = [Mark(scale.x(m.due), TOP + 2 * ROW + ROW / 2 - 2, m.done, m.title) for m in dated]
    return Chart(
        height=TOP + 3 * ROW + AXIS,
        width=width,
        label_width=label_width,
        today_x=scale.x(today),
        ticks=scale.ticks(),
        rows=rows,
        marks=marks,
    )


def gantt(
    measures: Sequence[Any],
    today: date,
    width: int = WIDTH,
    label_width: int = 260,
    label_length: int = 34,
) -> Chart | None:
    """The compact view of a field of action: one row per measure (planned as an
    outline, actual filled, open ends up to today). ``None`` when no measure has a date."""
    dates = [
        d
        for m in measures
        for d in (m.planned_start, m.planned_end, m.actual_start, m.actual_end)
        if d is not None
    ]
    if not dates:
        return None
    scale = Scale(dates, today, label_width, width)
    rows = []
    for n, m in enumerate(measures):
        title = m.title if len(m.title) <= label_length else f"{m.title[: label_length - 1]}…"
        rows.append(
            Row(
                title,
                TOP + n * ROW,
                planned=scale.bar(m.planned_start, m.planned_end, today),
                actual=scale.bar(m.actual_start, m.actual_end, today)
                if m.actual_start or m.actual_end
                else None,
            )
        )
    return Chart(
        height=TOP + len(rows) * ROW + AXIS,
        width=width,
        label_width=label_width,
        today_x=scale.x(today),
        ticks=scale.ticks(),
        rows=rows,
    )
