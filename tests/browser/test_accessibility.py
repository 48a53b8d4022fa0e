"""axe-core (WCAG 2.1 A and AA) on every page type, at desktop width and at 320 px.

One test per group of pages and width: the demo is seeded once per test and every
violation of the group is reported together, which keeps the suite fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE, format_violations, run_axe
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [pytest.param(DESKTOP, id="1280px"), pytest.param(MOBILE, id="320px")]

PUBLIC_PAGES = {
    "home": "/",
    "project list": "/projekte/",
    "project list, filtered": "/projekte/?kommune=bad-belzig&status=running",
    "project list, invalid filters": "/projekte/?kommune=xx&status=bad",
    "project, running": "/projekte/meine-stadt-der-zukunft/",
    "project, upcoming": "/projekte/radweg-wiesenburg-schmerwitz/",
    "project, finished": "/projekte/spielplatz-luebnitz/",
    "organisation list": "/kommunen/",
    "organisation": "/kommunen/bad-belzig/",
    "Ortsteil": "/kommunen/bad-belzig/ortsteile/luebnitz/",
    "Impressum": "/impressum/",
    "Datenschutz": "/datenschutz/",
    "Barrierefreiheit": "/barrierefreiheit/",
    "Impressum of a municipality": "/kommunen/wiesenburg-mark/impressum/",
    "Barrierefreiheit of a municipality": "/kommunen/wiesenburg-mark/barrierefreiheit/",
    "Leichte Sprache": "/leichte-sprache/",
    "Leichte Sprache: mitmachen": "/leichte-sprache/mitmachen/",
    "Leichte Sprache: registrieren": "/leichte-sprache/registrieren/",
    "Leichte Sprache: Barrierefreiheit": "/leichte-sprache/barrierefreiheit/",
    "Leichte Sprache: Barrierefreiheit of a municipality": (
        "/kommunen/wiesenburg-mark/barrierefreiheit/leichte-sprache/"
    ),
    "Gebärdensprache": "/gebaerdensprache/",
    "Gebärdensprache of a municipality": "/kommunen/wiesenburg-mark/gebaerdensprache/",
    "project with Leichte Sprache": "/projekte/insek-bad-belzig-2035/",
    "404": "/gibt-es-nicht/",
}
ACCOUNT_FORMS = {
    "login": "/konto/login/",
    "signup": "/konto/signup/",
    "password reset": "/konto/password/reset/",
    "confirmation mail sent": "/konto/confirm-email/",
}
ACCOUNT_PAGES = {
    "profile": "/konto/profil/",
    "Meine Abonnements": "/konto/abonnements/",
    "Meine Daten": "/konto/meine-daten/",
    "Konto löschen": "/konto/loeschen/",
    "E-Mail-Adressen": "/konto/email/",
    "Passwort ändern": "/konto/password/change/",
    "Abmelden (confirmation)": "/konto/logout/",
}


OVERFLOW_JS = """() => {
    const root = document.documentElement;
    const wide = (e) => e.getBoundingClientRect().right > root.clientWidth + 1
        || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === "visible");
    const culprits = [...document.querySelectorAll("body *")]
        .filter((e) => e.clientWidth > 1 && wide(e)
                       && !e.closest(".leaflet-container, .kern-table-responsive"))
        .slice(-3)
        .map((e) => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).trim()
                    .split(/\\s+/).join(".") : "") + ` "${e.textContent.trim().slice(0, 40)}"`);
    return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, culprits};
}"""


class AxeReport:
    """Runs axe (and the reflow check) on page after page and reports all findings at once."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.failures: list[str] = []
        self.checked: list[str] = []

    def check(self, label: str) -> None:
        result = run_axe(self.page)
        assert result["passes"], f"axe did not run on {label}"
        self.checked.append(label)
        if result["violations"]:
            self.failures.append(
                f"{label} ({self.page.url}):\n{format_violations(result['violations'])}"
            )
        # Reflow (WCAG 1.4.10), which axe does not test: no sideways scrolling at 320px.
        overflow = self.page.evaluate(OVERFLOW_JS)
        if overflow["scrollWidth"] > overflow["clientWidth"]:
            self.failures.append(
                f"{label} ({self.page.url}): the page scrolls sideways "
                f"({overflow['scrollWidth']}px content in {overflow['clientWidth']}px); "
                f"widest elements: {overflow['culprits']}"
            )

    def visit(self, label: str, path: str, status: int = 200) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status == status, (
            f"{label}: {path} answered {response and response.status}"
        )
        expect(self.page.locator("h1")).to_have_count(1)
        self.check(label)

    def assert_clean(self) -> None:
        assert not self.failures, (
            f"accessibility problems (axe WCAG 2.1 A/AA, reflow) on {len(self.failures)} of "
            f"{len(self.checked)} pages:\n\n" + "\n\n".join(self.failures)
        )


