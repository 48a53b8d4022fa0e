""" "Meine Abonnements": what I follow, and "Nicht mehr folgen" (issue 18, no. 14)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.projects import services as project_services
from mitmachen.projects.models import Follow, Visibility
from mitmachen.projects.tests.factories import ProjectFactory
from mitmachen.proposals import services as proposal_services
from mitmachen.proposals.models import ProposalFollow
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

URL = "/konto/abonnements/"


def follow_projects(user, n, **kwargs):
    projects = ProjectFactory.create_batch(n, **kwargs)
    for project in projects:
        Follow.objects.create(user=user, project=project)
    return projects


def follow_proposals(user, n, **kwargs):
    proposals = ProposalFactory.create_batch(n, **kwargs)
    for proposal in proposals:
        ProposalFollow.objects.create(user=user, proposal=proposal)
    return proposals


@pytest.fixture
def spy(monkeypatch):
    """Records calls of the follow services, so the page provably goes through them."""
    calls = []
    for module, name in [
        (project_services, "project_unfollow"),
        (proposal_services, "proposal_unfollow"),
    ]:
        original = getattr(module, name)

        def wrapper(*args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)
    return calls


def test_url_and_login():
    assert reverse("accounts:follows") == URL


def test_needs_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_lists_my_projects_and_proposals_only(logged_in_client, user):
    [project] = follow_projects(user, 1, title="INSEK 2035+")
    [proposal] = follow_proposals(user, 1, title="Bank am Teich")
    other = UserFactory()
    follow_projects(other, 1, title="Fremdes Projekt")
    follow_proposals(other, 1, title="Fremder Vorschlag")

    response = logged_in_client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Meine Abonnements" in html
    assert f'href="{project.get_absolute_url()}"' in html and "INSEK 2035+" in html
    assert f'href="{proposal.get_absolute_url()}"' in html and "Bank am Teich" in html
    assert proposal.project.title in html  # where the proposal belongs
    assert "Fremdes Projekt" not in html and "Fremder Vorschlag" not in html
    # One POST form per entry, plain HTML (no JavaScript needed).
    forms = re.findall(r'<form method="post" action="/konto/abonnements/">(.*?)</form>', html, re.S)
    assert len(forms) == 2
    assert all("csrfmiddlewaretoken" in f and "Nicht mehr folgen" in f for f in forms)
    assert (
        'name="art" value="projekt"' in forms[0] and f'name="id" value="{project.pk}"' in forms[0]
    )
    assert 'name="art" value="vorschlag"' in forms[1]


def test_empty_lists_say_so(logged_in_client):
    html = logged_in_client.get(URL).content.decode()
    assert "Sie folgen keinem Beteiligungsprozess." in html
    assert "Sie folgen keinem Vorschlag." in html


def test_linked_from_the_account_navigation(logged_in_client):
    for name in ["accounts:profile", "accounts:my_data", "accounts:follows"]:
        html = logged_in_client.get(reverse(name)).content.decode()
        assert f'href="{URL}"' in html, name
    html = logged_in_client.get(URL).content.decode()
    assert f'href="{URL}" aria-current="page"' in html


def test_unfollow_a_project_through_the_service(logged_in_client, user, spy):
    keep, leave = follow_projects(user, 2)
    response = logged_in_client.post(URL, {"art": "projekt", "id": leave.pk}, follow=True)
    assert spy == ["project_unfollow"]
    assert list(Follow.objects.filter(user=user).values_list("project", flat=True)) == [keep.pk]
    assert response.redirect_chain == [(f"{URL}#abonnements-projekt", 302)]
    assert f"Sie folgen „{leave.title}“ nicht mehr." in response.content.decode()


def test_unfollow_a_proposal_through_the_service(logged_in_client, user, spy):
    [proposal] = follow_proposals(user, 1)
    response = logged_in_client.post(URL, {"art": "vorschlag", "id": proposal.pk}, follow=True)
    assert spy == ["proposal_unfollow"]
    assert not ProposalFollow.objects.filter(user=user).exists()
    assert f"Sie folgen „{proposal.title}“ nicht mehr." in response.content.decode()
    assert "Sie folgen keinem Vorschlag." in response.content.decode()


def test_stays_on_the_page_it_was_sent_from(logged_in_client, user):
    follow_projects(user, 25)
    second = logged_in_client.get(f"{URL}?seite_projekt=2").content.decode()
    last = int(re.findall(r'name="id" value="(\d+)"', second)[-1])
    response = logged_in_client.post(f"{URL}?seite_projekt=2", {"art": "projekt", "id": last})
    assert response["Location"] == f"{URL}?seite_projekt=2#abonnements-projekt"


@pytest.mark.parametrize(
    "data",
    [
        {"art": "projekt", "id": "abc"},
        {"art": "projekt", "id": ""},
        {"art": "projekt"},
        {"art": "unbekannt", "id": "1"},
        {"id": "1"},
        {"art": "projekt", "id": "999999"},
        {"art": "vorschlag", "id": "99999999999999999999999"},
    ],
)
def test_bad_input_changes_nothing(logged_in_client, user, data):
    follow_projects(user, 1)
    follow_proposals(user, 1)
    response = logged_in_client.post(URL, data, follow=True)
    assert response.status_code == 200
    assert "Dieses Abonnement gibt es nicht (mehr). Es wurde nichts geändert." in (
        response.content.decode()
    )
    assert Follow.objects.filter(user=user).count() == 1
    assert ProposalFollow.objects.filter(user=user).count() == 1


def test_someone_elses_follow_stays(logged_in_client, user):
    other = UserFactory()
    [project] = follow_projects(other, 1)
    [proposal] = follow_proposals(other, 1)
    logged_in_client.post(URL, {"art": "projekt", "id": project.pk})
    logged_in_client.post(URL, {"art": "vorschlag", "id": proposal.pk})
    assert Follow.objects.filter(user=other).count() == 1
    assert ProposalFollow.objects.filter(user=other).count() == 1


def test_what_i_may_no_longer_see_is_listed_without_its_title_and_can_be_ended(
    logged_in_client, user
):
    [private] = follow_projects(user, 1, title="Geheime Planung", visibility=Visibility.PRIVATE)
    [hidden] = follow_proposals(user, 1, title="Beleidigender Titel")
    hidden.hidden_at = hidden.created_at
    hidden.save(update_fields=["hidden_at"])
    html = logged_in_client.get(URL).content.decode()
    assert "Geheime Planung" not in html and "Beleidigender Titel" not in html
    assert private.get_absolute_url() not in html
    assert html.count("Nicht mehr sichtbar") == 2
    response = logged_in_client.post(URL, {"art": "projekt", "id": private.pk}, follow=True)
    assert "Geheime Planung" not in response.content.decode()
    assert "Sie folgen „Beteiligungsprozess“ nicht mehr." in response.content.decode()
    assert not Follow.objects.filter(user=user).exists()
    logged_in_client.post(URL, {"art": "vorschlag", "id": hidden.pk})
    assert not ProposalFollow.objects.filter(user=user).exists()


def test_long_lists_are_paged(logged_in_client, user):
    follow_projects(user, 25)
    follow_proposals(user, 3)
    first = logged_in_client.get(URL).content.decode()
    assert first.count('name="art" value="projekt"') == 20
    assert first.count('name="art" value="vorschlag"') == 3
    assert "Seite 1 von 2" in first and "?seite_projekt=2" in first
    second = logged_in_client.get(f"{URL}?seite_projekt=2").content.decode()
    assert second.count('name="art" value="projekt"') == 5
    assert second.count('name="art" value="vorschlag"') == 3
    # Nonsense and pages beyond the end answer, never a 500.
    for query in ["?seite_projekt=abc", "?seite_projekt=-1", "?seite_projekt=99999999999999999999"]:
        response = logged_in_client.get(URL + query)
        assert response.status_code == 200, query


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL).status_code == 200
    return len(context.captured_queries)


def test_number_of_queries_does_not_grow_with_the_follows(client, user):
    client.force_login(user)
    follow_projects(user, 2)
    follow_proposals(user, 2)
    few = _queries(client)
    follow_projects(user, 18)
    follow_proposals(user, 18, project=ProjectFactory())
    follow_proposals(user, 10)
    assert _queries(client) == few
    assert few <= 14


def test_never_in_the_page_cache(logged_in_client, user, settings):
    settings.PAGE_CACHE_SECONDS = 60
    [project] = follow_projects(user, 1)
    first = logged_in_client.get(URL)
    assert "X-Mitmachen-Cache" not in first
    logged_in_client.post(URL, {"art": "projekt", "id": project.pk})
    again = logged_in_client.get(URL)
    assert "X-Mitmachen-Cache" not in again
    assert "Sie folgen keinem Beteiligungsprozess." in again.content.decode()
