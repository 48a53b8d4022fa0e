"""Events, continued: the documentation after the event ("Was dabei herauskam") as staff
write it and residents read it, and the calendar's "Rückblick" – axe 0 violations and no
sideways scrolling at 1280 and 320 px, the form by keyboard (factories, no demo)."""

from __future__ import annotations

import io
from datetime import timedelta
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
    page.screenshot(path=str(SHOTS / f"events-more-{name}-{width}px.png"), full_page=True)


def _past_event() -> tuple[Any, Any, Any]:
    """(a workshop that ended yesterday, its organiser, a resident registered for it)."""
    from django.utils import timezone

    from mitmachen.accounts.tests.factories import UserFactory
    from mitmachen.events.models import Registration
    from mitmachen.events.tests.factories import EventFactory
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import MembershipFactory

    organiser = MembershipFactory(role=Role.PROJECT_MANAGER).user
    start = timezone.now() - timedelta(days=1, hours=3)
    event = EventFactory(
        organisation=organiser.memberships.get().organisation,
        title="Werkstatttreffen am Markt",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        registration_enabled=True,
    )
    resident = UserFactory(display_name="Renate")
    Registration.objects.create(
        event=event, user=resident, status="angemeldet", queued_at=start - timedelta(days=3)
    )
    return event, organiser, resident


def _photo(tmp_path: Path) -> Path:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), (40, 120, 80)).save(buffer, format="JPEG")
    path = tmp_path / "stellwaende.jpg"
    path.write_bytes(buffer.getvalue())
    return path


def test_staff_document_an_event_by_keyboard_and_residents_read_it(
    make_context: Any, login_as: Any, tmp_path: Path
) -> None:
    event, organiser, resident = _past_event()
    context, guard = make_context(viewport=DESKTOP, bypass_csp=True)
    guard.allow_console_error(r"status of 400")  # the form sent back with its errors
    login_as(context, organiser.email)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("event page, staff, before documenting", event.get_absolute_url())
    page.get_by_role("link", name="Dokumentation schreiben").click()
    expect(page.locator("h1")).to_contain_text("Was dabei herauskam")
    report.check("documentation form")
    # An empty form and a photo without its description: the error state.
    page.locator("#id_image").set_input_files(str(_photo(tmp_path)))
    page.get_by_role("button", name="Dokumentation veröffentlichen").click()
    assert page.title().startswith("Fehler:")
    expect(page.locator("#id_summary-error")).to_contain_text("was bei der Veranstaltung")
    expect(page.locator("#id_alt_text-error")).to_contain_text("Bitte beschreiben Sie")
    report.check("documentation form with errors")
    for viewport in (DESKTOP, MOBILE):
        page.set_viewport_size(viewport)
        report.check(f"documentation form with errors at {viewport['width']} px")
    page.set_viewport_size(DESKTOP)
    # By keyboard: type the summary, the photo's description, and send with Enter.
    page.locator("#id_summary").focus()
    page.keyboard.type("## Ergebnisse\n\nMehr Bänke am Markt, ein Trinkbrunnen.")
    page.locator("#id_image").set_input_files(str(_photo(tmp_path)))
    page.locator("#id_alt_text").focus()
    page.keyboard.type("Zwölf Menschen an Stellwänden im Rathaussaal")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Dokumentation veröffentlichen")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Die Dokumentation ist gespeichert.")).to_be_visible()
    report.check("documentation form after saving")
    _shot(page, "form")
    report.assert_clean()

    for viewport in (DESKTOP, MOBILE):
        context, _guard = make_context(viewport=viewport, bypass_csp=True)
        login_as(context, resident.email)
        page = context.new_page()
        report = AxeReport(page)
        report.visit("notifications", "/benachrichtigungen/")
        # Unread: a button that marks it read and opens it; read: a link.
        page.get_by_text("Was herauskam: Werkstatttreffen am Markt", exact=True).click()
        expect(page.get_by_role("heading", name="Was dabei herauskam")).to_be_visible()
        photo = page.get_by_role("img", name="Zwölf Menschen an Stellwänden im Rathaussaal")
        expect(photo).to_be_visible()
        report.check("event page with its documentation")
        _shot(page, "event")
        report.visit("Rückblick", "/veranstaltungen/?ansicht=rueckblick")
        expect(page.get_by_role("link", name="Werkstatttreffen am Markt").first).to_be_visible()
        expect(page.get_by_text("1 Foto")).to_be_visible()
        _shot(page, "review")
        report.assert_clean()


def test_the_review_and_the_form_without_javascript(make_context: Any, login_as: Any) -> None:
    event, organiser, _resident = _past_event()
    context, _guard = make_context(viewport=MOBILE, java_script_enabled=False)
    login_as(context, organiser.email)
    page = context.new_page()
    page.goto(f"/veranstaltungen/{event.pk}/dokumentation/")
    page.locator("#id_summary").fill("Ohne JavaScript aufgeschrieben.")
    page.get_by_role("button", name="Dokumentation veröffentlichen").click()
    expect(page.get_by_text("Die Dokumentation ist gespeichert.")).to_be_visible()
    page.goto("/veranstaltungen/?ansicht=rueckblick")
    page.locator(f'a[href="/veranstaltungen/{event.pk}/#dokumentation"]').click()
    expect(page.get_by_text("Ohne JavaScript aufgeschrieben.")).to_be_visible()


@pytest.mark.django_db(transaction=False)
def test_the_documentation_pages_are_valid_html(tmp_path: Path, settings: Any) -> None:
    """The form (empty, with errors, with a photo and a protocol), the event page with its
    documentation and the Rückblick, through the Nu Html Checker."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from test_html_validity import Pages, run_vnu

    from mitmachen.events.services import documentation_save
    from mitmachen.proposals.tests.test_media import pdf

    settings.MEDIA_ROOT = tmp_path / "media"
    event, organiser, _resident = _past_event()
    (tmp_path / "pages").mkdir()
    pages = Pages(tmp_path / "pages")
    staff = Client()
    staff.force_login(organiser)
    form = f"/veranstaltungen/{event.pk}/dokumentation/"
    pages.get(staff, "documentation form, empty", form)
    pages.post(staff, "documentation form, errors", form, {"summary": "", "alt_text": "x"})
    photo = _photo(tmp_path)
    documentation_save(
        user=organiser,
        event=event,
        summary="## Ergebnisse\n\n- Bänke\n- Bäume",
        protocol=pdf(pages=2),
        image=SimpleUploadedFile(photo.name, photo.read_bytes()),
        alt_text="Stellwände mit Zetteln",
    )
    pages.get(staff, "documentation form, with photo and protocol", form)
    anonymous = Client()
    pages.get(anonymous, "event with documentation", event.get_absolute_url())
    pages.get(anonymous, "Rückblick", "/veranstaltungen/?ansicht=rueckblick")
    errors = run_vnu(pages.files())
    lines = [
        f"{pages.labels.get(Path(m.get('url', '?')).name, '?')}: line {m.get('lastLine')}: "
        f"{m.get('message')} – {m.get('extract', '')!r}"
        for m in errors
    ]
    assert not lines, "\n".join(lines)
