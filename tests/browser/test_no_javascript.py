"""Every main flow works with JavaScript switched off (progressive enhancement)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_helpers import DEMO_PASSWORD, log_in
from django.contrib.auth.models import AnonymousUser
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

MAIN_PAGES = {
    "/": "Mitmachen in Bad Belzig und Wiesenburg/Mark",
    "/projekte/": "Beteiligungen",
    "/projekte/meine-stadt-der-zukunft/": "Meine Stadt der Zukunft",
    "/projekte/radweg-wiesenburg-schmerwitz/": "Radweg Wiesenburg–Schmerwitz",
    "/projekte/spielplatz-luebnitz/": "Spielplatz Lübnitz",
    "/kommunen/": "Kommunen und Ortsteile",
    "/kommunen/bad-belzig/": "Stadt Bad Belzig",
    "/kommunen/bad-belzig/ortsteile/luebnitz/": "Lübnitz",
    "/impressum/": "Impressum",
    "/datenschutz/": "Datenschutzerklärung",
    "/barrierefreiheit/": "Erklärung zur Barrierefreiheit",
    "/konto/login/": "Anmelden",
    "/konto/signup/": "Registrieren",
    "/konto/password/reset/": "Passwort zurücksetzen",
}


@pytest.fixture
def nojs_context(make_context) -> BrowserContext:
    context, _guard = make_context(java_script_enabled=False)
    return context


@pytest.fixture
def nojs_page(nojs_context: BrowserContext) -> Page:
    return nojs_context.new_page()


def test_main_pages_load_without_javascript(demo: None, nojs_page: Page) -> None:
    page = nojs_page
    for path, heading in MAIN_PAGES.items():
        response = page.goto(path)
        assert response is not None and response.status == 200, (
            f"{path}: {response and response.status}"
        )
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)

    # Without JavaScript the map stays hidden; the list of Ortsteile is the content.
    page.goto("/")
    expect(page.locator("[data-map]")).to_be_hidden()
    expect(page.get_by_role("link", name="Lübnitz", exact=True)).to_be_visible()


def test_project_filter_submits_without_javascript(demo: None, nojs_page: Page) -> None:
    from mitmachen.organisations.models import District
    from mitmachen.projects.models import Project

    luebnitz = District.objects.get(slug="luebnitz")
    expected = list(
        Project.objects.visible_to(AnonymousUser())
        .filter(districts=luebnitz)
        .for_listing()
        .in_state("finished")
        .values_list("title", flat=True)
    )
    assert expected == ["Spielplatz Lübnitz"]

    page = nojs_page
    page.goto("/projekte/")
    form = page.get_by_role("search", name="Beteiligungen filtern")
    form.get_by_label("Ortsteil").select_option(value=str(luebnitz.pk))
    form.get_by_label("Zeitraum").select_option(label="abgeschlossen")
    form.get_by_role("button", name="Filtern").click()

    query = parse_qs(urlsplit(page.url).query)
    assert query["ortsteil"] == [str(luebnitz.pk)]
    assert query["status"] == ["finished"]
    expect(page.get_by_role("heading", level=2, name="1 Beteiligung gefunden")).to_be_visible()
    results = page.locator("#ergebnisse")
    expect(results.get_by_role("heading", level=3)).to_have_text(expected)
    # The chosen values stay selected after the reload.
    expect(form.get_by_label("Zeitraum")).to_have_value("finished")

    form.get_by_role("link", name="Filter zurücksetzen").click()
    expect(page).to_have_url(re.compile(r"/projekte/$"))
    expect(results.get_by_role("heading", level=3)).not_to_have_count(1)


def test_language_switch_without_javascript(demo: None, nojs_page: Page) -> None:
    page = nojs_page
    page.goto("/projekte/")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/projekte/$"))  # back on the same page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto("/")  # the choice is remembered
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("button", name="English")).to_be_visible()


def test_follow_without_javascript(demo: None, nojs_page: Page) -> None:
    from mitmachen.projects.models import Project

    page = nojs_page
    log_in(page, "bewohnerin@example.org", DEMO_PASSWORD)
    project = Project.objects.get(slug="meine-stadt-der-zukunft")
    page.goto(project.get_absolute_url())

    page.get_by_role("button", name="Folgen", exact=True).click()
    expect(page).to_have_url(re.compile(r"/projekte/meine-stadt-der-zukunft/$"))
    expect(page.locator(".messages")).to_contain_text(
        "Sie folgen jetzt diesem Beteiligungsprozess."
    )
    unfollow = page.get_by_role("button", name="Nicht mehr folgen")
    # The label says what the button does; no aria-pressed on top (a toggle keeps its label).
    expect(unfollow).not_to_have_attribute("aria-pressed", re.compile(".*"))
    assert project.follows.filter(user__email="bewohnerin@example.org").exists()

    unfollow.click()
    expect(page.locator(".messages")).to_contain_text(
        "Sie folgen diesem Beteiligungsprozess nicht mehr."
    )
    expect(page.get_by_role("button", name="Folgen", exact=True)).to_be_visible()
    assert not project.follows.exists()
