"""The rows of the proposal list and the proposal page kept per data version
(``views._rows``): the project with its phases, and the proposal with its status changes,
images and documents. Whether a person may see them is decided per request, and every
write to the project shows on the next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core import page_cache
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.projects.models import ProjectMembership, Visibility
from mitmachen.proposals.models import Proposal
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("workers", ["one", "two"])
def test_a_private_project_stays_private_from_the_cache(project, workers):
    proposal = ProposalFactory(project=project, title="Nur für Eingeladene")
    project.visibility = Visibility.PRIVATE
    project.save()
    member, outsider, staff = UserFactory(), UserFactory(), UserFactory()
    ProjectMembership.objects.create(project=project, user=member)
    MembershipFactory(user=staff, organisation=project.organisation, role=Role.MODERATOR)
    people = {"member": _client(member), "outsider": _client(outsider), "staff": _client(staff)}
    pages = [f"/projekte/{project.slug}/vorschlaege/", proposal.get_absolute_url()]
    for _round in range(2):
        for name, client in people.items():
            for url in pages:
                if workers == "two":
                    page_cache.clear_local()
                response = client.get(url)
                assert response.status_code == (404 if name == "outsider" else 200), (name, url)
                if response.status_code == 200:
                    assert "Nur für Eingeladene" in response.content.decode()
    # Anonymous visitors neither.
    for url in pages:
        assert Client().get(url).status_code == 404


@pytest.mark.parametrize("workers", ["one", "two"])
def test_a_hidden_proposal_shows_to_staff_only(project, workers):
    proposal = ProposalFactory(project=project, title="Ausgeblendete Idee", text="Geheimer Text")
    Proposal.objects.filter(pk=proposal.pk).update(hidden_at=timezone.now())
    resident, staff = UserFactory(), UserFactory()
    MembershipFactory(user=staff, organisation=project.organisation, role=Role.MODERATOR)
    people = {"resident": _client(resident), "staff": _client(staff)}
    for _round in range(3):
        for name, client in people.items():
            if workers == "two":
                page_cache.clear_local()
            html = client.get(proposal.get_absolute_url()).content.decode()
            assert ("Geheimer Text" in html) == (name == "staff"), name


def test_every_write_shows_on_the_next_request(project, django_capture_on_commit_callbacks):
    proposal = ProposalFactory(project=project, title="Alter Titel")
    client = _client(UserFactory())
    url = proposal.get_absolute_url()
    list_url = f"/projekte/{project.slug}/vorschlaege/"
    assert "Alter Titel" in client.get(url).content.decode()
    assert "Alter Titel" in client.get(list_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        proposal.title = "Neuer Titel"
        proposal.save()
    assert "Neuer Titel" in client.get(url).content.decode()
    assert "Neuer Titel" in client.get(list_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        project.title = "Umbenanntes Projekt"
        project.save()
    assert "Umbenanntes Projekt" in client.get(url).content.decode()
    assert "Umbenanntes Projekt" in client.get(list_url).content.decode()


def test_signed_in_pages_from_the_cache_run_few_queries(project, settings):
    """The list: the person's supports among the cards; the page: supported, followed,
    ratings (plus what other modules' sections ask). Counted with Redis (versions from the
    cache) as well as without."""
    proposals = [ProposalFactory(project=project) for _ in range(25)]
    client = _client(UserFactory())
    counts = {}
    for url in (f"/projekte/{project.slug}/vorschlaege/", proposals[0].get_absolute_url()):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = [q["sql"] for q in queries]
    list_sql, page_sql = counts.values()
    # Without Redis the session and the versions (the person's with the global one, the
    # project's) come from the database; with it, from the cache.
    own = [s for s in list_sql if "core_pageversion" not in s and "django_session" not in s]
    assert len(list_sql) - len(own) <= 3
    assert len(own) == 1 and 'FROM "proposals_support"' in own[0], own
    assert not [s for s in page_sql if 'FROM "proposals_proposal"' in s]
    assert not [s for s in page_sql if 'FROM "projects_phase"' in s]
    assert not [s for s in page_sql if 'FROM "organisations_organisation"' in s]
