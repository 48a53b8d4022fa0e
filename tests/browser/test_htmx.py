"""With JavaScript, htmx updates parts of the page in place (progressive enhancement)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

MARKER = "window.__mitmachenNoReload"


def _set_marker(page: Page) -> None:
    page.evaluate(f"() => {{ {MARKER} = 'still the same document'; }}")


def _assert_no_reload(page: Page) -> None:
    assert page.evaluate(f"() => {MARKER}") == "still the same document", "the page reloaded"


def test_filter_updates_results_in_place(demo: None, page: Page) -> None:
    from mitmachen.projects.models import Project

    finished = list(
        Project.objects.visible_to(AnonymousUser())
        .for_listing()
        .in_state("finished")
        .values_list("title", flat=True)
    )
    page.goto("/projekte/")
    _set_marker(page)
    # Screen readers announce changes only in a live region that was already there.
    live = page.locator("main [role=status]")
    expect(live).to_have_count(1)
    live.evaluate("(el) => { el.dataset.original = 'yes'; }")
    total = page.locator("#ergebnisse h3").count()
    assert total > len(finished)

    with page.expect_response(lambda r: "/projekte/?" in r.url) as response_info:
        page.get_by_label("Zeitraum").select_option(label="abgeschlossen")
    response = response_info.value
    assert response.request.headers.get("hx-request") == "true"

    expect(page).to_have_url(re.compile(r"/projekte/\?.*status=finished"))
    assert parse_qs(urlsplit(page.url).query).get("status") == ["finished"]
    results = page.locator("#ergebnisse")
    expect(results.get_by_role("heading", level=3)).to_have_text(finished)
    found = f"{len(finished)} Beteiligung{'' if len(finished) == 1 else 'en'} gefunden"
    expect(results.get_by_role("heading", level=2)).to_have_text(found)
    expect(live).to_have_text(found)
    expect(live).to_have_attribute("data-original", "yes")  # the same element, not a new one
    _assert_no_reload(page)
    # The swap put the results into the page once, without a second layout.
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("#ergebnisse")).to_have_count(1)
    expect(page.locator("header.site-header")).to_have_count(1)

    # A second filter combines with the first.
    page.get_by_label("Kommune").select_option(label="Gemeinde Wiesenburg/Mark")
    expect(page).to_have_url(re.compile(r"kommune=wiesenburg-mark"))
    expect(page).to_have_url(re.compile(r"status=finished"))
    _assert_no_reload(page)


def test_back_after_filter_and_navigation_shows_full_page(demo: None, page: Page) -> None:
    """htmx fetched /projekte/?status=… as a fragment; going back there must show the whole page."""
    page.goto("/projekte/")
    page.get_by_label("Zeitraum").select_option(label="abgeschlossen")
    expect(page).to_have_url(re.compile(r"status=finished"))
    page.locator("#ergebnisse").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/projekte/[\w-]+/$"))
    page.go_back()
    page.wait_for_load_state()
    assert "status=finished" in page.url
    # Checked at once (no auto-waiting): a navigation is complete after go_back().
    assert page.locator("header.site-header").count() == 1, "only the htmx fragment is shown"
    assert page.locator("h1").inner_text() == "Beteiligungen"
    expect(page.get_by_label("Zeitraum")).to_have_value("finished")


def test_back_without_history_cache_restores_full_page(demo: None, page: Page) -> None:
    """When htmx has no snapshot (cache full, storage off), it asks the server for the page."""
    page.goto("/projekte/?status=finished")
    page.get_by_label("Zeitraum").select_option(label="läuft")
    expect(page).to_have_url(re.compile(r"status=running"))
    page.evaluate("() => sessionStorage.removeItem('htmx-history-cache')")
    with page.expect_request(lambda r: "status=finished" in r.url):
        page.go_back()
    page.wait_for_load_state()
    assert "status=finished" in page.url
    # Checked at once (no auto-waiting): a navigation is complete after go_back().
    assert page.locator("header.site-header").count() == 1, "only the htmx fragment is shown"
    assert page.locator("h1").inner_text() == "Beteiligungen"
    expect(page.get_by_label("Zeitraum")).to_have_value("finished")


def test_follow_button_swaps_in_place(demo: None, context, page: Page, login_as) -> None:
    from mitmachen.projects.models import Project

    login_as(context, "bewohnerin@example.org")
    project = Project.objects.get(slug="meine-stadt-der-zukunft")
    page.goto(project.get_absolute_url())
    _set_marker(page)

    follow = page.get_by_role("button", name="Folgen", exact=True)
    follow.focus()
    page.keyboard.press("Enter")
    # The status lives outside the swapped block, so screen readers announce it.
    status = page.locator("#folgen-status")
    expect(status).to_have_text("Sie folgen jetzt diesem Beteiligungsprozess.")
    unfollow = page.get_by_role("button", name="Nicht mehr folgen")
    # The label says what the button does; no aria-pressed on top (a toggle keeps its label).
    expect(unfollow).not_to_have_attribute("aria-pressed", re.compile(".*"))
    # Keyboard users keep their place: focus is on the new button, not lost to <body>.
    expect(unfollow).to_be_focused()
    _assert_no_reload(page)
    expect(page.locator(".messages")).to_have_count(0)
    assert project.follows.filter(user__email="bewohnerin@example.org").exists()

    page.keyboard.press("Enter")
    expect(status).to_have_text("Sie folgen diesem Beteiligungsprozess nicht mehr.")
    expect(page.get_by_role("button", name="Folgen", exact=True)).to_be_focused()
    _assert_no_reload(page)
    assert not project.follows.exists()
