"""Staff weigh a comment on a paragraph in the browser (drafts' ``CommentWeighing``): from
the paragraph's comments page to the weighing page, an empty submit (the error summary takes
the focus), a weighing with its reason, shown under the comment – with axe at 1280 and
320 px on every page on the way, and once more with JavaScript switched off.

The demo region brings the Klimaschutzagenda draft (open for responses, comments on
paragraphs 5, 6 and 9) and the INSEK draft, whose comments are weighed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

import pytest
from browser_helpers import DESKTOP, MOBILE
from playwright.sync_api import expect
from test_accessibility import AxeReport
from test_html_validity import Pages, run_vnu

pytestmark = pytest.mark.django_db(transaction=True)

STAFF = "admin@example.org"
INSEK_TABLE = "/projekte/insek-bad-belzig-2035/texte/insek-2035-entwurf/abwaegung/"
AGENDA = "/projekte/klimawerkstatt-flaeming/texte/klimaschutzagenda-entwurf/"
SHOTS = Path("/tmp/shots")


def _comment_on(number: int) -> Any:
    from mitmachen.comments.models import Comment

    return Comment.objects.select_related("paragraph").get(
        paragraph__draft__slug="klimaschutzagenda-entwurf",
        paragraph__number=number,
        parent__isnull=True,
    )


def _weigh(page: Any, report: AxeReport | None, comment: Any, width: str) -> None:
    comments_url = f"/absaetze/{comment.paragraph_id}/kommentare/"
    if report is not None:
        report.visit("a paragraph's comments, as staff", comments_url)
    else:
        page.goto(comments_url)
    page.locator(f"#kommentar-{comment.pk}").get_by_role("link", name="Abwägen").click()
    expect(page.locator("h1")).to_contain_text("Kommentar zu Absatz 5 abwägen")
    if report is not None:
        report.check("the weighing page")
    page.get_by_role("button", name="Abwägung veröffentlichen").click()
    expect(page).to_have_title(_starts_with("Fehler:"))
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Bitte wählen Sie eine Abwägung.")
    expect(summary).to_contain_text("Bitte begründen Sie die Abwägung.")
    if report is not None:
        report.check("the weighing page with errors")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"drafts-comment-weigh-errors-{width}.png"), full_page=True)
    page.get_by_label("teilweise übernommen").check()
    page.get_by_label("Begründung (öffentlich)").fill(
        "An Haltestellen bleibt das Licht an; sonst wird es nachts gedimmt."
    )
    page.get_by_role("button", name="Abwägung veröffentlichen").click()
    note = page.locator(f"#kommentar-{comment.pk} .comment__weighing")
    expect(note).to_contain_text("Abwägung der Verwaltung: teilweise übernommen")
    expect(note).to_contain_text("An Haltestellen bleibt das Licht an")
    if report is not None:
        report.check("the comments page with the weighing")
    page.screenshot(path=str(SHOTS / f"drafts-comment-weighed-{width}.png"), full_page=True)


def _starts_with(text: str) -> Any:
    import re

    return re.compile("^" + re.escape(text))


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_staff_weigh_a_comment_accessible(
    demo: None, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    from mitmachen.drafts.models import CommentWeighing

    comment = _comment_on(5)
    width = f"{viewport['width']}px"
    context, guard = make_context(viewport=viewport, bypass_csp=True)
    guard.allow_console_error(r"status of 400.*/abwaegen/")  # the form sent back with errors
    login_as(context, STAFF)
    page = context.new_page()
    report = AxeReport(page)
    _weigh(page, report, comment, width)
    report.visit("the Abwägungstabelle with comments, as staff", INSEK_TABLE)
    page.screenshot(path=str(SHOTS / f"drafts-weighing-table-{width}.png"), full_page=True)
    report.assert_clean()
    row = CommentWeighing.objects.get(comment=comment)
    assert row.weighing == "partly"
    # Residents see the weighing under the comment, and the table without staff links.
    public, _guard = make_context(viewport=viewport, bypass_csp=True)
    report = AxeReport(public.new_page())
    report.visit(
        "a paragraph's comments with a weighing", f"/absaetze/{comment.paragraph_id}/kommentare/"
    )
    report.visit("the Abwägungstabelle with comments", INSEK_TABLE)
    report.assert_clean()


def test_staff_weigh_a_comment_without_javascript(
    demo: None, make_context: Any, login_as: Any
) -> None:
    from mitmachen.drafts.models import CommentWeighing

    comment = _comment_on(5)
    context, guard = make_context(viewport=MOBILE, java_script_enabled=False)
    guard.allow_console_error(r"status of 400.*/abwaegen/")  # the form sent back with errors
    login_as(context, STAFF)
    page = context.new_page()
    _weigh(page, None, comment, "nojs")
    assert CommentWeighing.objects.get(comment=comment).weighing == "partly"


def test_weighing_pages_are_valid_html(demo: None, tmp_path: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from mitmachen.comments.models import Comment

    pages = Pages(tmp_path)
    anonymous, staff = Client(), Client()
    staff.force_login(get_user_model().objects.get(email=STAFF))
    weighed = Comment.objects.filter(
        paragraph__draft__slug="insek-2035-entwurf", parent__isnull=True
    ).first()
    assert weighed is not None
    comments = f"/absaetze/{weighed.paragraph_id}/kommentare/"
    pages.get(anonymous, "comments with a weighing", comments)
    pages.get(staff, "comments with a weighing, staff", comments)
    pages.get(anonymous, "the thread with a weighing", f"/kommentare/{weighed.pk}/")
    pages.get(anonymous, "table with comments", INSEK_TABLE)
    pages.get(staff, "table with comments, staff", INSEK_TABLE)
    pages.get(staff, "the table's files, none yet", f"{INSEK_TABLE}dateien/")
    comment = _comment_on(5)
    weigh = f"{AGENDA}kommentare/{comment.pk}/abwaegen/"
    pages.get(staff, "weighing page", weigh)
    pages.post(staff, "weighing page with errors", weigh, {"reason": ""})
    errors = run_vnu(pages.files())
    assert not errors, [
        (pages.labels.get(e["url"].rsplit("/", 1)[-1]), e["message"]) for e in errors
    ]


def test_download_the_table_as_pdf_and_read_its_pages(
    demo: None, make_context: Any, login_as: Any, tmp_path: Any
) -> None:
    """From the INSEK table staff make its files (the task runs at once in tests; the
    worker does it in production) and download the PDF through its link: pdftoppm renders
    it page by page (A4 landscape, ink on every page), with the weighed comments and
    suggestions in its text layer."""
    import shutil
    import subprocess

    from PIL import Image
    from pypdf import PdfReader

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is missing: make test installs it")
    context, _guard = make_context(viewport=DESKTOP, bypass_csp=True)
    login_as(context, STAFF)
    page = context.new_page()
    report = AxeReport(page)
    page.goto(INSEK_TABLE)
    page.get_by_role(
        "link", name="Als PDF und Excel-Tabelle (XLSX) für den Stadtrat erstellen"
    ).click()
    report.check("the table's files page, none yet")
    page.get_by_role("button", name="PDF und Excel-Tabelle erstellen").click()
    expect(page.get_by_role("link", name=re.compile(r"^PDF \("))).to_be_visible()
    report.check("the table's files page, made")
    report.assert_clean()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^PDF \(")).click()
    assert download.value.suggested_filename.endswith(".pdf")
    path = tmp_path / "tabelle.pdf"
    download.value.save_as(path)
    reader = PdfReader(path)
    assert reader.metadata is not None
    assert str(reader.metadata.title).startswith("Abwägungstabelle")
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Änderungsvorschlag:" in text and "Kommentar:" in text and "übernommen" in text
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "s")], check=True)
    pictures = sorted(tmp_path.glob("s-*.png"))
    assert len(pictures) == len(reader.pages) >= 2
    SHOTS.mkdir(parents=True, exist_ok=True)
    for number, picture in enumerate(pictures, start=1):
        with Image.open(picture) as image:
            assert image.width > image.height  # landscape
            darkest, _lightest = cast(tuple[int, int], image.convert("L").getextrema())
            assert darkest < 100  # ink on the page
            if number <= 2:
                image.save(SHOTS / f"drafts-weighing-pdf-{number}.png")
