"""Reads of the catalogue, each in a fixed number of queries however many measures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from mitmachen.measures.models import FieldOfAction, Goal, Measure, MeasureQuerySet, StatusKind
from mitmachen.measures.progress import MeasureFigure, percent, rollup


@dataclass
class GoalRow:
    goal: Goal
    progress: int | None
    measures: list[Measure] = dataclass_field(default_factory=list)
    count: int = 0  # the goal's visible measures (also when ``measures`` is not loaded)


@dataclass
class FieldRow:
    field: FieldOfAction
    progress: int | None
    goals: list[GoalRow] = dataclass_field(default_factory=list)
    # The compact timeline of the listed measures (``timeline.gantt``; the overview's),
    # and its copy for small screens.
    gantt: Any = None
    gantt_narrow: Any = None

    @property
    def measure_count(self) -> int:
        """The measures listed (those ``shown``), or all visible ones when none are loaded."""
        return sum(len(g.measures) for g in self.goals)

    @property
    def total_count(self) -> int:
        return sum(g.count for g in self.goals)


def visible_measures(user: Any, organisation: Any) -> MeasureQuerySet:
    return Measure.objects.filter(organisation=organisation).visible_to(user)


# The order of measures in the tree (fields, then goals, as ``catalogue`` sorts them).
TREE_ORDER = [
    "goal__field__order", "goal__field__title", "goal__field_id",
    "goal__order", "goal__title", "goal_id", "title", "pk",
]  # fmt: skip


def catalogue(
    user: Any,
    organisation: Any,
    shown: MeasureQuerySet | None = None,
    *,
    load_measures: bool = True,
    listed: Sequence[Measure] | None = None,
) -> list[FieldRow]:
    """The tree of the municipality's fields, goals and the measures ``shown`` (a filtered
    list; all visible ones when ``None``), with the roll-up over every measure the person
    may see (a filter narrows the list, not the figures). Two queries for the roll-up
    and the tree, two for the shown measures (with their Ortsteile) unless
    ``load_measures`` is off (the municipality page: figures and counts only).
    ``listed``: the measures to list, already loaded (a page of the overview)."""
    visible = visible_measures(user, organisation)
    figures = [
        MeasureFigure(goal_id=g, progress=p, weight=w, counts=k != StatusKind.DISCARDED)
        for g, p, w, k in visible.values_list("goal_id", "progress", "weight", "status__kind")
    ]
    goals = list(Goal.objects.filter(field__organisation=organisation).select_related("field"))
    result = rollup(goals=[(g.pk, g.field_id, g.weight) for g in goals], measures=figures)
    counts: dict[int, int] = {}
    for figure in figures:
        counts[figure.goal_id] = counts.get(figure.goal_id, 0) + 1
    if listed is not None:
        shown_list = list(listed)
    elif load_measures:
        shown_list = list((shown if shown is not None else visible).for_listing())
    else:
        shown_list = []
    by_goal: dict[int, list[Measure]] = {}
    for measure in shown_list:
        by_goal.setdefault(measure.goal_id, []).append(measure)
    rows: dict[int, FieldRow] = {}
    for goal in goals:
        row = rows.get(goal.field_id)
        if row is None:
            row = rows[goal.field_id] = FieldRow(
                goal.field, percent(result.fields.get(goal.field_id))
            )
        row.goals.append(
            GoalRow(
                goal,
                percent(result.goals.get(goal.pk)),
                by_goal.get(goal.pk, []),
                counts.get(goal.pk, 0),
            )
        )
    return sorted(rows.values(), key=lambda r: (r.field.order, r.field.title, r.field.pk))
