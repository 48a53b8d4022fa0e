"""Live statistics for staff: one project, or all projects a municipality runs.

The figures come from the participation modules through the module contract
(``ParticipationModule.statistics``, counted in one query by
``projects.statistics.count``); this file imports no module. Every breakdown follows the
small-group rule (``projects.statistics.withhold``): a group of fewer than five people
reads "weniger als 5". Charts and the Ortsteil map are SVG drawn here, each with a table
that says the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Max, Min, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mitmachen.core import page_cache
from mitmachen.core.permissions import decide
from mitmachen.core.ticks import nice_ticks
from mitmachen.organisations import maps
from mitmachen.organisations.models import District, Organisation
from mitmachen.projects import modules
from mitmachen.projects.models import Phase, Project
from mitmachen.projects.statistics import (
    MIN_GROUP,
    MONTH,
    WEEK,
    Cell,
    Counts,
    StatsScope,
    count,
    withhold,
)

# A project shorter than this is shown week by week, anything longer month by month.
WEEKS_UP_TO = timedelta(days=26 * 7)
CHART_WIDTH, CHART_HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 16, 44


@dataclass
class DistrictRow:
    name: str
    organisation: str  # the municipality, where it is not the page's own
    cell: Cell | None  # None: no contribution from there


@dataclass
class Bar:
    cell: Cell
    label: str  # "März 2026", "Woche ab 2. März 2026"
    x: float
    y: float
    height: float
    tick: bool  # its label is written under the axis


@dataclass
class TimeChart:
    bars: list[Bar]
    ticks: list[tuple[float, str]]  # y position and label of the value axis
    bar_width: float
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    axis_y: float = CHART_HEIGHT - BOTTOM
    withheld: int = 0  # periods whose bars are not drawn (small groups)


@login_required
@require_http_methods(["GET"])
def project_statistics(request: HttpRequest, slug: str) -> HttpResponse:
    """The statistics of one project (its administration and its project manager)."""
    project = get_object_or_404(Project.objects.select_related("organisation"), slug=slug)
    _allow(request, "dashboard.view_project_statistics", project)
    span = Phase.objects.filter(project=project).aggregate(start=Min("start"), end=Max("end"))
    long = span["start"] is None or span["end"] - span["start"] > WEEKS_UP_TO
    scope = StatsScope([project.pk], period=MONTH if long else WEEK)
    organisations = project.all_organisations()
    context = _figures(request, scope, [o.pk for o in organisations], own=project.organisation)
    context.update({"project": project, "organisation": project.organisation})
    return render(request, "dashboard/statistics/page.html", context)


@login_required
@require_http_methods(["GET"])
def municipality_statistics(request: HttpRequest, slug: str) -> HttpResponse:
    """The statistics of every project a municipality runs (its administration)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    _allow(request, "dashboard.view_municipality_statistics", organisation)
    runs = Project.objects.filter(organisation=organisation).values_list("pk", flat=True)
    scope = StatsScope(list(runs), period=MONTH)
    context = _figures(request, scope, [organisation.pk], own=organisation)
    context.update({"project": None, "organisation": organisation})
    return render(request, "dashboard/statistics/page.html", context)


def _allow(request: HttpRequest, rule: str, obj: Any) -> None:
    """The rule's decision; a refusal is the 403 page with its German reason."""
    decide(request.user, rule, obj).raise_if_refused()


def _figures(
    request: HttpRequest, scope: StatsScope, organisation_ids: list[int], *, own: Organisation
) -> dict[str, Any]:
    """Everything the page shows: one query for the counts (none while the projects'
    data version is unchanged: ``count`` keeps them per version), one for the
    Ortsteile."""
    key = scope.cache_key(request)
    counts = count(modules.statistics_sources(scope), key=key)
    for cells in counts.breakdowns.values():
        withhold(cells)
    kinds = sorted(counts.breakdowns["kind"], key=lambda c: c.label.casefold())
    channels = sorted(counts.breakdowns["channel"], key=lambda c: (c.key != "online", c.label))
    ages = sorted(counts.breakdowns["age"], key=lambda c: (c.order is None, c.order, c.label))
    districts, drawn, reached, total = _kept_districts(request, key, counts, organisation_ids, own)
    return {
        "counts": counts,
        "min_group": MIN_GROUP,
        "kinds": kinds,
        "channels": channels,
        "ages": ages,
        "district_rows": districts,
        "map": drawn,
        "drawn_areas": [a for a in drawn.areas if a.path],
        "without_district": _cell(counts, "district", None),
        "reached": reached,
        "district_total": total,
        "chart": _time_chart(counts.breakdowns["period"], scope.period),
        "weekly": scope.period == WEEK,
    }


