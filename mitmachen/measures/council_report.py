"""Measures' section of the council report (``ParticipationModule.report``): the published
measures of the project – how many by status, their weighted progress, the progress of
their fields of action, and each measure with its progress, its milestones (done and
still planned) and the contributions it came from, counted by kind.

Progress is the measures' own arithmetic (``progress``): the project's progress is the
mean of its measures' progress weighted by their ``weight``, a field's is the roll-up of
its goals (``progress.rollup``) over the project's measures; discarded measures count in
neither, as on the catalogue's pages. Origins are counted as a visitor sees them on a
measure's page: proposals neither withdrawn nor hidden, and each declared kind's rows
that its module shows to everyone (``OriginKind.visible``).

No resident is named: titles, statuses and figures only. Queries: five, plus one per
declared origin kind that the measures refer to (the kinds are few and fixed), whatever
the number of measures, milestones and origins.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from mitmachen.measures.models import Goal, Measure, MeasureOrigin, Milestone, StatusKind
from mitmachen.measures.origins import content_type
from mitmachen.measures.progress import MeasureFigure, percent, rollup
from mitmachen.projects.models import Project
from mitmachen.projects.origins import kinds
from mitmachen.projects.report import ReportSection, ReportTable
from mitmachen.proposals.models import Proposal

# The report lists this many measures (by field, goal and title); the figures count all.
LISTED = 200
# Where the project's own progress is summed in ``rollup`` (no goal has this id).
PROJECT = 0


def _percent(value: Any) -> str:
    shown = percent(value)
    return "–" if shown is None else f"{shown}\u00a0%"


def _origins(measure_ids: list[int]) -> tuple[dict[int, dict[str, int]], list[str]]:
    """{measure id: {kind label: number}} of the contributions the measures came from,
    and the kind labels in order (proposals first)."""
    found: dict[int, dict[str, int]] = {}
    proposals = str(Proposal._meta.verbose_name_plural)
    labels = [proposals]
    for measure_id, n in (
        Measure.proposals.through.objects.filter(
            measure_id__in=measure_ids, proposal__in=Proposal.objects.published()
        )
        .order_by()
        .values_list("measure_id")
        .annotate(n=Count("pk"))
    ):
        found.setdefault(measure_id, {})[proposals] = n
    references: dict[int, list[tuple[int, int]]] = {}
    for measure_id, type_id, object_id in MeasureOrigin.objects.filter(
        measure_id__in=measure_ids
    ).values_list("measure_id", "content_type_id", "object_id"):
        references.setdefault(type_id, []).append((measure_id, object_id))
    visitor = AnonymousUser()
    for kind in kinds():
        label = str(kind.label)
        labels.append(label)
        pairs = references.get(content_type(kind).pk)
        if not pairs:
            continue
        shown = set(
            kind.visible(visitor, kind.rows())
            .filter(pk__in={object_id for _m, object_id in pairs})
            .values_list("pk", flat=True)
        )
        for measure_id, object_id in pairs:
            if object_id in shown:
                counts = found.setdefault(measure_id, {})
                counts[label] = counts.get(label, 0) + 1
    return found, labels


def report(project: Project) -> ReportSection | None:
    measures = list(
        Measure.objects.filter(project=project)
        .published()
        .select_related("status")
        .order_by("goal__field__order", "goal__order", "title", "pk")
    )
    if not measures:
        return None
    ids = [m.pk for m in measures]
    milestones = {
        measure_id: (done, planned)
        for measure_id, done, planned in Milestone.objects.filter(measure_id__in=ids)
        .order_by()
        .values_list("measure_id")
        .annotate(finished=Count("pk", filter=Q(done=True)), open=Count("pk", filter=Q(done=False)))
    }
    goals = list(
        Goal.objects.filter(pk__in={m.goal_id for m in measures})
        .select_related("field")
        .order_by("field__order", "field__title", "field__pk")
    )
    origins, labels = _origins(ids)

    figures = [
        MeasureFigure(
            goal_id=m.goal_id,
            progress=m.progress,
            weight=m.weight,
            counts=m.status.kind != StatusKind.DISCARDED,
        )
        for m in measures
    ]
    by_field = rollup(goals=[(g.pk, g.field_id, g.weight) for g in goals], measures=figures)
    overall = rollup(
        goals=[],
        measures=[MeasureFigure(PROJECT, f.progress, f.weight, f.counts) for f in figures],
    ).goals.get(PROJECT)
    done = sum(d for d, _p in milestones.values())
    planned = sum(p for _d, p in milestones.values())

    statuses: dict[int, tuple[Any, int, int]] = {}  # status id: (label, order, number)
    for m in measures:
        label, order, n = statuses.get(m.status_id, (m.status.label, m.status.order, 0))
        statuses[m.status_id] = (label, order, n + 1)
    status_rows = tuple(
        (str(label), n) for label, order, n in sorted(statuses.values(), key=lambda s: s[1])
    )
    fields: dict[int, Any] = {g.field_id: g.field for g in goals}
    field_counts: dict[int, int] = {}
    goal_field = {g.pk: g.field_id for g in goals}
    for m in measures:
        field_id = goal_field[m.goal_id]
        field_counts[field_id] = field_counts.get(field_id, 0) + 1
    field_rows = tuple(
        (field.title, field_counts[pk], _percent(by_field.fields.get(pk)))
        for pk, field in fields.items()
    )
    kind_totals: dict[str, tuple[int, int]] = {}  # label: (contributions, measures)
    for counts in origins.values():
        for label, n in counts.items():
            contributions, measures_with = kind_totals.get(label, (0, 0))
            kind_totals[label] = (contributions + n, measures_with + 1)
    origin_rows = tuple((label, *kind_totals[label]) for label in labels if label in kind_totals)
    rows = []
    for m in measures[:LISTED]:
        came = origins.get(m.pk, {})
        d, p = milestones.get(m.pk, (0, 0))
        rows.append(
            (
                m.title,
                str(m.status.label),
                f"{m.progress}\u00a0%",
                d,
                p,
                ", ".join(f"{label}: {came[label]}" for label in labels if label in came) or "–",
            )
        )
    note = ""
    if len(measures) > LISTED:
        note = _("Die ersten %(listed)s von %(total)s Maßnahmen.") % {
            "listed": LISTED,
            "total": len(measures),
        }
    tables = [
        ReportTable(_("Maßnahmen nach Status"), (_("Status"), _("Maßnahmen")), status_rows),
        ReportTable(
            _("Fortschritt nach Handlungsfeld"),
            (_("Handlungsfeld"), _("Maßnahmen"), _("Fortschritt")),
            field_rows,
        ),
    ]
    if origin_rows:
        tables.append(
            ReportTable(
                _("Herkunft der Maßnahmen"),
                (_("Art des Beitrags"), _("Beiträge"), _("Maßnahmen")),
                origin_rows,
            )
        )
    tables.append(
        ReportTable(
            _("Maßnahmen"),
            (
                _("Maßnahme"),
                _("Status"),
                _("Fortschritt"),
                _("Meilensteine erledigt"),
                _("Meilensteine geplant"),
                _("hervorgegangen aus"),
            ),
            tuple(rows),
            note,
        )
    )
    return ReportSection(
        key="measures",
        title=_("Maßnahmen"),
        order=60,
        figures=(
            (_("Maßnahmen"), len(measures)),
            (_("gewichteter Fortschritt"), _percent(overall)),
            (_("aus Beiträgen hervorgegangen"), len(origins)),
            (_("Meilensteine erledigt"), done),
            (_("Meilensteine geplant"), planned),
        ),
        text=(
            _(
                "Was die Verwaltung aus dem Prozess umsetzt: die veröffentlichten Maßnahmen "
                "des Prozesses mit ihrem Stand. Der Fortschritt ist der nach dem Gewicht der "
                "Maßnahmen gemittelte Fortschritt; verworfene Maßnahmen zählen nicht mit. "
                "„Hervorgegangen aus“ zählt die öffentlich sichtbaren Beiträge, aus denen "
                "eine Maßnahme entstanden ist."
            ),
        ),
        tables=tuple(tables),
    )
