"""Events: staff record a meeting after it took place ("Vergangene Veranstaltung
nachtragen") – from the Rückblick, the error state with the focus on its summary, typed by
keyboard, then in the Rückblick with its documentation; axe 0 violations at 1280 and
320 px, without JavaScript, valid HTML (factories, no demo)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE, type_into
from playwright.sync_api import Page, expect
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots")
FORM = "/veranstaltungen/nachtragen/"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(SHOTS / f"events-past-{name}-{width}px.png"), full_page=True)


def _organiser() -> Any:
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import MembershipFactory

    return MembershipFactory(role=Role.PROJECT_MANAGER).user


def _last_week() -> str:
    from django.utils import timezone

    return (timezone.localdate() - timedelta(days=7)).isoformat()


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_staff_record_a_past_meeting_and_it_is_in_the_review(
    make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    organiser = _organiser()
    context, guard = make_context(viewport=viewport, bypass_csp=True)
    guard.allow_console_error(r"status of 400")  # the form sent back with its errors
    login_as(context, organiser.email)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("Rückblick, staff", "/veranstaltungen/?ansicht=rueckblick")
    page.get_by_role("link", name="Vergangene Veranstaltung nachtragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vergangene Veranstaltung nachtragen")
    report.check("form to record a past meeting")
    _shot(page, "form")
    page.get_by_role("button", name="Veranstaltung nachtragen").click()
    assert page.title().startswith("Fehler:")
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.locator("#id_summary-error")).to_contain_text("was bei der Veranstaltung")
    report.check("form with errors")
    _shot(page, "errors")
    # A date ahead: refused by the service, the message at the start time.
    type_into(page, "#id_title", "Werkstatttreffen im November")
    page.locator("#id_day").fill("2099-11-10")
    page.locator("#id_start_time").fill("18:00")
    page.locator("#id_end_time").fill("20:00")
    type_into(page, "#id_place_name", "Rathaus, Ratssaal")
    type_into(page, "#id_summary", "## Ergebnisse\n\nFünf Straßen für mehr Schatten.")
    type_into(page, "#id_participants", "17")
    page.keyboard.press("Enter")
    expect(page.locator("#id_start_time-error")).to_contain_text("schon stattgefunden hat")
    expect(page.locator("#form-errors")).to_be_focused()
    report.check("form with a date ahead")
    page.locator("#id_day").fill(_last_week())
    page.get_by_role("button", name="Veranstaltung nachtragen").click()
    expect(page.get_by_text("Die Veranstaltung ist nachgetragen")).to_be_visible()
    report.check("documentation form of the recorded meeting")
    report.visit("Rückblick with the recorded meeting", "/veranstaltungen/?ansicht=rueckblick")
    expect(page.get_by_text("17 Personen dabei")).to_be_visible()
    page.get_by_role("link", name="Werkstatttreffen im November", exact=True).click()
    expect(page.get_by_text("17 Personen waren dabei.")).to_be_visible()
    expect(page.get_by_role("button", name="Verbindlich anmelden")).to_have_count(0)
    report.check("the recorded meeting's page")
    _shot(page, "event")
    report.assert_clean()


def test_recording_a_past_meeting_without_javascript(make_context: Any, login_as: Any) -> None:
    organiser = _organiser()
    context, guard = make_context(viewport=MOBILE, java_script_enabled=False)
    guard.allow_console_error(r"status of 400")  # the form sent back with its errors
    login_as(context, organiser.email)
    page = context.new_page()
    page.goto(FORM)
    page.locator("#id_title").fill("Marktstand im Oktober")
    page.locator("#id_kind").select_option("marktstand")
    page.locator("#id_day").fill(_last_week())
    page.locator("#id_start_time").fill("09:00")
    page.locator("#id_end_time").fill("08:00")
    page.locator("#id_place_name").fill("Wochenmarkt")
    page.locator("#id_summary").fill("Ohne JavaScript nachgetragen.")
    page.get_by_role("button", name="Veranstaltung nachtragen").click()
    expect(page.locator("#id_end_time-error")).to_contain_text("Das Ende muss nach dem Beginn")
    page.locator("#id_end_time").fill("13:00")
    page.get_by_role("button", name="Veranstaltung nachtragen").click()
    expect(page.get_by_text("Die Veranstaltung ist nachgetragen")).to_be_visible()
    page.goto("/veranstaltungen/?ansicht=rueckblick")
    expect(page.get_by_role("link", name="Marktstand im Oktober", exact=True)).to_be_visible()


@pytest.mark.django_db(transaction=False)
def test_the_form_is_valid_html(tmp_path: Path) -> None:
    """The form empty and with its errors, through the Nu Html Checker."""
    from django.test import Client
    from test_html_validity import Pages, run_vnu

    organiser = _organiser()
    pages = Pages(tmp_path)
    staff = Client()
    staff.force_login(organiser)
    pages.get(staff, "record a past meeting, empty", FORM)
    pages.post(staff, "record a past meeting, errors", FORM, {"title": "", "day": "2099-01-01"})
    errors = run_vnu(pages.files())
    lines = [
        f"{pages.labels.get(Path(m.get('url', '?')).name, '?')}: line {m.get('lastLine')}: "
        f"{m.get('message')} – {m.get('extract', '')!r}"
        for m in errors
    ]
    assert not lines, "\n".join(lines)
