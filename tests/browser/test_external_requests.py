"""No page makes a request to another host (GDPR: no CDN, no tile server by default).

The guard fixture (conftest.py) already checks this for every browser test; this test
makes the promise explicit by visiting every page type, maps included.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

MAP_PAGES = [
    "/",
    "/projekte/meine-stadt-der-zukunft/",
    "/kommunen/bad-belzig/",
    "/kommunen/bad-belzig/ortsteile/luebnitz/",
]
OTHER_PAGES = [
    "/projekte/",
    "/projekte/?kommune=bad-belzig&status=running",
    "/projekte/radweg-wiesenburg-schmerwitz/",
    "/projekte/spielplatz-luebnitz/",
    "/kommunen/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/konto/login/",
    "/konto/signup/",
    "/konto/password/reset/",
]
LOGGED_IN_PAGES = [
    "/konto/profil/",
    "/konto/abonnements/",
    "/konto/meine-daten/",
    "/konto/loeschen/",
    "/verwaltung/",
]


def test_every_page_stays_on_this_host(demo: None, settings, make_context, login_as) -> None:
    settings.MAP_TILE_URL = ""  # the default: the map draws boundaries on a plain background
    context, guard = make_context()
    page = context.new_page()

    for path in MAP_PAGES:
        page.goto(path)
        page.wait_for_load_state("networkidle")  # give Leaflet time to ask for tiles, if it would
        map_box = page.locator("[data-map]")
        expect(map_box).to_be_visible()
        expect(map_box).to_have_class(re.compile(r"\bleaflet-container\b"))  # Leaflet ran
        expect(map_box.locator("path.leaflet-interactive").first).to_be_attached()
        expect(map_box.locator(".leaflet-tile")).to_have_count(0)
        expect(map_box.locator(".leaflet-tile-pane img")).to_have_count(0)

    for path in OTHER_PAGES:
        page.goto(path)

    login_as(context, "admin@example.org")
    for path in LOGGED_IN_PAGES:
        page.goto(path)

    page.goto("/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    host = urlsplit(page.url).netloc
    assert guard.requests, "no request was recorded"
    foreign = [
        u
        for u in guard.requests
        if not u.startswith(("data:", "blob:")) and urlsplit(u).netloc != host
    ]
    assert foreign == []
    guard.check()


def test_guard_notices_a_foreign_request(demo: None, make_context) -> None:
    """Self-test of the guard: a request to another host is recorded (and never sent)."""
    context, guard = make_context(bypass_csp=True)
    # The aborted request is logged as a failed resource; expected here.
    guard.allow_console_error(r"net::ERR_FAILED \(http://203\.0\.113\.7/")
    context.route("http://203.0.113.7/**", lambda route: route.abort())
    page = context.new_page()
    page.goto("/impressum/")
    with page.expect_event("requestfailed"):
        page.evaluate("() => { new Image().src = 'http://203.0.113.7/pixel.png'; }")
    assert guard.foreign_requests == ["http://203.0.113.7/pixel.png"]
    assert any("request to another host" in p for p in guard.problems())
    # Leave the guard clean so this deliberate request does not fail the test afterwards.
    guard.foreign_requests.clear()
