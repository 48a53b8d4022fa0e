"""Proposals from the staff side (the list and map are in test_proposal_list_map.py).

1. Project staff set a status with a public response on the proposal page (the author
   gets an e-mail); an empty response is refused and stores nothing.
2. Staff enter proposals from offline formats (market stand …) in batches, on a tablet and
   with the keyboard alone; residents are refused.

axe-core (WCAG 2.1 A/AA) and the reflow check run on every page state; the guard of
conftest.py fails a test on requests to other hosts and on console errors.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_helpers import DESKTOP, MOBILE
from playwright.sync_api import BrowserContext, Page, expect
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [pytest.param(DESKTOP, id="1280px"), pytest.param(MOBILE, id="320px")]
TABLET = {"width": 820, "height": 1180}

PROJECT = "meine-stadt-der-zukunft"
LIST_URL = f"/projekte/{PROJECT}/vorschlaege/"
MAP_URL = f"/projekte/{PROJECT}/vorschlaege/karte/"
GEOJSON_URL = f"/projekte/{PROJECT}/vorschlaege.geojson"
OFFLINE_URL = f"/projekte/{PROJECT}/vorschlaege/erfassen/"
RESIDENT = "bewohnerin@example.org"
MANAGER = "projekt@example.org"  # project manager of PROJECT (not a superuser)
MODERATOR = "moderation@example.org"  # member of the organisation, but not project staff

# Demo proposals in "Meine Stadt der Zukunft" (mitmachen/demo/proposals_data.py).
UNANSWERED = "Kleiner Stadtbus Bahnhof – Altstadt – SteinTherme im Takt der Züge"  # resident's
MARKET = "Feierabendmarkt im Sommer auf dem Marktplatz"  # market stand, with a point

STATUS_SAVED = "Status und Rückmeldung sind veröffentlicht."
REQUIRED = "Dieses Feld ist zwingend erforderlich."
OFFLINE_HEADING = "Vorschlag aus Veranstaltung erfassen"
SAVE_AND_NEXT = "Speichern und nächsten erfassen"
SAVE_AND_VIEW = "Speichern und ansehen"
NO_RESULTS = "Keine Vorschläge passen zu diesen Filtern."

# Screenshots of the key steps, for looking at by hand: MITMACHEN_SCREENSHOTS=/tmp/shots.
SHOTS = os.environ.get("MITMACHEN_SCREENSHOTS", "")


# --- helpers ---------------------------------------------------------------------------


def _shot(page: Page, name: str) -> None:
    """A full-page screenshot into $MITMACHEN_SCREENSHOTS, when that is set."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"staff-{name}.png"), full_page=True)


def _proposal(title: str) -> Any:
    from mitmachen.proposals.models import Proposal

    return Proposal.objects.get(project__slug=PROJECT, title=title)


def _today() -> date:
    """Today where the site is (Europe/Berlin), as the forms and pages count it."""
    from django.utils import timezone

    return timezone.localdate()