@pytest.fixture
def axe_page(make_context: Callable[..., Any]) -> Callable[..., tuple[BrowserContext, Any]]:
    def make(viewport: dict[str, int]) -> tuple[BrowserContext, Any]:
        # bypass_csp: axe is injected as an inline script, which script-src 'self' forbids.
        return make_context(viewport=viewport, bypass_csp=True)

    return make


@pytest.mark.parametrize("viewport", WIDTHS)
def test_public_pages(demo: None, axe_page, viewport: dict[str, int]) -> None:
    context, guard = axe_page(viewport)
    # The 404 page is loaded on purpose; Chromium logs every 404 response as an error.
    guard.allow_console_error(r"status of 404 \(Not Found\).*/gibt-es-nicht/")
    report = AxeReport(context.new_page())
    for label, path in PUBLIC_PAGES.items():
        report.visit(label, path, status=404 if label == "404" else 200)
    report.assert_clean()


def _confirmation_key() -> str:
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(email="unbestaetigt@example.org")
    address = EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    return EmailConfirmationHMAC(address).key


@pytest.mark.parametrize("viewport", WIDTHS)
def test_forms_and_error_states(demo: None, axe_page, viewport: dict[str, int]) -> None:
    context, _guard = axe_page(viewport)
    page = context.new_page()
    report = AxeReport(page)
    for label, path in ACCOUNT_FORMS.items():
        report.visit(label, path)

    page.goto("/konto/signup/")
    page.get_by_label("E-Mail-Adresse").fill("kein-at-zeichen")
    page.get_by_label("Passwort", exact=True).fill("kurz")
    page.get_by_label("Passwort (Wiederholung)").fill("anders")
    page.locator("main form").get_by_role("button", name="Registrieren").click()
    expect(page.locator(".kern-error").first).to_be_visible()
    report.check("signup with errors")

    report.visit("confirm e-mail address", f"/konto/confirm-email/{_confirmation_key()}/")

    page.goto("/barrierefreiheit/")
    page.get_by_role("button", name="Nachricht senden").click()
    expect(page.locator("#form-errors")).to_be_visible()
    report.check("Barrierefreiheit, feedback form sent empty")
    report.assert_clean()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_account_and_staff_pages(demo: None, axe_page, login_as, viewport: dict[str, int]) -> None:
    context, _guard = axe_page(viewport)
    login_as(context, "bewohnerin@example.org")
    report = AxeReport(context.new_page())
    for label, path in ACCOUNT_PAGES.items():
        report.visit(label, path)
    report.visit("project, running, logged in", "/projekte/meine-stadt-der-zukunft/")

    staff, _guard = axe_page(viewport)
    login_as(staff, "admin@example.org")
    staff_report = AxeReport(staff.new_page())
    staff_report.visit("staff page /verwaltung/", "/verwaltung/")
    report.failures += staff_report.failures
    report.checked += staff_report.checked
    report.assert_clean()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_english_home(demo: None, axe_page, viewport: dict[str, int]) -> None:
    context, _guard = axe_page(viewport)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    report = AxeReport(page)
    report.check("home, English")
    report.assert_clean()


def test_the_axe_check_finds_what_it_looks_for(browser) -> None:
    """The helper every accessibility test uses reports violations with their elements
    (it asks axe for the elements of violations only), so a clean result means clean."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_content(
        '<!doctype html><html lang="de"><title>t</title><main>'
        '<img src="data:," id="ohne-alt">'
        '<p style="color:#bbb;background:#fff" id="blass">kaum lesbar</p></main></html>'
    )
    result = run_axe(page)
    context.close()
    found = {v["id"]: [" ".join(n["target"]) for n in v["nodes"]] for v in result["violations"]}
    assert found.get("image-alt") == ["#ohne-alt"]
    assert found.get("color-contrast") == ["#blass"]
    assert "html-has-lang" in result["passes"]
