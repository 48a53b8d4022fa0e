"""The bench hook's catalogue is what the services would have stored: valid measures,
each progress equal to a recomputation, the counts it announces; and it runs once."""

from __future__ import annotations

import pytest

from mitmachen.accounts.models import User
from mitmachen.measures.bench import MILESTONES, bench
from mitmachen.measures.models import FieldOfAction, Measure, MeasureUpdate, Milestone
from mitmachen.measures.services import measure_refresh_progress
from mitmachen.projects.modules import BenchContext

pytestmark = pytest.mark.django_db


def test_the_bench_catalogue_is_exact_and_written_once(project, manager, client):
    context = BenchContext(
        project=project,
        residents=[],
        staff=manager,
        accounts=User.objects.none(),
        small=True,
        log=lambda line: None,
    )
    pages = bench(context)
    assert bench(context) == pages  # a second run finds the catalogue
    measures = list(Measure.objects.select_related("status", "goal__field"))
    assert len(measures) == 16 and FieldOfAction.objects.count() == 8
    assert Milestone.objects.count() == 16 * MILESTONES
    assert MeasureUpdate.objects.count() == 12
    assert MeasureUpdate.objects.filter(measure=measures[0]).count() == 5
    kinds = {m.status.kind for m in measures}
    assert kinds == {"planned", "preparing", "in_progress", "done", "deferred", "discarded"}
    for measure in measures:
        measure.full_clean()  # a discarded one has its reason, dates are in order
        stored = measure.progress
        assert measure_refresh_progress(measure=measure).progress == stored, measure.title
    for page in pages:
        if page.anonymous:
            assert client.get(page.path).status_code == 200, page
