"""The Mitmachmobil tour and the project offices: axe 0 violations and no sideways
scrolling at 1280 and 320 px (tour page anonymous and as staff, municipality and Ortsteil
page with an office, the footer on them), the map's markers by keyboard, the timetable
without JavaScript, valid HTML (factories, no demo)."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from playwright.sync_api import Page, expect
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots")


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(SHOTS / f"events-tours-{name}-{width}px.png"), full_page=True)


def _region() -> tuple[Any, Any, Any, Any]:
    """(a published tour with 8 stops – one cancelled, one a draft –, its organiser, an
    office in its first Ortsteil, that Ortsteil)."""
    from django.utils import timezone

    from mitmachen.events.models import Closure, Event, Kind, Office, OpeningHours, Status, Tour
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import (
        DistrictFactory,
        MembershipFactory,
        square,
    )

    organiser = MembershipFactory(role=Role.PROJECT_MANAGER).user
    organisation = organiser.memberships.get().organisation
    districts = [
        DistrictFactory(
            organisation=organisation,
            name=f"Dorf {i + 1}",
            slug=f"dorf-{i + 1}",
            geometry=square(12.0 + 0.01 * i, 52.0),
        )
        for i in range(4)
    ]
    tour = Tour.objects.create(
        organisation=organisation,
        title="Mitmachmobil-Sommertour",
        description="Das Mitmachmobil fährt durch die Dörfer.",
        is_published=True,
    )
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    for i in range(8):
        starts = start + timedelta(days=1 + i // 2, hours=4 * (i % 2))
        Event.objects.create(
            organisation=organisation,
            district=districts[i % 4],
            tour=tour,
            kind=Kind.VAN_STOP,
            title=f"Mitmachmobil in Dorf {i % 4 + 1}",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place_name=f"Dorfplatz {i + 1} mit einem recht langen Namen am Anger",
            lat=52.005,
            lon=12.005 + 0.01 * (i % 4),
            is_published=i != 6,
            status=Status.CANCELLED if i == 3 else Status.PLANNED,
            status_note="Die Straße ist gesperrt." if i == 3 else "",
        )
    office = Office.objects.create(
        organisation=organisation,
        district=districts[0],
        name="Projektbüro Dorf 1",
        address="Magdeburger Straße 5, 14806 Bad Belzig",
        lat=52.005,
        lon=12.005,
        contact_name="Frau Beispiel",
        phone="033841 000-00",
        email="projektbuero@example.org",
        note="Stufenloser Eingang über den Hof.",
        is_published=True,
    )
    for day in (1, 3):
        OpeningHours.objects.create(office=office, weekday=day, opens=time(10), closes=time(13))
        OpeningHours.objects.create(office=office, weekday=day, opens=time(14), closes=time(18))
    today = timezone.localdate()
    Closure.objects.create(
        office=office,
        starts_on=today + timedelta(days=20),
        ends_on=today + timedelta(days=27),
        reason="Betriebsferien",
    )
    return tour, organiser, office, districts[0]


def test_tour_and_office_pages_are_accessible(make_context: Any, login_as: Any) -> None:
    tour, organiser, office, district = _region()
    for viewport in (DESKTOP, MOBILE):
        context, _guard = make_context(viewport=viewport, bypass_csp=True)
        page = context.new_page()
        report = AxeReport(page)
        report.visit("tour page", tour.get_absolute_url())
        expect(page.get_by_role("table")).to_contain_text("Die Straße ist gesperrt.")
        expect(page.get_by_role("table")).not_to_contain_text("Dorfplatz 7")
        # The map shows the seven visible stops as keyboard-focusable markers.
        markers = page.locator(".leaflet-marker-icon")
        expect(markers).to_have_count(7)
        markers.first.focus()
        page.keyboard.press("Enter")
        popup = page.locator(".leaflet-popup")
        expect(popup.locator(".leaflet-popup-content a")).to_be_visible()
        expect(popup.get_by_role("button", name="Schließen")).to_be_visible()
        expect(popup).to_have_css("opacity", "1")  # faded in: axe measures the real colours
        report.check("tour page with an open marker")
        _shot(page, "tour")
        report.visit("municipality page with an office", office.organisation.get_absolute_url())
        expect(page.locator(f"#projektbuero-{office.pk}")).to_contain_text("Öffnungszeiten")
        expect(page.locator("footer")).to_contain_text("Projektbüro Dorf 1")
        _shot(page, "municipality")
        report.visit("Ortsteil page with an office", district.get_absolute_url())
        expect(page.locator(f"#projektbuero-{office.pk}")).to_contain_text("Betriebsferien")
        report.assert_clean()
    context, _guard = make_context(viewport=MOBILE, bypass_csp=True)
    login_as(context, organiser.email)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("tour page, staff", tour.get_absolute_url())
    expect(page.get_by_role("table")).to_contain_text("Dorfplatz 7")
    expect(page.get_by_role("link", name="Halt hinzufügen")).to_be_visible()
    report.assert_clean()


def test_the_timetable_without_javascript(make_context: Any) -> None:
    tour, _organiser, office, _district = _region()
    context, _guard = make_context(viewport=MOBILE, java_script_enabled=False)
    page = context.new_page()
    page.goto(tour.get_absolute_url())
    expect(page.locator("[data-tour-map]")).to_be_hidden()
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(7)
    page.get_by_role(
        "link", name="Dorfplatz 1 mit einem recht langen Namen am Anger", exact=True
    ).click()
    expect(page.get_by_role("link", name="Mitmachmobil-Sommertour")).to_be_visible()
    page.get_by_role("contentinfo").get_by_role("link", name="Projektbüro Dorf 1").click()
    expect(page.locator(f"#projektbuero-{office.pk}")).to_be_visible()


@pytest.mark.django_db(transaction=False)
def test_the_tour_and_office_pages_are_valid_html(tmp_path: Path) -> None:
    from django.test import Client
    from test_html_validity import Pages, run_vnu

    tour, organiser, office, district = _region()
    pages = Pages(tmp_path)
    anonymous = Client()
    pages.get(anonymous, "tour page", tour.get_absolute_url())
    pages.get(anonymous, "municipality page with an office", office.organisation.get_absolute_url())
    pages.get(anonymous, "Ortsteil page with an office", district.get_absolute_url())
    staff = Client()
    staff.force_login(organiser)
    pages.get(staff, "tour page, staff", tour.get_absolute_url())
    errors = run_vnu(pages.files())
    lines = [
        f"{pages.labels.get(Path(m.get('url', '?')).name, '?')}: line {m.get('lastLine')}: "
        f"{m.get('message')} – {m.get('extract', '')!r}"
        for m in errors
    ]
    assert not lines, "\n".join(lines)
