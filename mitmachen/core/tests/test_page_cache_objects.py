"""Per-object writes (``CachedModel(page_of=…)``, ``core.page_cache.touch_object``): a
support makes its proposal's page and the project's lists fresh and leaves the pages of
the project's other objects cached; every other write still makes all of them stale."""

from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.services import comment_create
from mitmachen.core import page_cache
from mitmachen.polls.tests.factories import PollFactory
from mitmachen.proposals.services import support_add, support_withdraw
from mitmachen.proposals.tests.conftest import project, region  # noqa: F401 - fixtures
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    page_cache.clear_local()


@pytest.fixture
def pages(project):  # noqa: F811
    supported = ProposalFactory(project=project, title="Mehr Bänke am Markt")
    other = ProposalFactory(project=project, title="Ein Brunnen im Park")
    poll = PollFactory(project=project)
    slug = project.slug
    return {
        "supported": supported,
        "other": other,
        "urls": {
            "proposal": supported.get_absolute_url(),
            "list": f"/projekte/{slug}/vorschlaege/",
            "map": f"/projekte/{slug}/vorschlaege/karte/",
            "geojson": f"/projekte/{slug}/vorschlaege.geojson",
            "project": f"/projekte/{slug}/",
            "other proposal": other.get_absolute_url(),
            "poll results": f"/umfragen/{poll.pk}/ergebnisse/",
        },
    }


def _state(client, url):
    with CaptureQueriesContext(connection):
        response = client.get(url)
    assert response.status_code == 200, url
    return response["X-Mitmachen-Cache"], response.content.decode()


def _warm(client, urls):
    for url in urls.values():
        client.get(url)
    assert {name: _state(client, url)[0] for name, url in urls.items()} == dict.fromkeys(
        urls, "hit"
    )


# Pages that show supports of many proposals (the lists, the map and its data, the
# project page with its proposals' section) or of this one follow a support; the others
# (another proposal's page, a survey's results) stay as they were.
FRESH_AFTER_A_SUPPORT = {"proposal", "list", "map", "geojson", "project"}
KEPT_AFTER_A_SUPPORT = {"other proposal", "poll results"}


def test_a_support_and_its_withdrawal_make_only_their_pages_fresh(
    client, pages, django_capture_on_commit_callbacks
):
    urls = pages["urls"]
    assert set(urls) == FRESH_AFTER_A_SUPPORT | KEPT_AFTER_A_SUPPORT
    supporter = UserFactory()
    _warm(client, urls)
    with django_capture_on_commit_callbacks(execute=True):
        support_add(user=supporter, proposal=pages["supported"], notify=False)
    states = {name: _state(client, url) for name, url in urls.items()}
    assert {n for n, (state, _html) in states.items() if state == "miss"} == FRESH_AFTER_A_SUPPORT
    assert "1 Unterstützung" in states["proposal"][1] and "1 Unterstützung" in states["list"][1]

    _warm(client, urls)
    with django_capture_on_commit_callbacks(execute=True):
        support_withdraw(user=supporter, proposal=pages["supported"])
    states = {name: _state(client, url) for name, url in urls.items()}
    assert {n for n, (state, _html) in states.items() if state == "miss"} == FRESH_AFTER_A_SUPPORT
    assert "0 Unterstützungen" in states["proposal"][1]
    assert "1 Unterstützung" not in states["list"][1]


def test_other_writes_still_make_every_page_of_the_project_stale(
    client, pages, django_capture_on_commit_callbacks
):
    """The stale cases: a write that is not per-object (a comment on the other proposal,
    an edited proposal) must reach the pages that name an object too."""
    urls = pages["urls"]
    _warm(client, urls)
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(
            author=UserFactory(),
            project=pages["other"].project,
            proposal=pages["other"],
            text="Gute Idee!",
        )
    states = {name: _state(client, url) for name, url in urls.items()}
    assert {state for state, _html in states.values()} == {"miss"}
    assert "Gute Idee!" in states["other proposal"][1]

    _warm(client, urls)
    supported = pages["supported"]
    supported.title = "Mehr Bänke am Marktplatz"
    with django_capture_on_commit_callbacks(execute=True):
        supported.save()
    states = {name: _state(client, url) for name, url in urls.items()}
    assert {state for state, _html in states.values()} == {"miss"}
    assert "Marktplatz" in states["proposal"][1] and "Marktplatz" in states["list"][1]


def test_a_support_reaches_every_cache_of_the_lists_and_of_its_proposal(
    pages, django_capture_on_commit_callbacks
):
    """The versions other caches are keyed by: data_version (the default: lists), the
    proposal page's own (its rows, its thread), another proposal's, the statistics'."""
    supported, other = pages["supported"], pages["other"]
    project_id = supported.project_id
    mine, theirs = ("proposals.proposal", supported.pk), ("proposals.proposal", other.pk)

    def versions():
        return (
            page_cache.data_version(project_id),
            page_cache.data_version(project_id, obj=mine),
            page_cache.data_version(project_id, obj=theirs),
            page_cache.data_versions([project_id]),
        )

    supporter = UserFactory()  # a new account bumps the global version
    before = versions()
    with django_capture_on_commit_callbacks(execute=True):
        support_add(user=supporter, proposal=supported, notify=False)
    after = versions()
    assert [b != a for b, a in zip(before, after, strict=True)] == [True, True, False, True]


def test_signed_in_the_proposal_page_shows_another_persons_support(
    client, pages, django_capture_on_commit_callbacks
):
    """The proposal page's rows are kept per its own version (``proposals.views._rows``)."""
    supported = pages["supported"]
    client.force_login(UserFactory())
    assert "0 Unterstützungen" in client.get(supported.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        support_add(user=UserFactory(), proposal=supported, notify=False)
    assert "1 Unterstützung" in client.get(supported.get_absolute_url()).content.decode()


def test_a_deleted_proposal_makes_every_page_stale(
    client, pages, django_capture_on_commit_callbacks
):
    """Its supports go with it in a cascade; the proposal's own signal bumps the project."""
    support_add(user=UserFactory(), proposal=pages["supported"], notify=False)
    urls = {k: v for k, v in pages["urls"].items() if k != "proposal"}
    _warm(client, urls)
    with django_capture_on_commit_callbacks(execute=True):
        pages["supported"].delete()
    states = {name: _state(client, url) for name, url in urls.items()}
    assert {state for state, _html in states.values()} == {"miss"}
    assert "Mehr Bänke" not in states["list"][1]


def test_a_per_object_path_that_reaches_nothing_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    from mitmachen.projects import modules
    from mitmachen.proposals.module import MODULE

    bad = modules.CachedModel("proposals.Support", "proposal.project_id", page_of="proposl")
    broken = replace(MODULE, page_cache=(bad,))
    with pytest.raises(ImproperlyConfigured, match="reaches no object"):
        modules._check_page_cache(broken)
