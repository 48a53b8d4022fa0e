"""Progress: a measure's from its milestones, and the roll-up of goals and fields.

Pure functions over plain numbers (no queries), so the pages load the tree in a fixed
number of queries and the tests can check the arithmetic over random trees.

- A measure's progress from milestones: the done milestones' share of the total weight,
  in whole percent (rounded half up); no milestones: 0.
- A goal's progress: the weighted mean of its measures' progress (each measure's
  ``weight``), leaving out discarded measures. No measure that counts: ``None``.
- A field's progress: the weighted mean of its goals' progress (each goal's ``weight``),
  leaving out goals without progress. None of them: ``None``.

Roll-ups are exact fractions; ``percent`` rounds them for display (half up), so a
figure is never off by the float error of a long sum and always lies within 0–100.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction


def milestone_progress(milestones: Iterable[tuple[int, bool]]) -> int:
    """Whole percent of ``(weight, done)`` pairs that are done, by weight."""
    total = done = 0
    for weight, is_done in milestones:
        if weight < 1:
            raise ValueError("A milestone's weight is at least 1.")
        total += weight
        done += weight if is_done else 0
    if total == 0:
        return 0
    return (200 * done + total) // (2 * total)  # round half up, integers only


@dataclass(frozen=True)
class MeasureFigure:
    """What the roll-up needs of a measure."""

    goal_id: int
    progress: int
    weight: int
    counts: bool = True  # False for discarded measures


@dataclass(frozen=True)
class Rollup:
    goals: dict[int, Fraction]
    fields: dict[int, Fraction]


def rollup(
    *,
    goals: Iterable[tuple[int, int, int]],
    measures: Iterable[MeasureFigure],
) -> Rollup:
    """Weighted progress of each goal and field.

    ``goals``: ``(goal_id, field_id, weight)``; ``measures``: their figures. Goals and
    fields without a progress are missing from the result.
    """
    sums: dict[int, tuple[int, int]] = {}
    for m in measures:
        if not 0 <= m.progress <= 100:
            raise ValueError("A measure's progress lies within 0–100.")
        if m.weight < 1:
            raise ValueError("A measure's weight is at least 1.")
        if not m.counts:
            continue
        weighted, total = sums.get(m.goal_id, (0, 0))
        sums[m.goal_id] = (weighted + m.weight * m.progress, total + m.weight)
    goal_progress = {goal_id: Fraction(w, t) for goal_id, (w, t) in sums.items()}
    field_sums: dict[int, tuple[Fraction, int]] = {}
    for goal_id, field_id, weight in goals:
        if weight < 1:
            raise ValueError("A goal's weight is at least 1.")
        if goal_id not in goal_progress:
            continue
        field_weighted, field_total = field_sums.get(field_id, (Fraction(0), 0))
        field_sums[field_id] = (
            field_weighted + weight * goal_progress[goal_id],
            field_total + weight,
        )
    return Rollup(
        goals=goal_progress,
        fields={field_id: w / t for field_id, (w, t) in field_sums.items()},
    )


def percent(value: Fraction | int | None) -> int | None:
    """Whole percent for display, rounded half up; ``None`` stays ``None``."""
    if value is None:
        return None
    fraction = Fraction(value)
    return int((2 * fraction + 1) // 2)
