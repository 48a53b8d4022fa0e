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
