"""Moderation changes the hidden state with conditional updates (no model signal) and
calls ``modules.changed`` for each: the cached pages show every decision at once."""

import pytest

from mitmachen.core.page_cache import STATE_HEADER
from mitmachen.moderation import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def fresh(client, django_capture_on_commit_callbacks):
    """``fresh(url, write)``: the page is cached, ``write`` commits, the next visitor gets
    a new page; returns its text."""

    def check(url, write):
        client.get(url)
        assert client.get(url)[STATE_HEADER] == "hit"
        with django_capture_on_commit_callbacks(execute=True):
            write()
        page = client.get(url)
        assert page[STATE_HEADER] == "miss", url
        return page.content.decode()

    return check


def test_hiding_and_restoring(fresh, proposal, moderator):
    url = f"/projekte/{proposal.project.slug}/vorschlaege/"
    page = fresh(url, lambda: services.hide(moderator=moderator, target=proposal, reason="Spam"))
    assert "Billige Uhren" not in page
    page = fresh(
        url, lambda: services.restore(moderator=moderator, target=proposal, reason="Kein Spam")
    )
    assert "Billige Uhren" in page


def test_hidden_after_enough_reports(fresh, proposal, settings):
    from mitmachen.accounts.tests.factories import UserFactory

    settings.MODERATION_AUTO_HIDE_REPORTS = 1
    reporter = UserFactory()
    page = fresh(
        f"/projekte/{proposal.project.slug}/vorschlaege/",
        lambda: services.report_create(reporter=reporter, target=proposal, reason="spam"),
    )
    assert "Billige Uhren" not in page


def test_blocking_and_unblocking(fresh, proposal, moderator, author):
    url = f"/projekte/{proposal.project.slug}/vorschlaege/"
    organisation = proposal.project.organisation
    page = fresh(
        url,
        lambda: services.block(
            moderator=moderator, organisation=organisation, user=author, reason="Spam"
        ),
    )
    assert "Billige Uhren" not in page
    page = fresh(
        url,
        lambda: services.unblock(
            moderator=moderator, organisation=organisation, user=author, reason="Geklärt"
        ),
    )
    assert "Billige Uhren" in page
