"""Proposals (Vorschläge): accessibility, the map point picker, supporting with the keyboard,
the same path without JavaScript, no script from user content, and the author's own proposal.

Every test runs with the guard (no foreign hosts, no console errors, no page errors).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from playwright.sync_api import BrowserContext, Page, expect
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [pytest.param(DESKTOP, id="1280px"), pytest.param(MOBILE, id="320px")]

PROJECT = "meine-stadt-der-zukunft"
LIST_URL = f"/projekte/{PROJECT}/vorschlaege/"
CREATE_URL = f"/projekte/{PROJECT}/vorschlaege/neu/"
RESIDENT = "bewohnerin@example.org"
MANAGER = "projekt@example.org"

# Demo proposals in "Meine Stadt der Zukunft" (mitmachen/demo/proposals_data.py).
QUORUM_REACHED = "Schattige Sitzplätze rund um den Marktplatz"  # by the resident, 55 supports
OFFLINE = "Leere Läden in der Straße der Einheit zwischennutzen"  # workshop, 38 supports
MARKET = "Feierabendmarkt im Sommer auf dem Marktplatz"  # market stand, 21 supports
OWN_UNSUPPORTED = "Sichere Radroute zu den Schulen"  # by the resident, 0 supports
ANSWERED = "Öffentliche Toilette in der Altstadt"  # rejected, with two official responses

SUCCESS_CREATED = "Vielen Dank! Ihr Vorschlag ist veröffentlicht."
THANKS = "Vielen Dank für Ihre Unterstützung!"
NO_LONGER = "Sie unterstützen diesen Vorschlag nicht mehr."
PUBLISH = "Vorschlag veröffentlichen"
PUBLISH_ANYWAY = "Trotzdem als neuen Vorschlag veröffentlichen"
SIMILAR_TITLE = "Gibt es Ihren Vorschlag schon?"


def _proposal(title: str) -> Any:
    from mitmachen.proposals.models import Proposal

    return Proposal.objects.get(project__slug=PROJECT, title=title)


def _count_text(count: int) -> str:
    return f"{count} Unterstützung" if count == 1 else f"{count} Unterstützungen"


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def _click_inside_district(page: Page, map_selector: str) -> None:
    """Click a point of the map that lies inside the (only) Ortsteil polygon.

    The polygon's SVG path is hit-tested with elementFromPoint (fill counts), so the
    click lands inside the boundary whatever its shape; the point nearest the centre
    of its bounding box wins.
    """
    page.locator(map_selector).scroll_into_view_if_needed()
    position = page.evaluate(
        """(selector) => {
            const container = document.querySelector(selector);
            const path = container.querySelector("path.leaflet-interactive");
            const box = path.getBoundingClientRect();
            const frame = container.getBoundingClientRect();
            const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
            let best = null;
            for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
                const x = box.left + (box.width * i) / 20, y = box.top + (box.height * j) / 20;
                if (x <= frame.left + 40 || x >= frame.right - 5 || y <= frame.top + 5
                    || y >= frame.bottom - 20) continue;  // not under the zoom buttons
                if (document.elementFromPoint(x, y) !== path) continue;
                const d = (x - cx) ** 2 + (y - cy) ** 2;
                if (!best || d < best.d) best = {x: x - frame.left, y: y - frame.top, d};
            }
            return best && {x: best.x, y: best.y};
        }""",
        map_selector,
    )
    assert position, "no point of the Ortsteil polygon is visible on the map"
    page.locator(map_selector).click(position=position)


# --- 1. axe ------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", WIDTHS)
def test_proposal_pages_accessible(
    demo: None,
    make_context: Callable[..., tuple[BrowserContext, Any]],
    login_as,
    viewport: dict[str, int],
) -> None:
    from mitmachen.organisations.models import District

    belzig = District.objects.get(slug="bad-belzig", organisation__slug="bad-belzig")

    # bypass_csp: axe is injected as an inline script, which script-src 'self' forbids.
    anonymous, _guard = make_context(viewport=viewport, bypass_csp=True)
    report = AxeReport(anonymous.new_page())
    report.visit("proposal list", LIST_URL)
    report.visit(
        "proposal list, filtered",
        f"{LIST_URL}?q=Markt&thema=vitale-innenstadt&ortsteil={belzig.pk}&status=submitted"
        "&kanal=market_stand&sortierung=unterstuetzt",
    )
    report.visit("proposal list, nothing found", f"{LIST_URL}?q=gibt-es-bestimmt-nicht")
    report.visit(
        "proposal list, invalid filters",
        f"{LIST_URL}?thema=xx&ortsteil=abc&status=bad&kanal=brieftaube&sortierung=zz&seite=99",
    )
    report.visit(
        "proposal, anonymous, quorum reached", _proposal(QUORUM_REACHED).get_absolute_url()
    )
    report.visit("proposal, offline (workshop)", _proposal(OFFLINE).get_absolute_url())
    report.visit("proposal, official responses", _proposal(ANSWERED).get_absolute_url())

    resident, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(resident, RESIDENT)
    page = report.page = resident.new_page()  # one report for both contexts

    report.visit("proposal, resident can support", _proposal(MARKET).get_absolute_url())
    page.get_by_role("button", name="Unterstützen", exact=True).click()
    expect(page.locator("#unterstuetzung-status")).to_have_text(THANKS)
    report.check("proposal, after supporting (htmx)")
    report.visit("proposal list, logged in", f"{LIST_URL}?sortierung=unterstuetzt")

    report.visit("create form", CREATE_URL)
    page.get_by_role("button", name=PUBLISH).click()
    expect(page.locator("#form-errors")).to_be_visible()
    report.check("create form with errors")
    page.get_by_label("Titel", exact=True).fill("Mehr Bänke am Marktplatz")
    page.get_by_label("Beschreibung", exact=True).fill("Schattige Sitzplätze für alle.")
    _submit(page, PUBLISH)
    expect(page.locator("#aehnliche")).to_contain_text(SIMILAR_TITLE)
    report.check("create form, similar proposals shown")

    own = _proposal(OWN_UNSUPPORTED)
    report.visit("own proposal", own.get_absolute_url())
    report.visit("edit form", f"/vorschlaege/{own.pk}/bearbeiten/")
    report.visit("withdraw page", f"/vorschlaege/{own.pk}/zurueckziehen/")
    page.get_by_role("button", name="Zurückziehen").click()
    expect(page.locator("#form-errors")).to_be_visible()
    report.check("withdraw page with errors")
    page.get_by_label("Warum ziehen Sie den Vorschlag zurück?").fill("Hat sich erledigt.")
    page.get_by_role("button", name="Zurückziehen").click()
    expect(page.get_by_text("Ihr Vorschlag wurde zurückgezogen.")).to_be_visible()
    report.check("proposal, withdrawn")
    report.assert_clean()


# --- 2. create with the map point picker ------------------------------------------------


def test_create_with_map_point(demo: None, context: BrowserContext, page: Page, login_as) -> None:
    from mitmachen.proposals.models import Proposal

    title = "Trinkbrunnen am Marktplatz"  # like the demo's "Schattige Sitzplätze … Marktplatz"

    login_as(context, RESIDENT)
    page.goto(LIST_URL)
    page.get_by_role("link", name="Vorschlag einreichen").click()
    expect(page).to_have_url(re.compile(r"/vorschlaege/neu/$"))
    # While the title is typed, look-alikes appear in a live region (htmx).
    similar = page.locator("#aehnliche")
    expect(similar).to_have_attribute("aria-live", "polite")
    similar.evaluate("(el) => { el.dataset.original = 'yes'; }")
    page.get_by_label("Titel", exact=True).fill(title)
    expect(similar).to_contain_text(SIMILAR_TITLE)
    expect(similar.get_by_role("link", name=QUORUM_REACHED)).to_be_visible()
    # Screen readers announce changes in a live region that was already there.
    expect(similar).to_have_attribute("data-original", "yes")
    page.get_by_label("Beschreibung", exact=True).fill(
        "Ein Trinkbrunnen für heiße Tage.\n\n- kostenlos"
    )

    picker = page.locator("[data-point-picker]")
    expect(picker).to_be_visible()  # shown by the script (progressive enhancement)
    expect(picker.locator("path.leaflet-interactive")).to_have_count(1)  # the Ortsteil
    district = page.get_by_label(re.compile(r"^Ortsteil"))
    expect(district).to_have_value("")
    _click_inside_district(page, ".point-picker__map")

    expect(picker.locator("[data-point-status]")).to_have_text("Ort markiert in Bad Belzig.")
    expect(district.locator("option:checked")).to_have_text("Bad Belzig")
    lon = float(page.locator("#id_lon").input_value())
    lat = float(page.locator("#id_lat").input_value())
    assert 12.5 < lon < 12.7 and 52.1 < lat < 52.2, (lon, lat)
    expect(picker.locator("path.leaflet-interactive")).to_have_count(2)  # + the marker

    # Choosing another Ortsteil in the list removes the marker (the server would otherwise
    # take the Ortsteil from the point and silently overrule the choice).
    district.select_option(label="– ganzes Gebiet –")
    expect(picker.locator("[data-point-status]")).to_have_text(
        "Markierung entfernt, weil Sie einen anderen Ortsteil gewählt haben."
    )
    expect(page.locator("#id_lon")).to_have_value("")
    expect(page.locator("#id_lat")).to_have_value("")
    expect(picker.locator("path.leaflet-interactive")).to_have_count(1)
    _click_inside_district(page, ".point-picker__map")
    expect(picker.locator("[data-point-status]")).to_have_text("Ort markiert in Bad Belzig.")
    expect(district.locator("option:checked")).to_have_text("Bad Belzig")
    assert float(page.locator("#id_lon").input_value()) == lon

    # The server shows the look-alikes once more before publishing; the point survives.
    _submit(page, PUBLISH)
    expect(page).to_have_url(re.compile(r"/vorschlaege/neu/$"))
    expect(similar).to_contain_text(SIMILAR_TITLE)
    expect(picker.locator("path.leaflet-interactive")).to_have_count(2)
    expect(page.locator("#id_lon")).to_have_value(f"{lon:.6f}")
    expect(page.locator("#id_lat")).to_have_value(f"{lat:.6f}")
    expect(district.locator("option:checked")).to_have_text("Bad Belzig")
    assert not Proposal.objects.filter(title=title).exists()
    _submit(page, PUBLISH_ANYWAY)
    expect(page).to_have_url(re.compile(r"/vorschlaege/\d+/$"))
    expect(page.locator(".messages")).to_contain_text(SUCCESS_CREATED)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    proposal = Proposal.objects.get(title=title)
    assert proposal.author.email == RESIDENT
    assert proposal.district.name == "Bad Belzig"
    assert (round(proposal.lon, 6), round(proposal.lat, 6)) == (lon, lat)
    assert page.url.endswith(proposal.get_absolute_url())

    # The detail map shows the Ortsteil and the point (a circle marker: an SVG arc).
    detail_map = page.locator("#proposal-map + .map.leaflet-container")
    expect(detail_map).to_be_visible()
    expect(detail_map.locator("svg path.leaflet-interactive")).to_have_count(2)
    expect(detail_map.locator("svg path.leaflet-interactive[d*='a']")).to_have_count(1)


# --- 3. support with the keyboard (htmx) --------------------------------------------------


def test_support_and_take_back_with_keyboard(
    demo: None, context: BrowserContext, page: Page, login_as
) -> None:
    login_as(context, RESIDENT)
    proposal = _proposal(OFFLINE)
    before = proposal.support_count
    page.goto(proposal.get_absolute_url())
    page.evaluate("() => { window.__noReload = true; }")
    box = page.locator("#unterstuetzung")
    status = page.locator("#unterstuetzung-status")
    expect(box.locator(".support-box__count")).to_have_text(_count_text(before))
    expect(status).to_have_attribute("role", "status")  # a live region from the start
    status.evaluate("(el) => { el.dataset.original = 'yes'; }")

    button = page.get_by_role("button", name="Unterstützen", exact=True)
    button.focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text(THANKS)
    expect(box.locator(".support-box__count")).to_have_text(_count_text(before + 1))
    take_back = page.get_by_role("button", name="Unterstützung zurücknehmen")
    expect(take_back).to_be_focused()
    assert _proposal(OFFLINE).support_count == before + 1
    assert proposal.supports.filter(user__email=RESIDENT).exists()

    # htmx has finished with the new box (swap and settle) before the next key press;
    # a press in between would submit the plain form, which also works, but reloads.
    page.wait_for_function(
        "() => !document.querySelector('#unterstuetzung.htmx-settling, .htmx-swapping')"
    )
    page.keyboard.press("Enter")
    expect(status).to_have_text(NO_LONGER)
    expect(box.locator(".support-box__count")).to_have_text(_count_text(before))
    expect(page.get_by_role("button", name="Unterstützen", exact=True)).to_be_focused()
    assert _proposal(OFFLINE).support_count == before
    assert not proposal.supports.filter(user__email=RESIDENT).exists()
    assert page.evaluate("() => window.__noReload") is True, "the page reloaded"
    expect(page.locator(".messages")).to_have_count(0)
    expect(page.locator("#unterstuetzung")).to_have_count(1)
    expect(page.locator("#unterstuetzung-status")).to_have_count(1)
    # Screen readers announce changes of a live region that was already there, not the
    # content of a new element: the status must be updated, not replaced.
    expect(status).to_have_attribute("data-original", "yes")


def test_filter_announces_results_in_place(demo: None, page: Page) -> None:
    page.goto(LIST_URL)
    page.evaluate("() => { window.__noReload = true; }")
    live = page.locator("#ergebnisse-status")
    expect(live).to_have_attribute("role", "status")
    live.evaluate("(el) => { el.dataset.original = 'yes'; }")
    with page.expect_response(lambda r: "kanal=workshop" in r.url) as response_info:
        page.get_by_label("Kanal").select_option(label="Workshop")
    assert response_info.value.request.headers.get("hx-request") == "true"
    expect(page).to_have_url(re.compile(r"kanal=workshop"))
    heading = page.locator("#ergebnisse").get_by_role("heading", level=2)
    expect(heading).to_have_text(re.compile(r"^\d+ Vorschl(ag|äge) gefunden$"))
    expect(live).to_have_text(heading.inner_text())
    expect(live).to_have_attribute("data-original", "yes")  # updated, not replaced
    cards = page.locator("#ergebnisse").get_by_role("heading", level=3)
    expect(cards).to_contain_text([OFFLINE])
    expect(page.locator("h1")).to_have_count(1)
    assert page.evaluate("() => window.__noReload") is True, "the page reloaded"


# --- 4. the same without JavaScript ------------------------------------------------------


def test_create_and_support_without_javascript(demo: None, make_context, login_as) -> None:
    from mitmachen.organisations.models import District
    from mitmachen.proposals.models import Proposal

    author, _guard = make_context(java_script_enabled=False)
    login_as(author, RESIDENT)
    page = author.new_page()
    page.goto(CREATE_URL)
    expect(page.locator("[data-point-picker]")).to_be_hidden()
    page.get_by_label("Titel", exact=True).fill("Fahrradreparaturstation am Markt")
    page.get_by_label("Beschreibung", exact=True).fill("Luftpumpe und Werkzeug zum Ausleihen.")
    page.get_by_label(re.compile(r"^Ortsteil")).select_option(label="Bad Belzig")
    page.get_by_label("Ort (Beschreibung)").fill("Neben den Fahrradbügeln am Marktplatz")
    _submit(page, PUBLISH)
    # Look-alikes ("… am Marktplatz") are shown by the server; publishing anyway keeps input.
    expect(page.locator("#aehnliche")).to_contain_text(SIMILAR_TITLE)
    expect(page.get_by_label("Titel", exact=True)).to_have_value("Fahrradreparaturstation am Markt")
    expect(page.get_by_label(re.compile(r"^Ortsteil"))).to_have_value(
        str(District.objects.get(slug="bad-belzig", organisation__slug="bad-belzig").pk)
    )
    _submit(page, PUBLISH_ANYWAY)
    expect(page).to_have_url(re.compile(r"/vorschlaege/\d+/$"))
    expect(page.locator(".messages")).to_contain_text(SUCCESS_CREATED)
    expect(page.get_by_text("Neben den Fahrradbügeln am Marktplatz")).to_be_visible()

    proposal = Proposal.objects.get(title="Fahrradreparaturstation am Markt")
    assert proposal.district.name == "Bad Belzig"
    assert proposal.lon is None and proposal.lat is None
    assert proposal.place_description == "Neben den Fahrradbügeln am Marktplatz"

    supporter, _guard = make_context(java_script_enabled=False)
    login_as(supporter, MANAGER)
    page = supporter.new_page()
    page.goto(proposal.get_absolute_url())
    expect(page.locator(".support-box__count")).to_have_text(_count_text(0))
    page.get_by_role("button", name="Unterstützen", exact=True).click()
    expect(page).to_have_url(re.compile(rf"{proposal.get_absolute_url()}$"))
    expect(page.locator(".messages")).to_contain_text(THANKS)
    expect(page.locator(".support-box__count")).to_have_text(_count_text(1))
    expect(page.get_by_role("button", name="Unterstützung zurücknehmen")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.support_count == 1


# --- 5. no script from user content ------------------------------------------------------

XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_IMG = '<img src=x onerror="window.__xss=2">'
XSS_LINK = "[x](javascript:window.__xss=3)"
XSS_TEXT = (
    f"Harmlos.\n\n{XSS_SCRIPT}\n\n{XSS_IMG}\n\nEin Link: {XSS_LINK}\n\n"
    '<a href="javascript:window.__xss=4">y</a> <svg onload="window.__xss=5"></svg>\n\n'
    '<p onclick="window.__xss=6" style="background:url(x)">z</p>'
)


def test_user_content_never_runs_script(demo: None, make_context, login_as) -> None:
    from django.contrib.auth import get_user_model

    from mitmachen.projects.models import Project
    from mitmachen.proposals.services import proposal_create

    proposal = proposal_create(
        author=get_user_model().objects.get(email=RESIDENT),
        project=Project.objects.get(slug=PROJECT),
        title=f"{XSS_SCRIPT}{XSS_IMG}",
        text=XSS_TEXT,
        place_description=f"{XSS_SCRIPT} {XSS_IMG} {XSS_LINK}",
    )
    # bypass_csp: the page must be safe through escaping and sanitising alone,
    # not only because the Content-Security-Policy would block inline script.
    context, _guard = make_context(bypass_csp=True)
    login_as(context, RESIDENT)  # the author also sees the edit and withdraw forms
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    def assert_inert(where: str) -> None:
        assert page.evaluate("() => typeof window.__xss") == "undefined", where
        found = page.evaluate(
            """() => [...document.querySelectorAll(
                    "main img, main svg, main iframe, main object, main embed,"
                    + " main script:not([type='application/json']),"
                    + " [onerror], [onload], [onclick], main [style], a[href^='javascript' i]")]
                .filter((e) => !e.closest(".leaflet-container"))  // the map draws with SVG
                .map((e) => e.outerHTML.slice(0, 120))"""
        )
        assert not found, f"{where}: active content from user text: {found}"
        assert not dialogs, f"{where}: a dialog opened: {dialogs}"

    page.goto(proposal.get_absolute_url())
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{XSS_SCRIPT}{XSS_IMG}")
    expect(main.get_by_text("Harmlos.")).to_be_visible()
    assert_inert("detail")
    link = main.locator(".prose").get_by_role("link", name="x", exact=True)
    if link.count():
        link.click()
        page.wait_for_timeout(200)
        assert_inert("detail, after clicking the Markdown link")
        if not page.url.endswith(proposal.get_absolute_url()):
            page.goto(proposal.get_absolute_url())
    # The place is shown as text, not as markup.
    expect(main.get_by_text(f"{XSS_SCRIPT} {XSS_IMG} {XSS_LINK}")).to_be_visible()
    assert "<script>" in page.title()

    for where, url in {
        "list": LIST_URL,
        "list, searched for it": f"{LIST_URL}?q=%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E",
        "edit form": f"/vorschlaege/{proposal.pk}/bearbeiten/",
        "withdraw page": f"/vorschlaege/{proposal.pk}/zurueckziehen/",
    }.items():
        page.goto(url)
        expect(page.locator("h1")).to_have_count(1)
        assert_inert(where)
    page.goto(LIST_URL)
    expect(
        page.locator("#ergebnisse").get_by_role("link", name=f"{XSS_SCRIPT}{XSS_IMG}")
    ).to_be_visible()
    # The look-alikes shown while typing a title (an htmx fragment) list it as text, too.
    page.goto(CREATE_URL)
    # The same title (PostgreSQL's text parser ignores words inside tags, so typing just
    # "script window" would find it only on SQLite).
    page.get_by_label("Titel", exact=True).fill(f"{XSS_SCRIPT}{XSS_IMG}")
    expect(
        page.locator("#aehnliche").get_by_role("link", name=f"{XSS_SCRIPT}{XSS_IMG}")
    ).to_be_visible()
    assert_inert("create form, look-alikes")
    assert not any(u.rstrip("/").endswith("/x") for u in _guard.requests), _guard.requests


# --- 6. the author's own proposal --------------------------------------------------------


def test_own_proposal_edit_until_supported_then_withdraw(
    demo: None, context: BrowserContext, page: Page, login_as
) -> None:
    from django.contrib.auth import get_user_model

    from mitmachen.proposals.services import support_add

    login_as(context, RESIDENT)
    proposal = _proposal(OWN_UNSUPPORTED)
    page.goto(proposal.get_absolute_url())
    box = page.locator("#unterstuetzung")
    expect(box).to_contain_text("Eigene Vorschläge können Sie nicht unterstützen.")
    expect(box.get_by_role("button")).to_have_count(0)

    page.get_by_role("link", name="Bearbeiten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vorschlag bearbeiten")
    expect(page.get_by_label("Titel", exact=True)).to_have_value(OWN_UNSUPPORTED)
    page.get_by_label("Titel", exact=True).fill("Sichere Radroute zu den Grundschulen")
    page.get_by_role("button", name="Änderungen speichern").click()
    expect(page.locator(".messages")).to_contain_text("Ihre Änderungen sind gespeichert.")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sichere Radroute zu den Grundschulen"
    )
    proposal.refresh_from_db()
    assert proposal.title == "Sichere Radroute zu den Grundschulen"

    # After the first support the proposal can no longer be edited.
    support_add(user=get_user_model().objects.get(email=MANAGER), proposal=proposal)
    page.reload()
    expect(page.locator(".support-box__count")).to_have_text(_count_text(1))
    expect(page.get_by_role("link", name="Bearbeiten")).to_have_count(0)
    page.goto(f"/vorschlaege/{proposal.pk}/bearbeiten/")
    expect(page).to_have_url(re.compile(rf"{proposal.get_absolute_url()}$"))
    expect(page.locator(".messages")).to_contain_text("kann nicht mehr bearbeitet werden")

    # Withdrawing needs a reason, which the page then shows.
    page.get_by_role("link", name="Zurückziehen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vorschlag zurückziehen")
    page.get_by_label("Warum ziehen Sie den Vorschlag zurück?").fill(
        "Die Stadt plant die Route schon."
    )
    page.get_by_role("button", name="Zurückziehen").click()
    expect(page).to_have_url(re.compile(rf"{proposal.get_absolute_url()}$"))
    expect(page.locator(".messages")).to_contain_text("Ihr Vorschlag wurde zurückgezogen.")
    alert = page.locator("article .kern-alert--warning")
    expect(alert).to_contain_text("Zurückgezogen am")
    expect(alert).to_contain_text("Die Stadt plant die Route schon.")
    expect(page.get_by_role("link", name="Zurückziehen")).to_have_count(0)
    expect(page.get_by_role("link", name="Bearbeiten")).to_have_count(0)
    proposal.refresh_from_db()
    assert proposal.withdrawn_at is not None
    assert proposal.withdrawal_reason == "Die Stadt plant die Route schon."
    assert proposal.support_count == 1  # the support stays


# --- 4. a photo survives the look-alikes step (audit issue 18, finding 12) ----------------


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_photo_is_kept_across_the_similar_step(
    demo: None, make_context: Any, login_as: Any, tmp_path: Any, javascript: bool
) -> None:
    from mitmachen.core.tests.test_images import jpeg_with_gps
    from mitmachen.proposals.models import Proposal

    photo = tmp_path / "brunnen.jpg"
    photo.write_bytes(jpeg_with_gps().read())
    title = "Trinkbrunnen am Marktplatz"  # like a demo proposal: the look-alikes step comes
    context, _guard = make_context(java_script_enabled=javascript, bypass_csp=True)
    login_as(context, RESIDENT)
    page = context.new_page()
    report = AxeReport(page)
    page.goto(f"/projekte/{PROJECT}/vorschlaege/neu/")
    page.get_by_label("Titel", exact=True).fill(title)
    page.get_by_label("Beschreibung", exact=True).fill("Für heiße Tage.")
    page.locator("#id_image_1").set_input_files(str(photo))
    page.get_by_label("Was ist auf Bild 1 zu sehen?").fill("Der leere Brunnenplatz")
    _submit(page, PUBLISH)
    expect(page.locator("#aehnliche")).to_contain_text(SIMILAR_TITLE)
    expect(page.locator("main")).to_contain_text("Ihr Foto ist gespeichert: brunnen.jpg")
    expect(page.get_by_role("checkbox", name="entfernen")).not_to_be_checked()
    if javascript:
        report.check("create form with a kept photo")
    assert not Proposal.objects.filter(title=title).exists()
    _submit(page, PUBLISH_ANYWAY)
    expect(page.locator(".messages")).to_contain_text(SUCCESS_CREATED)
    proposal = Proposal.objects.get(title=title)
    assert list(proposal.images.values_list("alt_text", flat=True)) == ["Der leere Brunnenplatz"]
    expect(page.locator('main img[alt="Der leere Brunnenplatz"]')).to_be_visible()
    report.assert_clean()
