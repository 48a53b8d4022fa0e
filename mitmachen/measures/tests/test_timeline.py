"""The timeline charts: positions follow the dates, everything stays on the chart, and
the pages draw the SVG with the same data in a table."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mitmachen.measures import timeline
from mitmachen.measures.tests.factories import MeasureFactory, MilestoneFactory

TODAY = date(2026, 12, 7)


def measure(title="Maßnahme", **dates):
    values = {k: None for k in ("planned_start", "planned_end", "actual_start", "actual_end")}
    values.update(dates)
    return SimpleNamespace(title=title, **values)


def milestone(due, done=False, title="Schritt"):
    return SimpleNamespace(due=due, done=done, title=title)


def test_no_dates_no_chart():
    assert timeline.measure_chart(measure(), [milestone(None)], TODAY) is None
    assert timeline.gantt([measure(), measure()], TODAY) is None


def test_planned_actual_milestones_and_today_in_the_order_of_their_dates():
    m = measure(
        planned_start=date(2025, 3, 1),
        planned_end=date(2027, 6, 30),
        actual_start=date(2025, 4, 1),
    )
    steps = [milestone(date(2025, 9, 1), done=True), milestone(date(2027, 1, 1))]
    chart = timeline.measure_chart(m, steps, TODAY)
    planned, actual, marks = chart.rows[0].planned, chart.rows[1].actual, chart.marks
    assert chart.rows[0].actual is None and chart.rows[1].planned is None
    assert planned.x < actual.x < marks[0].x < chart.today_x < marks[1].x
    # The actual period has not ended: it is drawn up to today, with an open end.
    assert actual.open_end
    assert actual.x + actual.width == pytest.approx(chart.today_x, abs=0.2)
    assert not planned.open_end
    assert [mark.done for mark in marks] == [True, False]
    assert [t.label for t in chart.ticks] == ["2026", "2027"]
    assert chart.height == timeline.TOP + 3 * timeline.ROW + timeline.AXIS


def test_the_gantt_view_has_a_row_per_measure_and_short_labels():
    measures = [
        measure("Kurz", planned_start=date(2026, 1, 1), planned_end=date(2026, 6, 1)),
        measure("Ein sehr langer Titel einer Maßnahme, der nicht passt", actual_end=TODAY),
        measure("Ohne Termine"),
    ]
    chart = timeline.gantt(measures, TODAY, label_length=20)
    assert [r.label for r in chart.rows] == ["Kurz", "Ein sehr langer Tit…", "Ohne Termine"]
    assert chart.rows[2].planned is None and chart.rows[2].actual is None
    # Only an end: a small mark at the end.
    assert chart.rows[1].actual.width == 4


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


# A loaded CI machine makes input generation slow; the property is what counts.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.none() | dates, st.none() | dates, st.none() | dates, st.none() | dates),
        min_size=1,
        max_size=12,
    ),
    dates,
)
def test_every_shape_lies_on_the_chart(rows, today):
    measures = []
    for ps, pe, as_, ae in rows:
        if ps and pe and pe < ps:
            ps, pe = pe, ps
        if as_ and ae and ae < as_:
            as_, ae = ae, as_
        measures.append(measure(planned_start=ps, planned_end=pe, actual_start=as_, actual_end=ae))
    chart = timeline.gantt(measures, today)
    if chart is None:
        assert all(v is None for r in rows for v in r)
        return
    left, right = chart.label_width, timeline.WIDTH - timeline.PAD
    assert left <= chart.today_x <= right
    for tick in chart.ticks:
        assert left <= tick.x <= right
    for row, m in zip(chart.rows, measures, strict=True):
        for bar, start, end in (
            (row.planned, m.planned_start, m.planned_end),
            (row.actual, m.actual_start, m.actual_end),
        ):
            assert (bar is None) == (start is None and end is None)
            if bar is not None:
                assert left - 2 <= bar.x and bar.x + bar.width <= right + 4
                assert bar.width >= 4
                assert bar.open_end == (start is not None and end is None)


@pytest.mark.django_db
def test_the_measure_page_draws_the_chart_with_a_description_and_tables(client, goal):
    m = MeasureFactory(
        goal=goal,
        planned_start=timezone.localdate() - timedelta(days=100),
        planned_end=timezone.localdate() + timedelta(days=200),
        actual_start=timezone.localdate() - timedelta(days=90),
    )
    MilestoneFactory(
        measure=m, title="Planung fertig", due=timezone.localdate() - timedelta(days=30), done=True
    )
    MilestoneFactory(measure=m, title="Bau fertig", due=timezone.localdate() + timedelta(days=100))
    page = client.get(m.get_absolute_url()).content.decode()
    wide, narrow = re.findall(r'<svg class="measure-chart__svg[^>]*>', page)
    assert 'role="img"' in wide and 'aria-labelledby="zeitplan-svg-titel zeitplan-svg-text"' in wide
    # Small screens get a copy with fewer units, so its text stays legible (CSS shows one).
    assert "measure-chart__svg--narrow" in narrow and 'viewBox="0 0 400 ' in narrow
    assert 'aria-labelledby="zeitplan-svg-titel-schmal zeitplan-svg-text-schmal"' in narrow
    desc = re.search(r'<desc id="zeitplan-svg-text">(.*?)</desc>', page).group(1)
    assert "läuft noch" in desc and "1 von 2 Meilensteinen mit Datum erledigt." in desc
    assert page.count("measure-chart__milestone--done") == 3  # two charts and the key
    assert page.count('class="measure-chart__milestone"') == 3  # ditto, open
    assert "<caption" in page and "Zeiträume" in page
    assert "Planung fertig" in page and "Bau fertig" in page


@pytest.mark.django_db
def test_a_measure_without_dates_has_tables_but_no_chart(client, goal):
    m = MeasureFactory(goal=goal)
    page = client.get(m.get_absolute_url()).content.decode()
    assert "measure-chart__svg" not in page
    assert "Zeiträume" in page and "Noch keine Meilensteine." in page


@pytest.mark.django_db
def test_the_overview_draws_a_hidden_gantt_chart_per_field_with_a_table(client, goal):
    MeasureFactory(
        goal=goal,
        title="Bänke",
        planned_start=timezone.localdate(),
        planned_end=timezone.localdate(),
    )
    MeasureFactory(goal=goal, title="Bäume", actual_start=timezone.localdate() - timedelta(days=3))
    MeasureFactory(goal__field__organisation=goal.field.organisation, title="Ohne Termine")
    url = reverse("measures:overview", args=[goal.field.organisation.slug])
    page = client.get(url).content.decode()
    charts = re.findall(r'<svg class="measure-chart__svg[^>]*>', page)
    assert len(charts) == 2 and all('aria-hidden="true"' in c for c in charts)
    assert page.count('<th scope="row" class="kern-table__header">') == 2
    assert "läuft noch" in page
