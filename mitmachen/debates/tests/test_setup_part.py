"""The debates' block in the staff's project set-up (``module.SETUP``): what it lists and
links, for whom, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mitmachen.debates.tests.factories import DebateFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.projects.models import Visibility
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    project = ProjectFactory(slug="entwurf", visibility=Visibility.DRAFT)
    start = timezone.now() + timedelta(days=3)
    PhaseFactory(project=project, start=start, end=start + timedelta(days=9), actions=["comment"])
    manager = MembershipFactory(organisation=project.organisation, role=Role.PROJECT_MANAGER).user
    project.managers.add(manager)
    return project, manager


def test_the_set_up_lists_debates_and_leads_to_preparing_one(client, setup):
    project, manager = setup
    debate = DebateFactory(project=project, question="Soll der Markt autofrei werden?")
    client.force_login(manager)
    content = client.get(reverse("dashboard:project_setup", args=["entwurf"])).content.decode()
    assert "Soll der Markt autofrei werden?" in content
    assert reverse("debates:edit", args=[debate.pk]) in content
    assert reverse("debates:create", args=["entwurf"]) in content
    assert "Nur die Verwaltung eröffnet Debatten" in content
    # The page it leads to prepares a debate in the draft, through the debates' service.
    response = client.post(
        reverse("debates:create", args=["entwurf"]),
        {"question": "Brauchen wir mehr Bänke?", "description": "Zum Beispiel am Teich."},
    )
    assert response.status_code == 302
    assert project.debates.filter(
        question="Brauchen wir mehr Bänke?", opened_by_staff=True
    ).exists()


def test_the_set_up_page_has_the_same_query_count_for_few_and_many_debates(client, setup):
    project, manager = setup
    client.force_login(manager)
    url = reverse("dashboard:project_setup", args=["entwurf"])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    DebateFactory(project=project)
    few = count()
    for _ in range(15):
        DebateFactory(project=project)
    assert count() == few
