"""The Word import in the browser: staff upload a .docx, see the preview (axe at 1280 and
320 px), confirm, and find the chapters on the draft's page; a macro file is refused
with the error summary in focus. Built with factories (no demo region needed)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from playwright.sync_api import expect
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _word_file() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Leitlinien", 1)
    paragraph = document.add_paragraph("Bad Belzig soll 2035 eine ")
    paragraph.add_run("lebendige").bold = True
    paragraph.add_run(" Kleinstadt im Fläming sein.")
    document.add_heading("Lokale Mobilität", 2)
    document.add_paragraph("Rufbus am Wochenende", style="List Bullet")
    document.add_paragraph("Radweg nach Lübnitz", style="List Bullet")
    document.add_paragraph("Der Bahnhof wird zur Mobilitätsdrehscheibe.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _empty_draft() -> tuple[str, str]:
    """A draft without text and the e-mail of its project's manager."""
    from mitmachen.drafts.models import Draft
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import MembershipFactory
    from mitmachen.projects.tests.factories import ProjectFactory

    project = ProjectFactory(slug="insek")
    staff = MembershipFactory(organisation=project.organisation, role=Role.PROJECT_MANAGER).user
    project.managers.add(staff)
    draft = Draft.objects.create(project=project, title="INSEK 2035+", slug="insek-2035")
    return str(draft.get_absolute_url()), staff.email


def test_a_word_file_is_previewed_accessibly_and_stored_once_confirmed(
    make_context: Any, login_as: Any
) -> None:
    from mitmachen.drafts.models import Paragraph

    url, staff = _empty_draft()
    context, guard = make_context(viewport=DESKTOP, bypass_csp=True)
    guard.allow_console_error(r"status of 400")  # the refused macro file
    login_as(context, staff)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("import form", f"{url}importieren/")

    # A macro-enabled file is refused; the error summary has the focus.
    page.get_by_label("… oder eine Datei").set_input_files(
        {"name": "Entwurf.docm", "mimeType": "application/octet-stream", "buffer": b"PK"}
    )
    page.get_by_role("button", name="Vorschau zeigen").click()
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.locator("#form-errors")).to_contain_text("Makros")
    expect(page).to_have_title(re.compile(r"^Fehler:"))
    report.check("import refused, 1280px")

    page.get_by_label("… oder eine Datei").set_input_files(
        {"name": "Entwurf.docx", "mimeType": DOCX, "buffer": _word_file()}
    )
    page.get_by_role("button", name="Vorschau zeigen").click()
    preview = page.locator(".draft-preview")
    expect(preview).to_contain_text("2 Kapitel mit zusammen 3 Absätzen.")
    expect(preview).to_contain_text("Leitlinien")
    expect(preview).to_contain_text("Lokale Mobilität")
    assert not Paragraph.objects.exists()  # the preview stores nothing
    preview.get_by_text("Den ganzen Text ansehen").click()  # <details>, no JavaScript
    expect(preview.locator("strong", has_text="lebendige")).to_be_visible()
    expect(preview.locator("details li", has_text="Radweg nach Lübnitz")).to_be_visible()
    report.check("Word preview, 1280px")
    page.set_viewport_size(MOBILE)
    report.check("Word preview, 320px")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("button", name="So speichern").click()
    expect(page.locator(".messages")).to_contain_text("2 Kapitel, 3 Absätze")
    main = page.locator("main")
    expect(main.locator("strong", has_text="lebendige")).to_be_visible()
    expect(main.locator("li", has_text="Radweg nach Lübnitz")).to_be_visible()
    report.assert_clean()
    assert list(Paragraph.objects.order_by("number").values_list("chapter__title", flat=True)) == [
        "Leitlinien",
        "Lokale Mobilität",
        "Lokale Mobilität",
    ]