def _german_date(day: date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "DATE_FORMAT")


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def _tab_until(page: Page, condition: str, limit: int = 60) -> int:
    """Press Tab until the JavaScript ``condition`` holds; returns the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => !!document.activeElement && !!({condition})"):
            return presses
    raise AssertionError(f"{condition} not reached with {limit} presses of Tab")


def _tab_to(page: Page, element_id: str, limit: int = 60) -> int:
    """Press Tab until the element with ``element_id`` has the focus."""
    return _tab_until(page, f"document.activeElement.id === {element_id!r}", limit)


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _card_titles(page: Page) -> list[str]:
    return page.locator("#ergebnisse").get_by_role("heading", level=3).all_inner_texts()


def _titles(**filters: Any) -> set[str]:
    """Titles of the proposals a visitor sees (not hidden by moderation) with ``filters``."""
    from mitmachen.proposals.models import Proposal

    visible = Proposal.objects.filter(project__slug=PROJECT, hidden_at__isnull=True)
    return set(visible.filter(**filters).values_list("title", flat=True))


# --- 1. status and public response -------------------------------------------------------


def test_staff_set_status_with_public_response(
    demo: None, make_context: Callable[..., tuple[BrowserContext, Any]], login_as, mailoutbox
) -> None:
    from mitmachen.proposals.models import ProposalStatus

    proposal = _proposal(UNANSWERED)
    assert proposal.status == ProposalStatus.SUBMITTED and not proposal.official_response
    author_email = proposal.author.email
    mails_before = len(mailoutbox)

    # bypass_csp: axe is injected as an inline script, which script-src 'self' forbids.
    context, _guard = make_context(bypass_csp=True)
    login_as(context, MANAGER)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("proposal, staff form", proposal.get_absolute_url())
    section = page.get_by_role("region", name="Status und Rückmeldung (Verwaltung)")
    expect(section).to_be_visible()
    status = section.get_by_label("Status", exact=True)
    expect(status.locator("option:checked")).to_have_text("eingegangen")
    expect(page.locator(".official-response")).to_have_count(0)

    # An empty response (only blanks) is refused, in German, and nothing is stored.
    status.select_option(label="in Prüfung")
    section.get_by_label("Rückmeldung der Verwaltung").fill("   ")
    _submit(page, "Status und Rückmeldung veröffentlichen")
    expect(page).to_have_url(re.compile(rf"/vorschlaege/{proposal.pk}/status/$"))
    errors = page.locator("#form-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("Bitte prüfen Sie Ihre Eingaben.")
    expect(errors.get_by_role("link")).to_have_text([f"Rückmeldung der Verwaltung: {REQUIRED}"])
    response_field = page.get_by_label("Rückmeldung der Verwaltung")
    expect(response_field).to_have_attribute("aria-invalid", "true")
    # The choice made survives the round trip.
    expect(page.get_by_label("Status", exact=True).locator("option:checked")).to_have_text(
        "in Prüfung"
    )
    _shot(page, "1-status-empty-response")
    report.check("status form, empty response")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert not proposal.official_response
    assert not proposal.status_changes.exists()
    assert len(mailoutbox) == mails_before

    # The error summary links to the field; the staff then answer on the error page.
    errors.get_by_role("link").click()
    expect(response_field).to_be_focused()
    first_response = "Wir prüfen mit dem Verkehrsverbund, ob ein Rufbus **möglich** ist."
    response_field.fill(first_response)
    _submit(page, "Status und Rückmeldung veröffentlichen")
    expect(page).to_have_url(re.compile(rf"{proposal.get_absolute_url()}$"))
    expect(page.locator(".messages")).to_contain_text(STATUS_SAVED)
    expect(page.locator(".proposal .project__header .kern-badge")).to_have_text("in Prüfung")
    answer = page.get_by_role("region", name="Rückmeldung der Verwaltung")
    expect(answer).to_be_visible()
    expect(answer).to_contain_text(
        f"Stadt Bad Belzig, {_german_date(_today())} – Status: in Prüfung"
    )
    expect(answer.locator(".prose strong")).to_have_text("möglich")  # Markdown rendered
    # The answer comes before the proposal text (prominent), not somewhere below.
    assert page.evaluate(
        """() => {
            const answer = document.querySelector(".official-response");
            const text = document.querySelector(".proposal__layout");
            return !!(answer.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_FOLLOWING);
        }"""
    ), "the official response is not shown before the proposal text"
    _shot(page, "2-status-in-review")
    report.check("proposal after the first response")

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_REVIEW
    assert proposal.official_response == first_response
    assert list(proposal.status_changes.values_list("status", "response")) == [
        (ProposalStatus.IN_REVIEW, first_response)
    ]
    # The author is told by e-mail (followers may be, too; the staff member is not).
    to_author = [m for m in mailoutbox[mails_before:] if m.to == [author_email]]
    assert len(to_author) == 1, [(m.to, m.subject) for m in mailoutbox[mails_before:]]
    mail = to_author[0]
    assert "Rückmeldung" in mail.subject and UNANSWERED in mail.subject, mail.subject
    assert "in Prüfung" in mail.body
    assert first_response in mail.body
    assert proposal.get_absolute_url() in mail.body
    assert not [m for m in mailoutbox[mails_before:] if MANAGER in m.to]

    # A second answer: the page shows the newest, the public history the earlier one.
    section = page.get_by_role("region", name="Status und Rückmeldung (Verwaltung)")
    section.get_by_label("Status", exact=True).select_option(label="angenommen")
    second_response = "Der Rufbus fährt ab dem Fahrplanwechsel im Stundentakt."
    section.get_by_label("Rückmeldung der Verwaltung").fill(second_response)
    _submit(page, "Status und Rückmeldung veröffentlichen")
    expect(page.locator(".messages")).to_contain_text(STATUS_SAVED)
    expect(page.locator(".proposal .project__header .kern-badge")).to_have_text("angenommen")
    expect(answer).to_contain_text("Status: angenommen")
    expect(answer.locator(":scope > .prose")).to_have_text(second_response)
    history = answer.locator("details.status-history")
    history.locator("summary").click()
    expect(history).to_have_attribute("open", "")
    entries = history.locator("li")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text("in Prüfung")
    expect(entries.first).to_contain_text(first_response.replace("**", ""))
    _shot(page, "3-status-accepted-history-open")
    report.check("proposal after the second response, history open")
    to_author = [m for m in mailoutbox[mails_before:] if m.to == [author_email]]
    assert len(to_author) == 2
    assert "angenommen" in to_author[-1].body
    assert second_response in to_author[-1].body

    # The list shows the new status and that there is an answer.
    page.goto(f"{LIST_URL}?status=accepted")
    card = page.locator(".proposal-card", has_text=UNANSWERED)
    expect(card.locator(".kern-badge")).to_have_text("angenommen")
    expect(card).to_contain_text("mit Rückmeldung der Verwaltung")
    report.assert_clean()


# --- 2. offline entry --------------------------------------------------------------------


def _fill_origin(page: Page, *, channel: str, day: date, place: str) -> None:
    page.get_by_label("Eingegangen über").select_option(label=channel)
    page.get_by_label("Eingegangen am").fill(day.isoformat())
    page.get_by_label("Veranstaltung / Ort der Abgabe").fill(place)


def test_offline_entry_batch_on_a_tablet(
    demo: None, make_context: Callable[..., tuple[BrowserContext, Any]], login_as
) -> None:
    from mitmachen.core.channels import Channel
    from mitmachen.proposals.models import Proposal

    day = _today() - timedelta(days=3)
    place = "Marktstand auf dem Wochenmarkt"
    consenting = "Mehr Fahrradbügel am Bahnhof"
    anonymous = "Trinkbrunnen auf dem Marktplatz"
    before = Proposal.objects.count()

    context, _guard = make_context(viewport=TABLET, bypass_csp=True, has_touch=True)
    login_as(context, MANAGER)
    page = context.new_page()
    report = AxeReport(page)  # axe and the reflow check (no sideways scrolling)

    page.goto(LIST_URL)
    page.get_by_role("link", name=OFFLINE_HEADING).click()
    expect(page).to_have_url(re.compile(rf"{OFFLINE_URL}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(OFFLINE_HEADING)
    expect(page.get_by_label("Eingegangen am")).to_have_value(_today().isoformat())
    _shot(page, "4-offline-form-tablet")
    report.check("offline form (tablet)")

    # Errors: without title, text and place nothing is saved.
    page.get_by_label("Eingegangen am").fill((_today() + timedelta(days=2)).isoformat())
    _submit(page, SAVE_AND_NEXT)
    errors = page.locator("#form-errors")
    expect(errors).to_be_visible()
    links = errors.get_by_role("link")
    expect(links).to_contain_text(
        [
            "Eingegangen am: Das Datum liegt in der Zukunft.",
            "Veranstaltung / Ort der Abgabe: Bitte geben Sie an, wo der Vorschlag abgegeben wurde.",
            f"Titel: {REQUIRED}",
            f"Beschreibung: {REQUIRED}",
        ]
    )
    expect(page.get_by_label("Titel", exact=True)).to_have_attribute("aria-invalid", "true")
    # Consent without a name is refused as well.
    page.get_by_label("Die Person ist einverstanden").check()
    _submit(page, SAVE_AND_NEXT)
    expect(errors.get_by_role("link")).to_contain_text(
        ["Name der einreichenden Person: Bitte den Namen angeben, der genannt werden darf."]
    )
    _shot(page, "5-offline-form-errors")
    report.check("offline form with errors (tablet)")
    assert Proposal.objects.count() == before

    # First entry of the batch: with a name the person agreed to publish.
    _fill_origin(page, channel="Marktstand", day=day, place=place)
    page.get_by_label("Name der einreichenden Person").fill("Frau M.")
    page.get_by_label("Die Person ist einverstanden").check()
    page.get_by_label("Titel", exact=True).fill(consenting)
    page.get_by_label("Beschreibung", exact=True).fill("Die Bügel am Bahnhof sind immer voll.")
    page.get_by_label(re.compile(r"^Thema")).select_option(label="Lokale Mobilität")
    page.get_by_label(re.compile(r"^Ortsteil")).select_option(label="Bad Belzig")
    page.get_by_label(re.compile(r"^Ort \(Beschreibung\)")).fill("Bahnhofsvorplatz")
    _submit(page, SAVE_AND_NEXT)

    # Back on the empty form; the details of the event are kept for the next entry.
    expect(page).to_have_url(re.compile(rf"{OFFLINE_URL}\?"))
    assert _query(page) == {
        "kanal": ["market_stand"],
        "datum": [day.isoformat()],
        "ort": [place],
        "weiter": ["1"],
    }
    # The cursor starts in the title: the event details are already there.
    expect(page.get_by_role("textbox", name="Titel", exact=True)).to_be_focused()
    expect(page.locator(".messages")).to_contain_text(
        f"Erfasst: „{consenting}“. Sie können den nächsten Vorschlag eingeben."
    )
    expect(page.get_by_label("Eingegangen über").locator("option:checked")).to_have_text(
        "Marktstand"
    )
    expect(page.get_by_label("Eingegangen am")).to_have_value(day.isoformat())
    expect(page.get_by_label("Veranstaltung / Ort der Abgabe")).to_have_value(place)
    expect(page.get_by_label("Titel", exact=True)).to_have_value("")
    expect(page.get_by_label("Name der einreichenden Person")).to_have_value("")
    expect(page.get_by_label("Die Person ist einverstanden")).not_to_be_checked()
    _shot(page, "6-offline-form-next-entry")
    report.check("offline form, next entry of the batch")

    # Second entry: a name without consent is neither stored nor shown; "save and view".
    page.get_by_label("Name der einreichenden Person").fill("Herr K.")
    page.get_by_label("Titel", exact=True).fill(anonymous)
    page.get_by_label("Beschreibung", exact=True).fill("Im Sommer fehlt Trinkwasser.")
    _submit(page, SAVE_AND_VIEW)
    second = Proposal.objects.get(project__slug=PROJECT, title=anonymous)
    expect(page).to_have_url(re.compile(rf"{second.get_absolute_url()}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(anonymous)
    header = page.locator(".proposal .project__header")
    expect(header).to_contain_text(
        f"eingereicht über Marktstand ({place}) am {_german_date(day)} von einer Teilnehmerin "
        "oder einem Teilnehmer, von der Verwaltung erfasst"
    )
    expect(page.locator("main")).not_to_contain_text("Herr K.")
    _shot(page, "7-offline-result-without-consent")
    report.check("offline proposal without consent (tablet)")

    first = Proposal.objects.get(project__slug=PROJECT, title=consenting)
    report.visit("offline proposal with consent (tablet)", first.get_absolute_url())
    expect(header).to_contain_text(
        f"eingereicht über Marktstand ({place}) am {_german_date(day)} von Frau M., "
        "von der Verwaltung erfasst"
    )
    expect(page.locator("main dl")).to_contain_text("Lokale Mobilität")
    expect(page.locator("main dl")).to_contain_text("Bahnhofsvorplatz")
    _shot(page, "8-offline-result-with-consent")

    # In the list the channel is named on the card.
    page.goto(f"{LIST_URL}?kanal=market_stand")
    for title in (consenting, anonymous):
        expect(page.locator(".proposal-card", has_text=title)).to_contain_text(
            "eingereicht: Marktstand"
        )
    report.check("list filtered by market stand (tablet)")

    assert Proposal.objects.count() == before + 2
    for proposal in (first, second):
        assert proposal.channel == Channel.MARKET_STAND
        assert proposal.submitted_on == day
        assert proposal.offline_place == place
        assert proposal.author is None
        assert proposal.entered_by.email == MANAGER
    assert (first.offline_name, first.offline_consent) == ("Frau M.", True)
    assert (second.offline_name, second.offline_consent) == ("", False)
    assert first.topic.slug == "lokale-mobilitaet" and first.district.slug == "bad-belzig"
    report.assert_clean()


def test_offline_entry_with_the_keyboard_only(
    demo: None, context: BrowserContext, page: Page, login_as
) -> None:
    from mitmachen.proposals.models import Proposal

    # The date field's order of day and month follows the browser's locale (TT.MM. or
    # MM/DD); a day whose day and month are equal is typed the same in both.
    day = next(d for d in (_today() - timedelta(days=n) for n in range(1, 400)) if d.day == d.month)
    title = "Sitzbank an der Bushaltestelle"
    login_as(context, MANAGER)
    page.goto(OFFLINE_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(OFFLINE_HEADING)

    # From the top of the page through the fields in their visual order.
    _tab_to(page, "id_channel")
    page.keyboard.type("Markt")  # type-ahead in the closed list box
    expect(page.locator("#id_channel")).to_have_value("market_stand")
    _tab_to(page, "id_submitted_on", limit=1)
    page.keyboard.type(day.strftime("%d%m%Y"))
    expect(page.locator("#id_submitted_on")).to_have_value(day.isoformat())
    _tab_to(page, "id_offline_place", limit=4)  # the date field's parts are tab stops
    page.keyboard.type("Mitmachmobil am Bahnhof")
    _tab_to(page, "id_event", limit=1)  # "Veranstaltung": none of the municipality's events
    _tab_to(page, "id_offline_name", limit=1)
    page.keyboard.type("Frau S.")
    _tab_to(page, "id_offline_consent", limit=1)
    page.keyboard.press("Space")
    expect(page.locator("#id_offline_consent")).to_be_checked()
    _tab_to(page, "id_title", limit=1)
    page.keyboard.type(title)
    _tab_to(page, "id_text", limit=1)
    page.keyboard.type("Zum Warten fehlt eine Bank.")
    page.keyboard.press("Enter")  # a new line inside the text, not sending the form
    page.keyboard.type("Mit Dach wäre schön.")
    _tab_to(page, "id_topic", limit=1)
    page.keyboard.type("Lokale")
    expect(page.locator("#id_topic option:checked")).to_have_text("Lokale Mobilität")
    _tab_to(page, "id_district", limit=1)
    page.keyboard.type("Bad")
    expect(page.locator("#id_district option:checked")).to_have_text("Bad Belzig")
    _tab_to(page, "id_place_description", limit=1)
    page.keyboard.type("Haltestelle Bahnhof")
    # Enter in a text field sends the form with its first button: "save and next".
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator(".messages")).to_contain_text(f"Erfasst: „{title}“.")
    expect(page.locator("#id_channel")).to_have_value("market_stand")
    proposal = Proposal.objects.get(project__slug=PROJECT, title=title)
    assert (
        proposal.text.replace("\r\n", "\n") == "Zum Warten fehlt eine Bank.\nMit Dach wäre schön."
    )
    assert proposal.submitted_on == day
    assert proposal.offline_place == "Mitmachmobil am Bahnhof"
    assert (proposal.offline_name, proposal.offline_consent) == ("Frau S.", True)
    assert proposal.topic.slug == "lokale-mobilitaet"
    assert proposal.district.slug == "bad-belzig"
    assert proposal.place_description == "Haltestelle Bahnhof"

    # The keyboard focus is visible on the fields (WCAG 2.4.7).
    page.locator("#id_title").focus()
    outline = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"""
    )
    assert outline[0] != "none" or outline[2] != "none", outline
    _shot(page, "9-offline-keyboard-done")


