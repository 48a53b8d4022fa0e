"""The set-up under real concurrency (PostgreSQL only, a live server: each request in its
own thread, connection and transaction; SQLite serialises all writes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mitmachen.core.tests.live import in_parallel, post, session_cookie
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.models import Phase, Project, Visibility
from mitmachen.projects.tests.factories import ProjectFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]

PARALLEL = 8


def test_parallel_overlapping_phases_store_one(live_server):
    town = OrganisationFactory()
    project = ProjectFactory(organisation=town, visibility=Visibility.DRAFT)
    manager = MembershipFactory(organisation=town, role=Role.ADMIN).user
    session = session_cookie(manager)
    url = f"{live_server.url}/verwaltung/projekte/{project.slug}/phasen/neu/"
    start = timezone.localtime() + timedelta(days=30)
    calls = [
        lambda i=i: post(
            url,
            session,
            {
                "name": f"Phase {i}",
                # Every request's phase overlaps every other's by at least a day.
                "start_date": (start + timedelta(days=i)).strftime("%Y-%m-%d"),
                "start_time": "00:00",
                "end_date": (start + timedelta(days=i + PARALLEL)).strftime("%Y-%m-%d"),
                "end_time": "00:00",
            },
        )
        for i in range(PARALLEL)
    ]
    statuses = in_parallel(calls)
    assert sorted(statuses) == [200] * (PARALLEL - 1) + [302], statuses
    assert Phase.objects.filter(project=project).count() == 1


def test_parallel_projects_with_one_address_store_one(live_server):
    town = OrganisationFactory()
    manager = MembershipFactory(organisation=town, role=Role.PROJECT_MANAGER).user
    session = session_cookie(manager)
    url = f"{live_server.url}/verwaltung/projekte/neu/"
    data = {"organisation": str(town.pk), "title": "Gleiche Adresse", "summary": "Kurz."}
    statuses = in_parallel([lambda: post(url, session, data)] * PARALLEL)
    assert 500 not in statuses and statuses.count(302) == 1, statuses
    assert Project.objects.filter(slug="gleiche-adresse").count() == 1
