"""What the council report says, read from the data (``report_services`` renders it).

One function, ``collect(project)``, reads everything the PDF and the XLSX file show:
the cover (project, municipality, period, date), the summary figures and the channels and
Ortsteile reached – counted by ``projects.statistics.count`` over the modules'
``statistics`` hooks, exactly as the staff statistics page counts them, with the same
small-group rule (``withhold``) –, what was asked (the phases and what each allowed), every
module's own section (``ParticipationModule.report``) and the next steps (the phases still
open or to come). It imports no module. Queries: a fixed number for the project, plus
what each module's hook needs (fixed per module; polls a few per survey).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from mitmachen.organisations.models import District
from mitmachen.projects import modules
from mitmachen.projects.models import Phase, Project
from mitmachen.projects.report import ReportSection
from mitmachen.projects.statistics import MIN_GROUP, MONTH, Cell, StatsScope, count, withhold


@dataclass
class PhaseLine:
    name: str
    start: date
    end: date
    actions: list[str]
    description: str
    state: str  # "abgeschlossen", "läuft", "geplant"
    done: bool


@dataclass
class Figure:
    """A line of a breakdown: contributions and people, or ``None`` where withheld."""

    label: str
    contributions: int | None
    people: int | None


@dataclass
class ReportData:
    project: Project
    organisation: str
    partners: list[str]
    generated_at: datetime
    data_version: str
    period: tuple[date, date] | None
    contributions: int
    people: int
    kinds: list[Figure]
    channels: list[Figure]
    districts: list[Figure]
    reached: int
    district_total: int
    without_district: Figure | None
    phases: list[PhaseLine]
    sections: list[ReportSection]
    next_steps: list[PhaseLine]
    min_group: int = MIN_GROUP
    notes: list[str] = field(default_factory=list)


def _figure(cell: Cell, label: str | None = None) -> Figure:
    if cell.withheld:
        return Figure(label or cell.label, None, None)
    return Figure(label or cell.label, cell.contributions, cell.people)


def _phases(project: Project, now: datetime) -> list[PhaseLine]:
    lines = []
    for phase in Phase.objects.filter(project=project).order_by("start", "pk"):
        if phase.end <= now:
            state = _("abgeschlossen")
        elif phase.start <= now:
            state = _("läuft")
        else:
            state = _("geplant")
        lines.append(
            PhaseLine(
                name=phase.name,
                start=timezone.localtime(phase.start).date(),
                end=timezone.localtime(phase.end).date(),
                actions=[str(label) for label in phase.action_labels()],
                description=phase.description,
                state=state,
                done=phase.end <= now,
            )
        )
    return lines


def collect(project: Project, *, data_version: str = "") -> ReportData:
    """Everything the report shows about ``project``, as it stands now."""
    now = timezone.now()
    organisations = project.all_organisations()
    counts = count(modules.statistics_sources(StatsScope([project.pk], period=MONTH)))
    for cells in counts.breakdowns.values():
        withhold(cells)
    kinds = sorted(counts.breakdowns["kind"], key=lambda c: c.label.casefold())
    channels = sorted(counts.breakdowns["channel"], key=lambda c: (c.key != "online", c.label))
    by_district = {c.key: c for c in counts.breakdowns["district"]}
    ids = [o.pk for o in organisations]
    districts: list[Figure] = []
    reached = total = 0
    for district in (
        District.objects.filter(organisation_id__in=ids)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    ):
        total += 1
        cell = by_district.get(district.pk)
        label = district.name
        if district.organisation_id != project.organisation_id:
            label = f"{district.name} ({district.organisation.display_name})"
        if cell is None:
            districts.append(Figure(label, 0, 0))
            continue
        reached += 1
        districts.append(_figure(cell, label))
    unplaced = by_district.get(None)
    phases = _phases(project, now)
    period = (phases[0].start, max(p.end for p in phases)) if phases else None
    return ReportData(
        project=project,
        organisation=project.organisation.name,
        partners=[o.display_name for o in organisations[1:]],
        generated_at=timezone.localtime(now),
        data_version=data_version,
        period=period,
        contributions=counts.contributions,
        people=counts.people,
        kinds=[_figure(c) for c in kinds],
        channels=[_figure(c) for c in channels],
        districts=districts,
        reached=reached,
        district_total=total,
        without_district=_figure(unplaced, _("ohne Ortsteil")) if unplaced else None,
        phases=phases,
        sections=modules.report_sections(project),
        next_steps=[p for p in phases if not p.done],
    )
