"""The proposal settings in the project set-up: permissions, bad input, and the refusal
once supports exist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.models import Project, Visibility
from mitmachen.projects.tests.factories import ProjectFactory
from mitmachen.projects.tests.staff_matrix import staff_people
from mitmachen.proposals.models import Support
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    home, other = OrganisationFactory(), OrganisationFactory()
    project = ProjectFactory(organisation=home, slug="ideen", visibility=Visibility.DRAFT)
    manager = MembershipFactory(organisation=home, role=Role.PROJECT_MANAGER).user
    project.managers.add(manager)
    people = staff_people(home, other, manager, anonymous=False)
    return project, manager, people


URL = "/verwaltung/projekte/ideen/vorschlaege/"


def test_permission_matrix(client, town):
    project, _manager, people = town
    assert client.get(URL).status_code == 302
    for who, person in people.items():
        client.force_login(person)
        allowed = who in {"manager_own", "admin_own", "superuser"}
        assert client.get(URL).status_code == (200 if allowed else 403), who
        response = client.post(URL, {"support_quorum": "7", "support_eligibility": "verified"})
        assert response.status_code == (302 if allowed else 403), who
        project.refresh_from_db()
        assert (project.support_quorum == 7) is allowed, who
        Project.objects.filter(pk=project.pk).update(support_quorum=None)


def test_settings_are_saved_and_shown_on_the_set_up_page(client, town):
    project, manager, _people = town
    client.force_login(manager)
    response = client.post(URL, {"support_quorum": "25", "support_eligibility": "residents"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.support_quorum, project.support_eligibility) == (25, "residents")
    page = client.get(reverse("dashboard:project_setup", args=["ideen"])).content.decode()
    assert "25 Unterstützungen" in page and reverse("proposals:setup", args=["ideen"]) in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"support_quorum": "0", "support_eligibility": "registered"}, "größer oder gleich 1"),
        ({"support_quorum": "viele", "support_eligibility": "registered"}, "ganze Zahl"),
        ({"support_quorum": "5", "support_eligibility": "alle"}, "gültige Auswahl"),
    ],
)
def test_bad_input_is_refused_in_german(client, town, data, message):
    project, manager, _people = town
    client.force_login(manager)
    response = client.post(URL, data)
    assert response.status_code == 200 and message in response.content.decode()
    project.refresh_from_db()
    assert (project.support_quorum, project.support_eligibility) == (None, "registered")


def test_rules_stay_once_supports_exist(client, town):
    project, manager, _people = town
    Project.objects.filter(pk=project.pk).update(support_quorum=10)
    proposal = ProposalFactory(project=project)
    Support.objects.create(proposal=proposal, user=UserFactory())
    client.force_login(manager)
    assert "Es gibt schon Unterstützungen." in client.get(URL).content.decode()
    response = client.post(URL, {"support_quorum": "3", "support_eligibility": "registered"})
    assert response.status_code == 200
    assert "haben schon Unterstützungen" in response.content.decode()
    project.refresh_from_db()
    assert project.support_quorum == 10
    # Saving the same rules again is no change and passes.
    response = client.post(URL, {"support_quorum": "10", "support_eligibility": "registered"})
    assert response.status_code == 302
