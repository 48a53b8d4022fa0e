"""Measures in the browser, second part: staff attach images and documents to an update
(a bad file first, by keyboard), the timeline shows them, staff delete the update; the
timeline chart of a measure and the compact Gantt view of the overview. axe at 1280 and
320 px on every page; the update form and the Gantt table without JavaScript.

Built with factories (no demo region): quicker, and the dates are the test's own.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from playwright.sync_api import Page, expect
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots")


def _catalogue() -> dict[str, Any]:
    """A municipality with a manager and a measure with dates, milestones and an update."""
    from django.utils import timezone

    from mitmachen.measures import services
    from mitmachen.measures.tests.factories import (
        FieldOfActionFactory,
        GoalFactory,
        MeasureFactory,
        MilestoneFactory,
    )
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory

    for kind in ("planned", "in_progress", "done"):  # a transactional test may have flushed
        services.default_status(kind)
    today = timezone.localdate()
    organisation = OrganisationFactory(slug="musterstadt", name="Musterstadt")
    manager = MembershipFactory(organisation=organisation, role=Role.PROJECT_MANAGER).user
    field = FieldOfActionFactory(organisation=organisation, title="Vitale Innenstadt")
    goal = GoalFactory(field=field, title="Marktplatz beleben")
    market = MeasureFactory(
        goal=goal,
        title="Marktplatz-Programm: Schatten, Bänke, Trinkbrunnen",
        planned_start=today - timedelta(days=300),
        planned_end=today + timedelta(days=200),
        actual_start=today - timedelta(days=250),
    )
    MilestoneFactory(measure=market, title="Planung", due=today - timedelta(days=100), done=True)
    MilestoneFactory(measure=market, title="Bau", due=today + timedelta(days=120))
    MeasureFactory(
        goal=goal,
        title="Rufbus für die Dörfer",
        planned_start=today - timedelta(days=30),
        planned_end=today + timedelta(days=700),
    )
    MeasureFactory(goal=GoalFactory(field=field, title="Wohnen"), title="Wohnbedarfsstudie")
    services.update_post(
        user=manager, measure=market, text="Die Planung ist fertig.", notify_followers=False
    )
    return {"organisation": organisation, "manager": manager, "market": market}


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x8825] = {2: (52.0, 8.0, 30.0), 4: (12.0, 35.0, 0.0)}  # GPS
    Image.new("RGB", (320, 200), "#336699").save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _check_both(page: Page, report: AxeReport, label: str) -> None:
    for viewport in (DESKTOP, MOBILE):
        page.set_viewport_size(viewport)
        report.check(f"{label}, {viewport['width']}px")
    page.set_viewport_size(DESKTOP)


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_staff_attach_files_by_keyboard_and_delete_the_update(
    transactional_db: None, make_context: Any, login_as: Any
) -> None:
    from mitmachen.measures.models import MeasureUpdate, MeasureUpdateImage

    data = _catalogue()
    market = data["market"]
    context, _guard = make_context(viewport=DESKTOP, bypass_csp=True)
    login_as(context, data["manager"].email)
    page = context.new_page()
    report = AxeReport(page)
    page.goto(market.get_absolute_url())
    _check_both(page, report, "measure page, staff, with the update form")

    # By keyboard: the text, then a photo without its description and a file that only
    # calls itself a PDF. Files are chosen with the file chooser (set_input_files).
    page.get_by_label("Was gibt es Neues?").focus()
    page.keyboard.type("Die ersten Bänke stehen.")
    page.locator("input[name=image_1]").set_input_files(
        files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    page.locator("input[name=document_1]").set_input_files(
        files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": b"MZ kein PDF"}]
    )
    page.get_by_role("button", name="Veröffentlichen").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile("^Fehler:"))
    errors = page.locator(".kern-error")  # at the fields; the summary links to them
    expect(
        errors.get_by_text("Bitte beschreiben Sie, was auf Bild 1 zu sehen ist.")
    ).to_be_visible()
    expect(errors.get_by_text("kein Dokument im Format PDF, ODT oder DOCX")).to_be_visible()
    expect(page.get_by_role("link", name="Was ist auf Bild 1 zu sehen")).to_be_visible()
    assert MeasureUpdate.objects.count() == 1  # nothing stored
    _check_both(page, report, "update form with a missing alt text and a bad document")
    _shot(page, "measure-update-files-error-1280px")

    # The files are chosen again (a browser forgets them), the description typed.
    page.locator("input[name=image_1]").set_input_files(
        files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    page.get_by_label("Was ist auf Bild 1 zu sehen?").focus()
    page.keyboard.type("Zwei neue Holzbänke unter der Linde")
    page.locator("input[name=document_1]").set_input_files(
        files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": _pdf()}]
    )
    page.get_by_label("Titel von Dokument 1").fill("Lageplan der Bänke")
    page.get_by_role("button", name="Veröffentlichen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Die Neuigkeit ist veröffentlicht.")).to_be_visible()
    timeline = page.locator(".measure-timeline")
    expect(timeline.get_by_role("img", name="Zwei neue Holzbänke unter der Linde")).to_be_visible()
    expect(timeline.get_by_role("link", name="Lageplan der Bänke")).to_be_visible()
    _check_both(page, report, "measure page, staff, update with image and document")
    _shot(page, "measure-update-files-1280px")
    image = MeasureUpdateImage.objects.get()
    assert "IMG_0001" not in image.image.name

    # Anonymous visitors see the same timeline and the chart.
    visitor = make_context(viewport=DESKTOP, bypass_csp=True)[0].new_page()
    anonymous = AxeReport(visitor)
    visitor.goto(market.get_absolute_url())
    expect(visitor.get_by_role("img", name="Zeitplan der Maßnahme")).to_be_visible()
    expect(visitor.get_by_role("link", name="Lageplan der Bänke")).to_be_visible()
    expect(visitor.get_by_text("löschen")).to_have_count(0)
    _check_both(visitor, anonymous, "measure page with chart, image and document")
    visitor.set_viewport_size(MOBILE)
    _shot(visitor, "measure-page-320px")

    # Deleting by keyboard: the link of the newest update, the confirmation, Enter.
    page.get_by_role("link", name="löschen").first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Neuigkeit löschen?")
    expect(page.get_by_text("Ihr 1 Bild wird gelöscht.")).to_be_visible()
    _check_both(page, report, "confirm deleting an update")
    page.get_by_role("button", name="Endgültig löschen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Die Neuigkeit ist gelöscht")).to_be_visible()
    expect(page.locator(".measure-timeline").get_by_role("img")).to_have_count(0)
    assert MeasureUpdate.objects.count() == 1 and not MeasureUpdateImage.objects.exists()
    report.assert_clean()
    anonymous.assert_clean()


def test_overview_gantt_view_and_measure_chart_accessible(
    transactional_db: None, make_context: Any
) -> None:
    _catalogue()
    context, _guard = make_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    report = AxeReport(page)
    page.goto("/kommunen/musterstadt/umsetzung/")
    gantt = page.locator(".measure-gantt")
    expect(gantt.locator("svg.measure-chart__svg[aria-hidden=true]")).to_have_count(
        2
    )  # wide and narrow
    # The table opens by keyboard (details/summary, no script).
    page.get_by_text("Zeitplan als Tabelle").focus()
    page.keyboard.press("Enter")
    table = gantt.get_by_role("table")
    expect(table).to_be_visible()
    expect(table.get_by_role("rowheader")).to_have_count(3)
    expect(table.get_by_text("läuft noch")).to_be_visible()
    expect(table.get_by_text("noch nicht begonnen")).to_have_count(2)
    _check_both(page, report, "overview with the Gantt view, table open")
    _shot(page, "measures-overview-gantt-1280px")
    page.set_viewport_size(MOBILE)
    _shot(page, "measures-overview-gantt-320px")
    report.assert_clean()


def test_update_with_files_and_gantt_table_without_javascript(
    transactional_db: None, make_context: Any, login_as: Any
) -> None:
    from mitmachen.measures.models import MeasureUpdateDocument

    data = _catalogue()
    context, _guard = make_context(java_script_enabled=False)
    login_as(context, data["manager"].email)
    page = context.new_page()
    page.goto(data["market"].get_absolute_url())
    page.get_by_label("Was gibt es Neues?").fill("Das Protokoll der Begehung.")
    page.locator("input[name=document_1]").set_input_files(
        files=[{"name": "protokoll.pdf", "mimeType": "application/pdf", "buffer": _pdf()}]
    )
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.get_by_text("Die Neuigkeit ist veröffentlicht.")).to_be_visible()
    expect(page.get_by_role("link", name="protokoll")).to_be_visible()
    assert MeasureUpdateDocument.objects.get().kind == "pdf"
    page.goto("/kommunen/musterstadt/umsetzung/")
    page.get_by_text("Zeitplan als Tabelle").click()
    expect(page.locator(".measure-gantt").get_by_role("table")).to_be_visible()


def test_new_measure_pages_are_valid_html(transactional_db: None, tmp_path: Path) -> None:
    """The Nu Html Checker on the pages this part adds or changes: the measure page with
    its chart and an update with a photo and a document (anonymous and staff), the form
    with bad files, the confirmation before deleting, the overview with Gantt views."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from test_html_validity import Pages, run_vnu

    from mitmachen.measures import services
    from mitmachen.measures.media import DocumentUpload, ImageUpload

    data = _catalogue()
    market = data["market"]
    update = services.update_post(
        user=data["manager"],
        measure=market,
        text="Fotos und Plan.",
        images=[ImageUpload(SimpleUploadedFile("a.jpg", _jpeg()), alt_text="Neue Bänke")],
        documents=[DocumentUpload(SimpleUploadedFile("plan.pdf", _pdf()), title="Plan")],
        notify_followers=False,
    )
    pages = Pages(tmp_path)
    client = Client()
    pages.get(client, "overview with Gantt views", "/kommunen/musterstadt/umsetzung/")
    pages.get(client, "measure with chart, photo, document", market.get_absolute_url())
    client.force_login(data["manager"])
    pages.get(client, "measure, staff", market.get_absolute_url())
    pages.post(
        client,
        "update with a bad document",
        f"/massnahmen/{market.pk}/neuigkeit/",
        {"text": "x", "document_1": SimpleUploadedFile("x.pdf", b"MZ")},
    )
    pages.get(
        client, "confirm deleting an update", f"/massnahmen/neuigkeiten/{update.pk}/loeschen/"
    )
    errors = run_vnu(pages.files())
    assert not errors, "\n".join(
        f"{pages.labels.get(Path(e['url']).name, e['url'])}: {e['message']}" for e in errors
    )