def _post_with_csrf(context: BrowserContext, page: Page, path: str, form: dict[str, str]) -> int:
    """POST ``form`` as the logged-in person with a valid CSRF token; returns the status."""
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = context.request.post(
        path,
        form={"csrfmiddlewaretoken": token, **form},
        headers={"Referer": page.url},
        max_redirects=0,
    )
    return response.status


def test_staff_forms_refused_to_others(
    demo: None, make_context: Callable[..., tuple[BrowserContext, Any]], login_as
) -> None:
    from mitmachen.proposals.models import Proposal

    before = Proposal.objects.count()
    proposal = _proposal(UNANSWERED)
    context, guard = make_context()
    # The refusals are 404s on purpose; Chromium logs every 404 response as an error.
    guard.allow_console_error(r"status of 404 \(Not Found\)")
    login_as(context, RESIDENT)
    page = context.new_page()
    page.goto(LIST_URL)
    expect(page.get_by_role("link", name="Vorschlag einreichen")).to_be_visible()
    expect(page.get_by_role("link", name=OFFLINE_HEADING)).to_have_count(0)
    response = page.goto(OFFLINE_URL)
    assert response is not None and response.status in (403, 404), response and response.status
    expect(page.locator("form.offline-form")).to_have_count(0)
    # Nor does a forged POST (with a valid CSRF token from a form she may use) create anything.
    page.goto(f"/projekte/{PROJECT}/vorschlaege/neu/")
    offline = {
        "channel": "market_stand",
        "submitted_on": _today().isoformat(),
        "offline_place": "Marktstand",
        "title": "Von außen erfasst",
        "text": "Gefälscht.",
    }
    # 404 is the view's refusal (a 403 would be the CSRF check, which this is not about).
    assert _post_with_csrf(context, page, OFFLINE_URL, offline) == 404
    assert Proposal.objects.count() == before

    # The status form: not shown to the author, nor to a moderator of the organisation
    # who does not run the project; a forged POST changes nothing.
    status_url = f"/vorschlaege/{proposal.pk}/status/"
    answer = {"status": "accepted", "response": "Gefälscht."}
    for email in (RESIDENT, MODERATOR):
        login_as(context, email)
        page.goto(proposal.get_absolute_url())
        expect(page.get_by_role("heading", level=1)).to_have_text(UNANSWERED)
        expect(page.get_by_text("Status und Rückmeldung (Verwaltung)")).to_have_count(0)
        expect(page.locator(f"form[action$='{status_url}']")).to_have_count(0)
        assert _post_with_csrf(context, page, status_url, answer) == 404, email
    assert not proposal.status_changes.exists()
    proposal.refresh_from_db()
    assert proposal.status == "submitted" and not proposal.official_response

    # Anonymous visitors are sent to the login.
    anonymous, _guard = make_context()
    page = anonymous.new_page()
    page.goto(OFFLINE_URL)
    expect(page).to_have_url(re.compile(r"/konto/login/\?next="))
