"""Moderation changes the hidden state with conditional updates (no model signal) and
calls ``modules.changed`` for each: the cached pages show every decision at once."""

import pytest

from mitmachen.moderation import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


def test_hiding_and_restoring(fresh_page, proposal, moderator):
    url = f"/projekte/{proposal.project.slug}/vorschlaege/"
    page = fresh_page(
        url, lambda: services.hide(moderator=moderator, target=proposal, reason="Spam")
    )
    assert "Billige Uhren" not in page
    page = fresh_page(
        url, lambda: services.restore(moderator=moderator, target=proposal, reason="Kein Spam")
    )
    assert "Billige Uhren" in page


def test_hidden_after_enough_reports(fresh_page, proposal, settings):
    from mitmachen.accounts.tests.factories import UserFactory

    settings.MODERATION_AUTO_HIDE_REPORTS = 1
    reporter = UserFactory()
    page = fresh_page(
        f"/projekte/{proposal.project.slug}/vorschlaege/",
        lambda: services.report_create(reporter=reporter, target=proposal, reason="spam"),
    )
    assert "Billige Uhren" not in page


def test_blocking_and_unblocking(fresh_page, proposal, moderator, author):
    url = f"/projekte/{proposal.project.slug}/vorschlaege/"
    organisation = proposal.project.organisation
    page = fresh_page(
        url,
        lambda: services.block(
            moderator=moderator, organisation=organisation, user=author, reason="Spam"
        ),
    )
    assert "Billige Uhren" not in page
    page = fresh_page(
        url,
        lambda: services.unblock(
            moderator=moderator, organisation=organisation, user=author, reason="Geklärt"
        ),
    )
    assert "Billige Uhren" in page
