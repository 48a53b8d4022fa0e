"""Debates in the browser: accessibility, a stance by keyboard, the filter, the conclusion
on top, and everything without JavaScript.

The demo region is seeded for each test, plus the demo debates
(``mitmachen/demo/debates_data.py``): a closed one about the Brandenburger Straße
(5 dafür, 4 dagegen, 3 neutral) and an open one about a Rufbus (1, 1, 1).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE, tab_to
from playwright.sync_api import Page, expect
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

RESIDENT = "bewohnerin@example.org"
MANAGER = "projekt@example.org"
MODERATOR = "moderation@example.org"
PROJECT = "meine-stadt-der-zukunft"
SHOTS = Path("/tmp/shots")


@pytest.fixture
def debates(demo: None) -> tuple[Any, Any]:
    """(closed, open) demo debates, seeded the way the demo seed calls it."""
    from django.contrib.auth import get_user_model

    from mitmachen.demo.debates_data import seed_debates
    from mitmachen.projects.models import Project

    users = get_user_model().objects
    supporters = list(users.filter(email__startswith="unterstuetzer").order_by("pk")[:15])
    return tuple(
        seed_debates(
            project=Project.objects.get(slug=PROJECT),
            staff=users.get(email=MANAGER),
            residents=[users.get(email=RESIDENT), *supporters],
        )
    )


def _signed_in(make_context: Any, login_as: Any, email: str, **options: Any) -> Page:
    context, _guard = make_context(**options)
    login_as(context, email)
    return context.new_page()


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(SHOTS / f"debate-{name}-{width}px.png"), full_page=True)


def _stance_row(page: Page, label: str) -> Any:
    return page.locator(".stance-table tbody tr").filter(has_text=label)


# 1. Accessibility of every debate page ------------------------------------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_debate_pages_accessible(
    debates: tuple[Any, Any], make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    closed, opened = debates
    # Anonymous, then resident, then staff; axe is injected inline, so CSP is bypassed.
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    report = AxeReport(context.new_page())
    report.visit("debate list", f"/projekte/{PROJECT}/debatten/")
    report.visit("closed debate with conclusion", closed.get_absolute_url())
    report.visit("closed debate, filtered", f"{closed.get_absolute_url()}?haltung=dagegen")
    report.visit("open debate, anonymous", opened.get_absolute_url())
    report.visit("debate comments page", f"{opened.get_absolute_url()}kommentare/")
    report.assert_clean()

    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(context, RESIDENT)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("open debate with the comment form", opened.get_absolute_url())
    # The error state: sent without a stance.
    page.get_by_label("Ihr Kommentar").fill("Ohne Haltung")
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    expect(page.locator("#neuer-kommentar-stance-error")).to_be_visible()
    report.check("comment form with a missing stance")
    _shot(page, "missing-stance")
    report.visit("report a debate", f"/melden/debatte/{opened.pk}/")
    report.assert_clean()

    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(context, MANAGER)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("open debate, staff", opened.get_absolute_url())
    report.visit("close form", f"/debatten/{opened.pk}/abschliessen/")
    page.get_by_role("button", name="Abschließen und Fazit veröffentlichen").click()
    expect(page.locator("#form-errors")).to_contain_text("Bitte schreiben Sie ein Fazit.")
    report.check("close form without a conclusion")
    report.visit("change the conclusion", f"/debatten/{closed.pk}/abschliessen/")
    report.visit("edit form", f"/debatten/{opened.pk}/bearbeiten/")
    report.visit("open a debate", f"/projekte/{PROJECT}/debatten/neu/")
    page.get_by_role("button", name="Debatte eröffnen").click()
    expect(page.locator("#form-errors")).to_contain_text("Bitte formulieren Sie eine Frage.")
    report.check("open a debate without a question")
    report.assert_clean()

    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(context, MODERATOR)
    report = AxeReport(context.new_page())
    report.visit("moderate a debate", f"/debatten/{opened.pk}/moderieren/")
    report.visit("decision page of a debate", f"/verwaltung/moderation/debatten/{opened.pk}/")
    report.assert_clean()


# 2. A comment with a stance, by keyboard only -----------------------------------------------------


def test_comment_with_stance_by_keyboard(
    debates: tuple[Any, Any], make_context: Any, login_as: Any
) -> None:
    from mitmachen.comments.models import Comment

    _closed, opened = debates
    page = _signed_in(make_context, login_as, RESIDENT)
    page.goto(opened.get_absolute_url())
    expect(_stance_row(page, "Dagegen").locator("td").first).to_have_text("1")

    page.locator("h1").click()  # the starting point; from here on only the keyboard
    tab_to(page, "input[name=stance]")
    for_radio = page.get_by_role("radio", name="Dafür")
    against = page.get_by_role("radio", name="Dagegen")
    expect(for_radio).to_be_focused()
    # The group has a name screen readers announce with each radio.
    expect(page.get_by_role("group", name="Ihre Haltung zur Frage")).to_be_visible()
    page.keyboard.press("Space")
    expect(for_radio).to_be_checked()
    page.keyboard.press("ArrowRight")
    expect(against).to_be_checked()
    expect(against).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Ihr Kommentar")).to_be_focused()
    page.keyboard.type("Lieber mehr Busse unter der Woche.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Kommentar veröffentlichen")).to_be_focused()
    page.keyboard.press("Enter")

    new = page.locator(".comment").filter(has_text="Lieber mehr Busse unter der Woche.")
    expect(new).to_be_visible()
    expect(new).to_contain_text("Haltung: dagegen")
    expect(page.locator("#kommentare-status")).to_have_text(
        "Vielen Dank! Ihr Kommentar ist veröffentlicht."
    )
    # The counts on top follow (htmx, out of band), without reloading the page.
    expect(_stance_row(page, "Dagegen").locator("td").first).to_have_text("2")
    expect(page.locator("#debatte-haltungen caption")).to_have_text("4 Kommentare mit Haltung")
    assert Comment.objects.filter(debate=opened, stance="against", author__email=RESIDENT).exists()
    _shot(page, "after-comment")


# 3. The stance filter -----------------------------------------------------------------------------


def test_filter_by_stance(debates: tuple[Any, Any], make_context: Any) -> None:
    closed, _opened = debates
    context, _guard = make_context()
    page = context.new_page()
    page.goto(closed.get_absolute_url())
    filters = page.get_by_role("navigation", name="Kommentare nach Haltung filtern")
    expect(filters.locator("[aria-current=true]")).to_have_text("Alle (12)")
    filters.get_by_role("link", name="Dagegen (4)").click()
    expect(filters.locator("[aria-current=true]")).to_have_text("Dagegen (4)")
    expect(page).to_have_url(re.compile(r"\?haltung=dagegen#kommentare$"))
    tops = page.locator(".comments__list > .comments__item > .comment")
    expect(tops).to_have_count(4)
    for badge in tops.locator(".kern-badge").all_inner_texts():
        assert badge == "Haltung: dagegen"
    filters = page.get_by_role("navigation", name="Kommentare nach Haltung filtern")
    filters.get_by_role("link", name="Neutral (3)").click()
    expect(tops).to_have_count(3)
    # The address is the state: reloading (or sharing the link) shows the same.
    page.reload()
    expect(tops).to_have_count(3)
    expect(
        page.get_by_text("Gezeigt werden nur Kommentare mit der Haltung „neutral“")
    ).to_be_visible()
    page.get_by_role("link", name="Alle (12)").click()
    expect(tops).to_have_count(10)  # the first page


# 4. The conclusion on top -------------------------------------------------------------------------


def test_staff_close_with_conclusion_on_top(
    debates: tuple[Any, Any], make_context: Any, login_as: Any
) -> None:
    from mitmachen.notifications.models import Notification

    _closed, opened = debates
    page = _signed_in(make_context, login_as, MANAGER)
    page.goto(opened.get_absolute_url())
    page.get_by_role("link", name="Mit Fazit abschließen").click()
    page.get_by_role("button", name="Abschließen und Fazit veröffentlichen").click()
    summary = page.locator("#form-errors")
    expect(summary).to_contain_text("Fazit der Verwaltung: Bitte schreiben Sie ein Fazit.")
    summary.get_by_role("link").click()  # the error links to the field
    expect(page.get_by_label("Fazit der Verwaltung")).to_be_focused()
    page.keyboard.type("Der Rufbus fährt ab Mai **samstags** in fünf Ortsteile.")
    page.get_by_role("button", name="Abschließen und Fazit veröffentlichen").click()

    expect(page.locator(".messages")).to_contain_text("Die Debatte ist abgeschlossen")
    conclusion = page.get_by_role("region", name="Fazit der Verwaltung")
    expect(conclusion).to_contain_text("Der Rufbus fährt ab Mai samstags in fünf Ortsteile.")
    expect(conclusion.locator("strong")).to_have_text("samstags")
    expect(conclusion).to_contain_text("von Paul Projektleitung")
    top = conclusion.bounding_box()
    for other in ("Worum es geht", "Haltungen", "Kommentare"):
        box = page.get_by_role("heading", name=other, exact=True).bounding_box()
        assert top and box and top["y"] < box["y"], f"the conclusion is not above {other}"
    expect(page.locator("input[name=stance]")).to_have_count(0)
    expect(page.locator("#kommentare")).to_contain_text(
        "Diese Debatte ist abgeschlossen; neue Kommentare sind nicht mehr möglich."
    )
    # Renate commented: she is told.
    assert Notification.objects.filter(
        recipient__email=RESIDENT, kind="debate_closed", url=opened.get_absolute_url()
    ).exists()
    _shot(page, "closed")


def test_closed_debate_shows_the_conclusion_first(
    debates: tuple[Any, Any], make_context: Any
) -> None:
    closed, _opened = debates
    context, _guard = make_context(viewport=MOBILE)
    page = context.new_page()
    page.goto(closed.get_absolute_url())
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0] == "Fazit der Verwaltung", headings
    expect(page.get_by_role("region", name="Fazit der Verwaltung")).to_contain_text(
        "Verkehrsversuch"
    )
    _shot(page, "closed-mobile")


# 5. Without JavaScript ----------------------------------------------------------------------------


def test_debate_without_javascript(
    debates: tuple[Any, Any], make_context: Any, login_as: Any
) -> None:
    from mitmachen.comments.models import Comment

    closed, opened = debates
    page = _signed_in(make_context, login_as, RESIDENT, java_script_enabled=False)

    # The filter is a plain link with the state in the address.
    page.goto(closed.get_absolute_url())
    page.get_by_role("link", name="Dafür (5)").click()
    expect(page).to_have_url(re.compile(r"\?haltung=dafuer#kommentare$"))
    expect(page.locator(".comments__list > .comments__item > .comment")).to_have_count(5)
    # Closed: no form, a clear sentence.
    expect(page.locator("input[name=stance]")).to_have_count(0)
    expect(page.get_by_text("Diese Debatte ist abgeschlossen; neue Kommentare")).to_be_visible()

    # Missing stance: the page comes back with the error summary and the text kept.
    page.goto(opened.get_absolute_url())
    page.get_by_label("Ihr Kommentar").fill("Rufbus ja, aber barrierefrei.")
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    expect(page.locator("#form-errors")).to_contain_text(
        "Bitte wählen Sie Ihre Haltung: dafür, dagegen oder neutral."
    )
    expect(page.get_by_label("Ihr Kommentar")).to_have_value("Rufbus ja, aber barrierefrei.")
    assert not Comment.objects.filter(text__startswith="Rufbus ja").exists()

    page.get_by_role("radio", name="Neutral").check()
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    expect(page.locator(".messages")).to_contain_text("Ihr Kommentar ist veröffentlicht")
    new = page.locator(".comment").filter(has_text="Rufbus ja, aber barrierefrei.")
    expect(new).to_contain_text("Haltung: neutral")
    expect(_stance_row(page, "Neutral").locator("td").first).to_have_text("2")
    assert Comment.objects.get(text="Rufbus ja, aber barrierefrei.").stance == "neutral"

    # A reply by plain form: no stance asked.
    page.locator(".comment").filter(has_text="Rufbus ja, aber barrierefrei.").locator(
        "summary"
    ).click()
    reply_form = new.locator("form").filter(has=page.get_by_label("Ihre Antwort"))
    expect(reply_form.locator("input[name=stance]")).to_have_count(0)
