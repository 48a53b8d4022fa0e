"""Many clicks on "Bericht erstellen" at once queue one report (PostgreSQL only, a live
server: each request in its own thread, connection and transaction). Without the
constraint ``one_council_report_in_the_making`` (``core.background_files.request_file``)
every request would find no report in the making and queue its own."""

from __future__ import annotations

from typing import Any

import pytest

from mitmachen.core.tests.live import in_parallel, post, session_cookie
from mitmachen.dashboard import report_tasks
from mitmachen.dashboard.models import CouncilReport, ReportState
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.tests.factories import ProjectFactory

pytestmark = [
    pytest.mark.postgres,  # on one worker, in order (the root conftest adds the group)
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]

PARALLEL = 8


class _Queue:
    """Stands in for the task: the reports stay queued, as with a busy worker."""

    def __init__(self) -> None:
        self.queued: list[int] = []

    def enqueue(self, **kwargs: Any) -> None:
        self.queued.append(kwargs["report_id"])


def test_parallel_clicks_queue_one_report(live_server, monkeypatch):
    queue = _Queue()
    monkeypatch.setattr(report_tasks, "make_council_report", queue)
    town = OrganisationFactory()
    project = ProjectFactory(organisation=town)
    admin = MembershipFactory(organisation=town, role=Role.ADMIN).user
    session = session_cookie(admin)
    url = f"{live_server.url}/verwaltung/projekte/{project.slug}/bericht/erstellen/"
    statuses = in_parallel([lambda: post(url, session, {})] * PARALLEL)
    assert statuses == [302] * PARALLEL, statuses
    reports = list(CouncilReport.objects.filter(project=project))
    assert len(reports) == 1 and reports[0].state == ReportState.QUEUED
    assert queue.queued == [reports[0].pk]
