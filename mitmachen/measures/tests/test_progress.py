"""The roll-up against an independent computation over random trees (hypothesis)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mitmachen.measures.progress import MeasureFigure, milestone_progress, percent, rollup

weights = st.integers(min_value=1, max_value=20)
progresses = st.integers(min_value=0, max_value=100)

# A tree: fields → goals (weight) → measures (progress, weight, counts).
trees = st.lists(
    st.lists(
        st.tuples(weights, st.lists(st.tuples(progresses, weights, st.booleans()), max_size=5)),
        max_size=4,
    ),
    min_size=1,
    max_size=4,
)
# A loaded machine (shared CI runners) generates slowly; the tree's size is what we test.
relaxed = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _flatten(tree):
    goals, measures, goal_id = [], [], 0
    for field_id, field in enumerate(tree):
        for goal_weight, goal_measures in field:
            goal_id += 1
            goals.append((goal_id, field_id, goal_weight))
            measures += [
                MeasureFigure(goal_id=goal_id, progress=p, weight=w, counts=c)
                for p, w, c in goal_measures
            ]
    return goals, measures


def _expected(tree):
    """Each counting measure's contribution to its field, as a product of its shares:
    (goal weight / weight of the field's goals that have progress) × (measure weight /
    weight of the goal's counting measures) × progress."""
    fields, goals, goal_id = {}, {}, 0
    for field_id, field in enumerate(tree):
        ids = []
        for goal_weight, goal_measures in field:
            goal_id += 1
            counting = [(p, w) for p, w, c in goal_measures if c]
            if counting:
                ids.append((goal_id, goal_weight, counting))
        field_weight = sum(w for _g, w, _m in ids)
        total = Fraction(0)
        for gid, goal_weight, counting in ids:
            goal_total = sum(w for _p, w in counting)
            goals[gid] = sum(Fraction(w, goal_total) * p for p, w in counting)
            total += sum(
                Fraction(goal_weight, field_weight) * Fraction(w, goal_total) * p
                for p, w in counting
            )
        if ids:
            fields[field_id] = total
    return goals, fields


@relaxed
@given(trees)
def test_rollup_matches_an_independent_computation(tree):
    goals, measures = _flatten(tree)
    result = rollup(goals=goals, measures=measures)
    expected_goals, expected_fields = _expected(tree)
    assert result.goals == expected_goals
    assert result.fields == expected_fields
    for value in [*result.goals.values(), *result.fields.values()]:
        assert 0 <= value <= 100
        assert 0 <= percent(value) <= 100


@relaxed
@given(st.lists(st.tuples(weights, st.booleans()), max_size=20))
def test_milestone_progress_stays_within_0_and_100(milestones):
    value = milestone_progress(milestones)
    assert 0 <= value <= 100
    total = sum(w for w, _d in milestones)
    done = sum(w for w, d in milestones if d)
    if total:
        assert abs(value - Fraction(100 * done, total)) <= Fraction(1, 2)
    assert (value == 100) == (total > 0 and done == total)


def test_rounding_is_half_up_and_exact():
    assert milestone_progress([(1, True), (1, False)]) == 50
    assert milestone_progress([(1, True), (2, False)]) == 33
    assert milestone_progress([(2, True), (1, False)]) == 67
    assert milestone_progress([(1, True), (7, False)]) == 13  # 12.5 rounds up
    assert milestone_progress([]) == 0
    assert percent(Fraction(25, 2)) == 13
    assert percent(None) is None


def test_discarded_measures_and_empty_goals_count_nowhere():
    result = rollup(
        goals=[(1, 10, 1), (2, 10, 3)],
        measures=[
            MeasureFigure(goal_id=1, progress=100, weight=1),
            MeasureFigure(goal_id=2, progress=0, weight=1, counts=False),
        ],
    )
    assert result.goals == {1: 100}
    assert result.fields == {10: 100}  # goal 2 has no counting measure: no share


@pytest.mark.parametrize(
    "figure",
    [
        MeasureFigure(goal_id=1, progress=101, weight=1),
        MeasureFigure(goal_id=1, progress=-1, weight=1),
        MeasureFigure(goal_id=1, progress=50, weight=0),
    ],
)
def test_impossible_figures_are_refused(figure):
    with pytest.raises(ValueError):
        rollup(goals=[(1, 1, 1)], measures=[figure])
