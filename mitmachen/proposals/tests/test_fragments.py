"""The cached results of the proposal list (``proposals.fragments``): the cards rendered once
per data version and viewer class, each person's own supports filled in per request."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core import page_cache
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.proposals import fragments
from mitmachen.proposals.models import Proposal
from mitmachen.proposals.services import support_add
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db
MARK = "von Ihnen unterstützt"


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def listed(project):
    proposals = [ProposalFactory(project=project, title=f"Idee {n}") for n in range(5)]
    hidden = ProposalFactory(project=project, title="Ausgeblendete Idee")
    Proposal.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    return proposals


def _supported(html: str) -> set[str]:
    """The titles of the cards that carry the note."""
    cards = html.split('<article class="kern-card proposal-card">')[1:]
    return {re.search(r">(Idee \d)<", card).group(1) for card in cards if MARK in card}  # type: ignore[union-attr]


def _list(client, project) -> str:
    return client.get(f"/projekte/{project.slug}/vorschlaege/").content.decode()


@pytest.mark.parametrize("workers", ["one", "two"])
def test_each_person_sees_only_their_own_supports(project, listed, monkeypatch, workers):
    anna, ben, staff = UserFactory(), UserFactory(), UserFactory()
    MembershipFactory(user=staff, organisation=project.organisation, role=Role.MODERATOR)
    support_add(user=anna, proposal=listed[0])
    support_add(user=anna, proposal=listed[1])
    support_add(user=ben, proposal=listed[2])
    support_add(user=staff, proposal=listed[1])
    renderings = []
    real_render = fragments.render
    monkeypatch.setattr(fragments, "render", lambda *a: renderings.append(1) or real_render(*a))
    clients = {}
    for name, user in (("anna", anna), ("ben", ben), ("staff", staff)):
        clients[name] = Client()
        clients[name].force_login(user)
    expected = {"anna": {"Idee 0", "Idee 1"}, "ben": {"Idee 2"}, "staff": {"Idee 1"}}
    for _round in range(3):
        for name, client in clients.items():
            if workers == "two":
                page_cache.clear_local()  # another worker: only the shared cache
            html = _list(client, project)
            assert _supported(html) == expected[name]
            assert ("Ausgeblendete Idee" in html) == (name == "staff")
            assert "<!--" not in html.split('id="ergebnisse"', 1)[1].split("</section>", 1)[0]
    assert len(renderings) == 2  # residents share one rendering, staff have their own


def test_cached_equals_direct_rendering(client, settings, project, listed):
    anna = UserFactory()
    support_add(user=anna, proposal=listed[3])
    client.force_login(anna)
    cached = [_list(client, project) for _ in range(2)]
    settings.PAGE_CACHE_SECONDS = 0
    direct = _list(client, project)

    def normalise(html: str) -> str:
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))

    assert normalise(cached[0]) == normalise(cached[1]) == normalise(direct)
    assert _supported(direct) == {"Idee 3"}


def test_a_support_shows_to_its_author_on_the_next_request(
    client, project, listed, django_capture_on_commit_callbacks
):
    anna = UserFactory()
    client.force_login(anna)
    assert _supported(_list(client, project)) == set()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/vorschlaege/{listed[4].pk}/unterstuetzen/", {"unterstuetzen": "1"})
    html = _list(client, project)
    assert _supported(html) == {"Idee 4"} and "1 Unterstützung" in html


def test_cached_results_cost_one_query(client, project, listed):
    """From the cache the cards cost the person's supports only; counting, the page of
    proposals and the channel counts are not run again."""
    client.force_login(UserFactory())
    _list(client, project)
    with CaptureQueriesContext(connection) as queries:
        _list(client, project)
    proposal_queries = [q["sql"] for q in queries if '"proposals_' in q["sql"]]
    # Own supports (the project's custom statuses come with the project, from the cache).
    assert len(proposal_queries) == 1, proposal_queries
    assert any("proposals_support" in sql for sql in proposal_queries)
