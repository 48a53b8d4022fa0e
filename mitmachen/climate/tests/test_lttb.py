"""LTTB keeps the ends, the count and the extremes, and never invents points."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mitmachen.climate.lttb import lttb


def test_short_series_are_returned_unchanged():
    points = [(0.0, 1.0), (1.0, 2.0), (2.0, 0.0)]
    assert lttb(points, 10) == points


def test_keeps_a_single_spike_that_every_nth_point_would_drop():
    points = [(float(i), 0.0) for i in range(1000)]
    points[537] = (537.0, 100.0)
    sampled = lttb(points, 50)
    assert (537.0, 100.0) in sampled
    assert [p for p in points[::20]].count((537.0, 100.0)) == 0  # the naive way loses it


def test_a_sine_keeps_its_peaks():
    points = [(i / 100, math.sin(i / 100)) for i in range(10_000)]
    sampled = lttb(points, 200)
    assert max(y for _, y in sampled) > 0.999 and min(y for _, y in sampled) < -0.999


def test_threshold_below_three_is_refused():
    with pytest.raises(ValueError):
        lttb([(float(i), 0.0) for i in range(10)], 2)


@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=3, max_size=400),
    st.integers(3, 120),
)
def test_properties(ys, threshold):
    points = [(float(i), y) for i, y in enumerate(ys)]
    sampled = lttb(points, threshold)
    assert len(sampled) == min(threshold, len(points))
    assert sampled[0] == points[0] and sampled[-1] == points[-1]
    xs = [x for x, _ in sampled]
    assert xs == sorted(set(xs))  # in order, no point twice
    assert all(p in points for p in sampled)


def test_axis_labels_write_every_tick_exactly():
    """A step of 2.5 (or 0.25) needs its decimals on the axis: 2,5 · 5,0 · 7,5, not 2 · 5 · 8."""
    from datetime import date

    from mitmachen.climate.charts import line_chart
    from mitmachen.core.ticks import decimals_for

    assert decimals_for([2.5, 5.0, 7.5, 10.0, 12.5]) == 1
    assert decimals_for([0.25, 0.5, 0.75]) == 2
    assert decimals_for([0.0, 10.0, 20.0]) == 0
    chart = line_chart([(date(2020, 1, 1), 3.4), (date(2021, 1, 1), 11.6)], unit="°C")
    assert chart is not None
    assert [t.label for t in chart.y_ticks] == ["2,5", "5,0", "7,5", "10,0", "12,5"]
