"""The whole-page cache for anonymous visitors: hits cost no SQL, every write shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.services import comment_create
from mitmachen.moderation.services import hide
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.proposals.services import support_add
from mitmachen.proposals.tests.conftest import project, region  # noqa: F401 - fixtures
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def proposal(project):  # noqa: F811
    return ProposalFactory(project=project, title="Mehr Bänke am Markt")


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response, len(queries)


def test_second_visit_is_served_without_sql(client, proposal):
    for url in (
        "/",
        f"/projekte/{proposal.project.slug}/",
        f"/projekte/{proposal.project.slug}/vorschlaege/",
        f"/projekte/{proposal.project.slug}/vorschlaege/karte/",
        f"/projekte/{proposal.project.slug}/vorschlaege.geojson",
        proposal.get_absolute_url(),
    ):
        first, _queries = get(client, url)
        assert first["X-Mitmachen-Cache"] == "miss", url
        again, queries = get(client, url)
        assert again["X-Mitmachen-Cache"] == "hit", url
        # With Redis a hit runs no SQL; with a memory cache per process the versions
        # come from the database: one query.
        from mitmachen.core.page_cache import shared_cache

        assert queries == (0 if shared_cache() else 1), url
        assert again.content == first.content
        assert "no-cache" in again["Cache-Control"] and "private" in again["Cache-Control"]
        assert "csrftoken" not in again.cookies


def test_supports_comments_and_moderation_show_at_once(
    client, proposal, django_capture_on_commit_callbacks
):
    list_url = f"/projekte/{proposal.project.slug}/vorschlaege/"
    get(client, list_url)
    get(client, proposal.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        support_add(user=UserFactory(), proposal=proposal, notify=False)
    response, _queries = get(client, list_url)
    assert response["X-Mitmachen-Cache"] == "miss"
    assert "1 Unterstützung" in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        comment_create(
            author=UserFactory(), project=proposal.project, proposal=proposal, text="Sehr gut!"
        )
    response, _queries = get(client, proposal.get_absolute_url())
    assert "Sehr gut!" in response.content.decode()

    moderator = MembershipFactory(
        organisation=proposal.project.organisation, role=Role.MODERATOR
    ).user
    with django_capture_on_commit_callbacks(execute=True):
        hide(moderator=moderator, target=proposal, reason="Werbung")
    assert "Mehr Bänke" not in get(client, list_url)[0].content.decode()


def test_changes_in_the_admin_show_at_once(client, proposal, django_capture_on_commit_callbacks):
    url = f"/projekte/{proposal.project.slug}/"
    get(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        proposal.project.title = "Neuer Titel"
        proposal.project.save()
        proposal.title = "Im Admin geändert"
        proposal.save()
    assert "Neuer Titel" in get(client, url)[0].content.decode()
    detail = get(client, proposal.get_absolute_url())[0].content.decode()
    assert "Im Admin geändert" in detail


def test_not_for_signed_in_people_messages_or_random_order(client, proposal, settings):
    url = f"/projekte/{proposal.project.slug}/vorschlaege/"
    get(client, url)
    client.cookies["messages"] = "x"
    assert "X-Mitmachen-Cache" not in get(client, url)[0]
    del client.cookies["messages"]
    assert "X-Mitmachen-Cache" not in get(client, f"{url}?sortierung=zufall")[0]
    client.force_login(UserFactory())
    assert "X-Mitmachen-Cache" not in get(client, url)[0]


def test_language_and_htmx_have_their_own_copies(client, proposal):
    url = f"/projekte/{proposal.project.slug}/vorschlaege/"
    german = get(client, url)[0]
    fragment = get(client, url, HTTP_HX_REQUEST="true")[0]
    assert fragment["X-Mitmachen-Cache"] == "miss"
    assert len(fragment.content) < len(german.content)
    client.cookies["django_language"] = "en"
    english = get(client, url)[0]
    assert english["X-Mitmachen-Cache"] == "miss"
    assert "Proposals" in english.content.decode()


def test_switched_off(client, proposal, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = proposal.get_absolute_url()
    get(client, url)
    response, queries = get(client, url)
    assert "X-Mitmachen-Cache" not in response and queries > 0


def test_versions_are_shared_between_processes_without_redis(client, proposal):
    """A write in one process must reach pages cached by the others: with a memory
    cache per process, the versions live in the database."""
    from django.db.models import F

    from mitmachen.core import page_cache
    from mitmachen.core.models import PageVersion

    if page_cache.shared_cache():
        pytest.skip("With Redis the versions live in the cache all processes share.")
    url = f"/projekte/{proposal.project.slug}/vorschlaege/"
    get(client, url)
    assert get(client, url)[0]["X-Mitmachen-Cache"] == "hit"
    # Another process records a write: only the database knows.
    key = f"mm:v:project:{proposal.project_id}"
    if not PageVersion.objects.filter(key=key).update(value=F("value") + 1):
        PageVersion.objects.create(key=key, value=1)
    assert get(client, url)[0]["X-Mitmachen-Cache"] == "miss"


def test_a_deleted_account_shows_at_once(client, proposal, django_capture_on_commit_callbacks):
    from mitmachen.accounts.services import account_delete

    proposal.author.display_name = "Renate"
    proposal.author.save()
    url = proposal.get_absolute_url()
    assert "Renate" in get(client, url)[0].content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=proposal.author)
    content = get(client, url)[0].content.decode()
    assert "Renate" not in content and "gelöschtes Konto" in content


def test_history_restores_and_unknown_parameters(client, proposal):
    url = f"/projekte/{proposal.project.slug}/vorschlaege/"
    fragment = get(client, url, HTTP_HX_REQUEST="true")[0]
    # htmx asks for the whole page when it restores history: never the cached fragment.
    page = get(client, url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")[0]
    assert page["X-Mitmachen-Cache"] == "miss"
    assert b"<html" in page.content and b"<html" not in fragment.content
    assert "X-Mitmachen-Cache" not in get(client, f"{url}?x=123")[0]
    assert "X-Mitmachen-Cache" not in get(client, f"{url}?q=a&q=b")[0]
