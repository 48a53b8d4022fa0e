"""Events in the browser: the calendar, an event page and registering, with axe at
1280 and 320 px; the waitlist moving up as the next person sees it; registering without
JavaScript.

The demo region is seeded for each test with the events' demo content
(``mitmachen/events/demo.py``): the next Werkstatttreffen of the Klimawerkstatt is full
(3 places: bewohnerin, projekt, moderation) with two supporters waiting; the city walk
has 25 places.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from playwright.sync_api import Page, expect
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

RESIDENT = "bewohnerin@example.org"
ADMIN = "admin@example.org"
SHOTS = Path("/tmp/shots")


def _events() -> tuple[Any, Any]:
    """(the full Werkstatttreffen, the city walk) of the demo."""
    from mitmachen.events.demo import WORKSHOP_TITLE
    from mitmachen.events.models import Event, Kind

    # The next one: the demo also has two past Werkstatttreffen of that title (recorded
    # afterwards with their documentation), which are not the full one with a waitlist.
    full = Event.objects.filter(title=WORKSHOP_TITLE).upcoming().order_by("starts_at").first()
    assert full is not None and full.capacity == 3, full
    walk = Event.objects.get(kind=Kind.CITY_WALK)
    return full, walk


def _office() -> Any:
    from mitmachen.events.models import Office

    return Office.objects.filter(name__startswith="Projektbüro Bad Belzig").get()


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(SHOTS / f"events-{name}-{width}px.png"), full_page=True)


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_event_pages_accessible_and_registering(
    demo: None, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    full, walk = _events()
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("calendar", "/veranstaltungen/")
    _shot(page, "calendar")
    report.visit("calendar by Ortsteil", f"/veranstaltungen/?ortsteil={walk.district_id}")
    expect(page.get_by_role("link", name="Stadtrundgang: Die Innenstadt 2035")).to_be_visible()
    month = full.starts_at.strftime("%Y-%m")
    report.visit("month view", f"/veranstaltungen/?ansicht=monat&monat={month}")
    _shot(page, "month")
    report.visit("month view, bad month", "/veranstaltungen/?ansicht=monat&monat=quatsch")
    report.visit("event, anonymous", walk.get_absolute_url())
    # The city walk's route: its stops as a list and the map drawn as SVG.
    expect(page.get_by_role("heading", name="Route des Rundgangs")).to_be_visible()
    expect(
        page.get_by_role("img", name="Karte der Route: Stadtrundgang: Die Innenstadt 2035")
    ).to_be_visible()
    _shot(page, "route")
    report.visit("Ortsteil page with its events", "/kommunen/bad-belzig/ortsteile/bad-belzig/")
    report.visit("calendar map", "/veranstaltungen/?ansicht=karte")
    expect(page.get_by_role("img", name="Karte der nächsten Termine")).to_be_visible()
    _shot(page, "map")
    office = _office()
    report.visit("project office", office.get_absolute_url())
    expect(page.get_by_role("heading", level=1, name=office.name)).to_be_visible()
    _shot(page, "office")
    report.assert_clean()

    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(context, RESIDENT)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("event, signed in", walk.get_absolute_url())
    page.get_by_role("button", name="Verbindlich anmelden").click()
    expect(page.get_by_text("Sie sind angemeldet.", exact=True)).to_be_visible()
    report.check("event after registering")
    _shot(page, "registered")
    page.get_by_role("button", name="Anmeldung stornieren").click()
    expect(page.get_by_text("Ihre Anmeldung ist storniert.")).to_be_visible()
    report.check("event after cancelling")
    report.assert_clean()

    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(context, ADMIN)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("full event, staff", full.get_absolute_url())
    report.visit("attendee list", f"/veranstaltungen/{full.pk}/teilnehmende/")
    _shot(page, "attendees")
    report.assert_clean()


def test_the_next_person_on_the_waitlist_sees_the_place(
    demo: None, make_context: Any, login_as: Any
) -> None:
    from django.contrib.auth import get_user_model

    full, _walk = _events()
    waiting = (
        get_user_model()
        .objects.filter(event_registrations__event=full, event_registrations__status="warteliste")
        .order_by("event_registrations__created_at")
        .first()
    )
    context, _guard = make_context(viewport=MOBILE)
    login_as(context, waiting.email)
    next_person = context.new_page()
    next_person.goto(full.get_absolute_url())
    expect(next_person.get_by_text("Sie stehen auf der Warteliste, auf Platz 1.")).to_be_visible()

    context, _guard = make_context(viewport=MOBILE)
    login_as(context, RESIDENT)
    leaving = context.new_page()
    leaving.goto(full.get_absolute_url())
    leaving.get_by_role("button", name="Anmeldung stornieren").click()
    expect(leaving.get_by_text("Ihre Anmeldung ist storniert.")).to_be_visible()

    next_person.reload()
    expect(next_person.get_by_text("Sie sind angemeldet.", exact=True)).to_be_visible()
    next_person.goto("/benachrichtigungen/")
    expect(next_person.get_by_text("Sie haben einen Platz", exact=False).first).to_be_visible()


def test_registering_without_javascript(demo: None, make_context: Any, login_as: Any) -> None:
    _full, walk = _events()
    context, _guard = make_context(viewport=DESKTOP, java_script_enabled=False)
    login_as(context, RESIDENT)
    page = context.new_page()
    page.goto(walk.get_absolute_url())
    page.get_by_role("button", name="Verbindlich anmelden").click()
    expect(page.get_by_text("Sie sind angemeldet.", exact=True)).to_be_visible()
    page.get_by_role("button", name="Anmeldung stornieren").click()
    expect(page.get_by_text("Ihre Anmeldung ist storniert.")).to_be_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_a_guest_registers_confirms_by_mail_and_cancels(
    demo: None, make_context: Any, mailoutbox: Any, viewport: dict[str, int]
) -> None:
    import re

    _full, walk = _events()
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("event with the guest form", walk.get_absolute_url())
    page.get_by_label("Ihr Name").fill("Gerda Gast")
    page.get_by_label("Ihre E-Mail-Adresse").fill("keine-adresse")
    page.get_by_role("button", name="Als Gast anmelden").click()
    expect(
        page.get_by_text("Bitte geben Sie eine gültige E-Mail-Adresse an.").first
    ).to_be_visible()
    assert page.title().startswith("Fehler:")
    report.check("guest form with a bad address")
    _shot(page, "guest-error")
    page.get_by_label("Ihre E-Mail-Adresse").fill("gerda@example.org")
    page.get_by_role("button", name="Als Gast anmelden").click()
    expect(page.get_by_text("Fast geschafft")).to_be_visible()
    (message,) = [m for m in mailoutbox if m.to == ["gerda@example.org"]]
    found = re.search(r"https?://[^/\s]+(/veranstaltungen/anmeldung/[^/\s]+/)", message.body)
    assert found is not None, message.body
    report.visit("guest's personal page", found[1])
    page.get_by_role("button", name="Anmeldung bestätigen").click()
    expect(page.get_by_text("Sie sind angemeldet. Wir freuen uns auf Sie!")).to_be_visible()
    report.check("guest's page, confirmed")
    _shot(page, "guest-confirmed")
    page.get_by_role("button", name="Anmeldung stornieren").click()
    expect(page.get_by_text("Ihre Anmeldung ist storniert.")).to_be_visible()
    report.assert_clean()


def test_staff_check_in_at_the_door_on_a_phone(make_context: Any, login_as: Any) -> None:
    """A 375 px phone: search, tick a person present (htmx swaps the row and the count
    in place, focus stays on the button); axe at 375, 1280 and 320 px."""
    from mitmachen.accounts.tests.factories import UserFactory
    from mitmachen.events.services import registration_register
    from mitmachen.events.tests.factories import EventFactory
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import MembershipFactory

    door = MembershipFactory(role=Role.MODERATOR).user
    event = EventFactory(
        organisation=door.memberships.get().organisation,
        title="Werkstatttreffen am Markt",
        registration_enabled=True,
        capacity=3,
    )
    people = [
        registration_register(user=UserFactory(display_name=name), event=event)
        for name in ("Anna Apfel", "Bernd Birne", "Carla Kirsche", "Zoe Zitrone")
    ]
    context, _guard = make_context(viewport={"width": 375, "height": 740}, bypass_csp=True)
    login_as(context, door.email)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("check-in at 375 px", f"/veranstaltungen/{event.pk}/einlass/")
    expect(page.get_by_text("Zoe Zitrone")).to_have_count(0)  # on the waitlist
    page.get_by_label("Name suchen").fill("bernd")
    page.get_by_role("button", name="Suchen").click()
    expect(page.locator(".check-in-person")).to_have_count(1)
    bernd = page.locator(f"#knopf-{people[1].pk}")
    bernd.click()
    expect(page.locator(f"#person-{people[1].pk}")).to_contain_text("anwesend seit")
    expect(page.locator("#einlass-zahl")).to_have_text("1 von 3 Personen mit Platz anwesend")
    expect(page.get_by_role("button", name="Zurücknehmen")).to_be_focused()
    _shot(page, "check-in")
    report.check("check-in after ticking, 375 px")
    for viewport in (DESKTOP, MOBILE):
        page.set_viewport_size(viewport)
        report.check(f"check-in at {viewport['width']} px")
    report.assert_clean()
