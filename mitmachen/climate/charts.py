"""Charts drawn on the server as SVG geometry for ``climate/partials/*_chart.html``:
no JavaScript, no request to another host. Every chart has a data table beside it.

Honesty rules: a line chart's value axis spans the data (and the target path) with
round ticks; bars always start at zero; the unit is on the axis.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.formats import number_format

from mitmachen.climate.lttb import lttb
from mitmachen.core.ticks import decimals_for, nice_ticks

WIDTH, HEIGHT = 640, 300
DAY_SECONDS = 86400
BERLIN = ZoneInfo("Europe/Berlin")
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 30, 36


def year_fraction(day: date) -> float:
    days = 366 if calendar.isleap(day.year) else 365
    return day.year + (day.timetuple().tm_yday - 1) / days


def _day_ticks(first: datetime, last: datetime, sx: Callable[[float], float]) -> list[Tick]:
    """Local midnights (Europe/Berlin) between two instants, at most 8 labelled."""
    start, end = first.astimezone(BERLIN).date(), last.astimezone(BERLIN).date()
    days = [start + timedelta(days=n) for n in range((end - start).days + 2)]
    every = next(s for s in (1, 2, 4, 7, 14) if len(days) / s <= 8)
    ticks = []
    for n, day in enumerate(days):
        midnight = datetime.combine(day, time(0), tzinfo=BERLIN)
        if n % every == 0 and first <= midnight <= last:
            ticks.append(Tick(sx(midnight.timestamp() / DAY_SECONDS), f"{day:%d.%m.}"))
    return ticks


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass
class LineChart:
    points: str  # "x,y x,y …" for <polyline>
    dots: list[tuple[float, float]]  # drawn as markers when the series is short
    path: str = ""  # the target path, if any
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    unit: str = ""
    drawn: int = 0  # how many points are drawn
    total: int = 0  # how many points the series has
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def line_chart(
    series: list[tuple[date, float]] | list[tuple[datetime, float]],
    *,
    unit: str,
    target: tuple[tuple[int, float], tuple[int, float]] | None = None,
    max_points: int = 400,
) -> LineChart | None:
    """A line chart of ``series``, downsampled with LTTB to ``max_points``; ``target``
    is a straight path ((year, value), (year, value)) drawn dashed.

    A series of instants (hourly values) is placed by its instants (a day of 23 or 25
    hours takes that much room) and labelled by day; dates are placed and labelled by
    year."""
    if not series:
        return None
    by_hour = isinstance(series[0][0], datetime)
    full = [
        (d.timestamp() / DAY_SECONDS if isinstance(d, datetime) else year_fraction(d), v)
        for d, v in series
    ]
    shown = lttb(full, max_points)
    xs = [x for x, _ in full]
    ys = [y for _, y in full]
    if target:
        xs += [target[0][0], target[1][0]]
        ys += [target[0][1], target[1][1]]
    x0, x1 = min(xs), max(xs)
    if x1 == x0:
        x0, x1 = x0 - 0.5, x1 + 0.5
    ticks = nice_ticks(min(ys), max(ys))
    y0, y1 = ticks[0], ticks[-1]

    def sx(x: float) -> float:
        return round(LEFT + (x - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT), 1)

    def sy(y: float) -> float:
        return round(HEIGHT - BOTTOM - (y - y0) / (y1 - y0) * (HEIGHT - TOP - BOTTOM), 1)

    places = decimals_for(ticks)
    chart = LineChart(
        points=" ".join(f"{sx(x)},{sy(y)}" for x, y in shown),
        dots=[(sx(x), sy(y)) for x, y in shown] if len(shown) <= 40 else [],
        y_ticks=[Tick(sy(t), number_format(t, places, force_grouping=True)) for t in ticks],
        unit=unit,
        drawn=len(shown),
        total=len(full),
    )
    if by_hour:
        instants = [d for d, _v in series if isinstance(d, datetime)]
        chart.x_ticks = _day_ticks(instants[0], instants[-1], sx)
        return chart
    first_year, last_year = math.ceil(x0), math.floor(x1)
    years = last_year - first_year + 1
    every = next(s for s in (1, 2, 5, 10, 20, 50, 100) if years / s <= 8)
    chart.x_ticks = [
        Tick(sx(y), str(y)) for y in range(first_year, last_year + 1) if y % every == 0
    ]
    if target:
        (ax, ay), (bx, by) = target
        chart.path = f"{sx(ax)},{sy(ay)} {sx(bx)},{sy(by)}"
    return chart


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    y: float
    width: float


@dataclass
class BarChart:
    bars: list[Bar]
    unit: str
    height: int
    label_width: int = 170
    bar_height: int = 22
    width: int = WIDTH


def bar_chart(shares: list[tuple[str, float]], *, unit: str, places: int = 0) -> BarChart | None:
    """Horizontal bars from zero (negative values are drawn as zero-length bars and
    still show their number)."""
    if not shares:
        return None
    top = max((v for _, v in shares), default=0) or 1
    chart = BarChart(bars=[], unit=unit, height=len(shares) * 30 + 10)
    room = WIDTH - chart.label_width - 110
    for i, (label, value) in enumerate(shares):
        chart.bars.append(
            Bar(
                label=label,
                value=number_format(value, places, force_grouping=True),
                y=8 + i * 30,
                width=round(max(value, 0) / top * room, 1),
            )
        )
    return chart


# Lines of a comparison tell themselves apart by dash and marker too, not by colour alone.
LINE_STYLES = (
    ("#004b76", "", "circle"),
    ("#8a3b00", "6 4", "square"),
    ("#1a6b2f", "2 3", "triangle"),
    ("#5b2a86", "10 3 2 3", "diamond"),
)


def marker_path(shape: str, x: float, y: float) -> str:
    """SVG path data of a marker centred on (x, y)."""
    if shape == "square":
        return f"M{x - 3.5:.1f},{y - 3.5:.1f} h7 v7 h-7 z"
    if shape == "triangle":
        return f"M{x:.1f},{y - 5:.1f} l4.5,8 h-9 z"
    if shape == "diamond":
        return f"M{x:.1f},{y - 5:.1f} l5,5 l-5,5 l-5,-5 z"
    return f"M{x - 3.5:.1f},{y:.1f} a3.5,3.5 0 1,0 7,0 a3.5,3.5 0 1,0 -7,0"


@dataclass(frozen=True)
class Line:
    label: str
    points: str
    markers: str  # path data of every point's marker
    colour: str
    dash: str
    legend_marker: str  # the marker in the legend (a 28 × 12 box)
    end: tuple[float, float]  # where the line's label is written, right of its last point


@dataclass
class MultiLineChart:
    lines: list[Line]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    unit: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - 130  # room for the lines' labels
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def multi_line_chart(
    series: list[tuple[str, list[tuple[int, float]]]], *, unit: str
) -> MultiLineChart | None:
    """Yearly values of several series ((label, [(year, value), …]), at most four) on
    one value axis spanning all of them, each line labelled at its end."""
    drawn = [(label, points) for label, points in series[: len(LINE_STYLES)] if points]
    if not drawn:
        return None
    xs = [float(x) for _l, points in drawn for x, _y in points]
    ys = [y for _l, points in drawn for _x, y in points]
    x0, x1 = min(xs), max(xs)
    if x1 == x0:
        x0, x1 = x0 - 0.5, x1 + 0.5
    ticks = nice_ticks(min(ys), max(ys))
    y0, y1 = ticks[0], ticks[-1]
    chart = MultiLineChart(lines=[], y_ticks=[], x_ticks=[], unit=unit)

    def sx(x: float) -> float:
        return round(chart.left + (x - x0) / (x1 - x0) * (chart.right - chart.left), 1)

    def sy(y: float) -> float:
        return round(chart.bottom - (y - y0) / (y1 - y0) * (chart.bottom - chart.top), 1)

    places = decimals_for(ticks)
    chart.y_ticks = [Tick(sy(t), number_format(t, places, force_grouping=True)) for t in ticks]
    first_year, last_year = math.ceil(x0), math.floor(x1)
    every = next(s for s in (1, 2, 5, 10, 20, 50, 100) if (last_year - first_year + 1) / s <= 8)
    chart.x_ticks = [
        Tick(sx(y), str(y)) for y in range(first_year, last_year + 1) if y % every == 0
    ]
    for (label, points), (colour, dash, marker) in zip(drawn, LINE_STYLES, strict=False):
        ordered = sorted(points)
        scaled = [(sx(x), sy(y)) for x, y in ordered]
        chart.lines.append(
            Line(
                label=label,
                points=" ".join(f"{x},{y}" for x, y in scaled),
                markers=" ".join(marker_path(marker, x, y) for x, y in scaled),
                colour=colour,
                dash=dash,
                legend_marker=marker_path(marker, 14, 6),
                end=(scaled[-1][0] + 8, scaled[-1][1]),
            )
        )
    # Labels at the end of lines that end close together would overlap: push them apart.
    ends = sorted(range(len(chart.lines)), key=lambda i: chart.lines[i].end[1])
    last_y = -math.inf
    for i in ends:
        line = chart.lines[i]
        y = max(line.end[1], last_y + 16)
        chart.lines[i] = Line(**{**line.__dict__, "end": (line.end[0], y)})
        last_y = y
    return chart