def _cell(counts: Counts, breakdown: str, key: Any) -> Cell | None:
    return next((c for c in counts.breakdowns[breakdown] if c.key == key), None)


def _kept_districts(
    request: HttpRequest,
    key: str | None,
    counts: Counts,
    organisation_ids: list[int],
    own: Organisation,
) -> tuple[list[DistrictRow], maps.Choropleth, int, int]:
    """``_districts``, drawn once per data version and language: the Ortsteile's
    outlines (simplified with shapely) are most of what a page with kept figures costs.
    Kept like a page fragment (``core.page_cache.fragment``) under the figures' key."""
    if key is None:
        return _districts(counts, organisation_ids, own)
    organisations = ",".join(str(pk) for pk in sorted(organisation_ids))
    name = f"{key}:districts:{own.pk}:{organisations}:{get_language()}"
    return page_cache.fragment(request, name, lambda: _districts(counts, organisation_ids, own))


def _districts(
    counts: Counts, organisation_ids: list[int], own: Organisation
) -> tuple[list[DistrictRow], maps.Choropleth, int, int]:
    """The Ortsteile of the page's municipalities (and any other a contribution names),
    the map of the former, and how many of them contributions came from."""
    cells = {c.key: c for c in counts.breakdowns["district"] if c.key is not None}
    found: QuerySet[District] = (
        District.objects.filter(Q(organisation_id__in=organisation_ids) | Q(pk__in=list(cells)))
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )
    rows: list[DistrictRow] = []
    areas: list[tuple[str, Any]] = []
    values: dict[str, float] = {}
    own_total = reached = 0
    for district in found:
        cell = cells.get(district.pk)
        foreign = district.organisation_id != own.pk
        rows.append(
            DistrictRow(
                name=district.name,
                organisation=district.organisation.display_name if foreign else "",
                cell=cell,
            )
        )
        if district.organisation_id in organisation_ids:
            own_total += 1
            reached += cell is not None
            label = f"{district.name} ({district.organisation.display_name})" if foreign else ""
            areas.append((label or district.name, district.geometry))
            if cell is not None and not cell.withheld:
                values[label or district.name] = cell.contributions
    return rows, maps.choropleth(areas, values, unit=_("Beiträge")), reached, own_total


def _period_label(start: date, period: str) -> str:
    if period == WEEK:
        return _("Woche ab %(day)s") % {"day": date_format(start, "j. F Y")}
    return date_format(start, "F Y")


def _next(start: date, period: str) -> date:
    if period == WEEK:
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def _time_chart(cells: list[Cell], period: str) -> TimeChart | None:
    """Contributions per week or month, from the first to the last with any (empty
    periods between them as zero), as bars; withheld periods get no bar."""
    if not cells:
        return None
    by_start = {c.key: c for c in cells if c.key is not None}
    if not by_start:
        return None
    starts = [min(by_start)]
    while starts[-1] < max(by_start):
        starts.append(_next(starts[-1], period))
    series = [by_start.get(s) or Cell(key=s, label="", contributions=0, people=0) for s in starts]
    top = max([c.contributions for c in series if not c.withheld] + [1])
    ticks = nice_ticks(0, top, 5)
    high = ticks[-1] or 1
    plot_w = CHART_WIDTH - LEFT - RIGHT
    plot_h = CHART_HEIGHT - TOP - BOTTOM
    step = plot_w / len(series)
    every = max(1, round(len(series) / 8))  # at most about eight labels under the axis
    bars = []
    for i, cell in enumerate(series):
        cell.label = _period_label(cell.key, period)
        value = 0 if cell.withheld else cell.contributions
        height = plot_h * value / high
        bars.append(
            Bar(
                cell=cell,
                label=cell.label,
                x=LEFT + i * step + step * 0.15,
                y=TOP + plot_h - height,
                height=height,
                tick=i % every == 0,
            )
        )
    return TimeChart(
        bars=bars,
        ticks=[(TOP + plot_h - plot_h * t / high, f"{t:g}") for t in ticks],
        bar_width=step * 0.7,
        withheld=sum(1 for c in series if c.withheld),
    )
