"""Comments in the browser: accessibility of every comment page, and the flow without JS."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

RESIDENT = "bewohnerin@example.org"
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 320, "height": 800}


def _discussed():
    from mitmachen.proposals.models import Proposal

    return Proposal.objects.filter(comment_count__gt=0).order_by("-comment_count").first()


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_comment_pages_accessible(
    demo: None, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    from mitmachen.comments.models import Comment

    proposal = _discussed()
    top = Comment.objects.filter(proposal=proposal, parent=None).first()
    own = Comment.objects.filter(proposal=proposal, author__email=RESIDENT).first()
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(context, RESIDENT)
    report = AxeReport(context.new_page())
    report.visit("comment thread page", f"{proposal.get_absolute_url()}kommentare/")
    report.visit(
        "comment thread, best first", f"{proposal.get_absolute_url()}kommentare/?kommentare=beste"
    )
    report.visit("one whole thread", f"/kommentare/{top.pk}/")
    report.visit("edit own comment", f"/kommentare/{own.pk}/bearbeiten/")
    report.visit("delete own comment", f"/kommentare/{own.pk}/loeschen/")
    report.visit("project comments", f"{proposal.project.get_absolute_url()}")
    report.assert_clean()


def test_comment_without_javascript(demo: None, make_context: Any, login_as: Any) -> None:
    proposal = _discussed()
    context, _guard = make_context(java_script_enabled=False)
    login_as(context, RESIDENT)
    page = context.new_page()
    page.goto(proposal.get_absolute_url())
    page.get_by_label("Ihr Kommentar").fill("Ich bin dafür, aber bitte mit Schatten.")
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    expect(page.get_by_text("Ich bin dafür, aber bitte mit Schatten.")).to_be_visible()
    before = proposal.comment_count
    proposal.refresh_from_db()
    assert proposal.comments.filter(text__startswith="Ich bin dafür").exists()
    assert proposal.comment_count == before + 1


def _thread_with_replies(proposal: Any) -> Any:
    """A new top-level comment (first on the page) with one reply more than the list shows."""
    from django.contrib.auth import get_user_model

    from mitmachen.comments.selectors import REPLIES_SHOWN
    from mitmachen.comments.services import comment_create

    other = get_user_model().objects.exclude(email=RESIDENT).filter(is_staff=False).first()
    top = comment_create(
        author=other, project=proposal.project, proposal=proposal, text="Wer pflegt die Bänke?"
    )
    for n in range(REPLIES_SHOWN + 1):
        comment_create(
            author=other,
            project=proposal.project,
            proposal=proposal,
            text=f"Frühere Antwort {n}",
            reply_to=top,
        )
    return top


def _reply_by_keyboard(page: Any, top: Any, text: str) -> None:
    summary = page.locator(f"#kommentar-{top.pk} > details > summary")
    summary.focus()
    page.keyboard.press("Enter")  # opens the reply form
    page.keyboard.press("Tab")
    expect(page.locator(f"#antwort-{top.pk}-text")).to_be_focused()
    page.keyboard.type(text)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Antwort veröffentlichen"


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_reply_is_shown_and_focused(
    demo: None, make_context: Any, login_as: Any, javascript: bool
) -> None:
    """Audit finding 11: a reply beyond the first ones was published but not on the page."""
    from mitmachen.comments.models import Comment

    proposal = _discussed()
    top = _thread_with_replies(proposal)
    context, _guard = make_context(java_script_enabled=javascript)
    login_as(context, RESIDENT)
    page = context.new_page()
    page.goto(proposal.get_absolute_url())
    if javascript:
        expect(page.locator("html")).to_have_attribute("class", "kern-light")
        page.wait_for_function("() => !!window.htmx")
    _reply_by_keyboard(page, top, "Die Gemeinde, zweimal im Jahr.")
    expect(page.get_by_text("Ihre Antwort ist veröffentlicht.")).to_be_visible()
    reply = Comment.objects.get(text="Die Gemeinde, zweimal im Jahr.")
    article = page.locator(f"#kommentar-{reply.pk}")
    expect(article).to_be_visible()
    expect(article).to_contain_text("Die Gemeinde, zweimal im Jahr.")
    expect(article).to_be_focused()
    if javascript:  # htmx swapped the list in place: still on the proposal page
        assert page.url.split("#")[0].endswith(proposal.get_absolute_url())
