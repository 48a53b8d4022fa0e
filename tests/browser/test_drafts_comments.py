"""Comments on a draft's paragraphs in the browser: a paragraph commented by keyboard
only (the margin link, the comments page, the count back on the reading page), and axe
at 1280 and 320 px on the pages that show paragraph comments.

The demo region brings the Klimaschutzagenda draft (``mitmachen/drafts/demo.py``) in the
Klimawerkstatt project, open for responses.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from playwright.sync_api import Page, expect
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

RESIDENT = "bewohnerin@example.org"
DRAFT = "/projekte/klimawerkstatt-flaeming/texte/klimaschutzagenda-entwurf/"
SHOTS = Path("/tmp/shots")


def _paragraph(number: int) -> Any:
    from mitmachen.drafts.models import Paragraph

    return Paragraph.objects.select_related("draft__project").get(
        draft__slug="klimaschutzagenda-entwurf", number=number, version=1
    )


def _tab_to(page: Page, selector: str, limit: int = 200) -> None:
    """Press Tab until the focused element matches ``selector`` (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement?.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_comment_a_paragraph_by_keyboard(demo: None, make_context: Any, login_as: Any) -> None:
    paragraph = _paragraph(1)
    comments_url = f"/absaetze/{paragraph.pk}/kommentare/"
    before = paragraph.comment_count
    context, _guard = make_context(viewport=DESKTOP)
    login_as(context, RESIDENT)
    page = context.new_page()
    page.goto(DRAFT)
    page.locator("h1").click()  # the starting point; from here on only the keyboard
    _tab_to(page, f'a[href="{comments_url}"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(comments_url)))
    expect(page.locator("h1")).to_contain_text("Kommentare zu")
    expect(page.locator("h1")).to_contain_text("Absatz 1")
    page.locator("h1").click()
    _tab_to(page, "textarea[name=text]")
    expect(page.get_by_label("Ihr Kommentar")).to_be_focused()
    page.keyboard.type("Bitte auch die Dörfer am Rand nennen.")
    page.keyboard.press("Tab")
    # The consent to be named in the Abwägungstabelle, ticked with the space bar.
    consent = page.get_by_label("Mein Name darf in der Abwägungstabelle für den Stadtrat stehen.")
    expect(consent).to_be_focused()
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Kommentar veröffentlichen")).to_be_focused()
    page.keyboard.press("Enter")
    new = page.locator(".comment").filter(has_text="Bitte auch die Dörfer am Rand nennen.")
    expect(new).to_be_visible()
    paragraph.refresh_from_db()
    assert paragraph.comment_count == before + 1
    from mitmachen.comments.models import Comment

    assert Comment.objects.get(text="Bitte auch die Dörfer am Rand nennen.").name_in_report
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "drafts-paragraph-comments.png"), full_page=True)
    page.goto(DRAFT)
    link = page.locator(f'a[href="{comments_url}"]')
    expect(link).to_contain_text(f"{before + 1} Kommentar")
    page.screenshot(path=str(SHOTS / "drafts-reading-with-comments.png"), full_page=True)


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_paragraph_comment_pages_accessible(
    demo: None, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    from mitmachen.accounts.models import User
    from mitmachen.comments.services import comment_create

    paragraph = _paragraph(2)
    resident = User.objects.get(email=RESIDENT)
    top = comment_create(
        author=resident, project=paragraph.draft.project, target=paragraph, text="Gut so."
    )
    comment_create(
        author=User.objects.exclude(pk=resident.pk).filter(is_staff=False).first(),
        project=paragraph.draft.project,
        target=paragraph,
        text="Finde ich nicht.",
        reply_to=top,
    )
    comments_url = f"/absaetze/{paragraph.pk}/kommentare/"
    for signed_in in (False, True):
        context, _guard = make_context(viewport=viewport, bypass_csp=True)
        if signed_in:
            login_as(context, RESIDENT)
        report = AxeReport(context.new_page())
        report.visit("draft with comment counts", DRAFT)
        report.visit("most discussed", f"{DRAFT}?ansicht=meistdiskutiert")
        report.visit("paragraph page with its comments link", paragraph.get_absolute_url())
        report.visit("a paragraph's comments", comments_url)
        report.assert_clean()
