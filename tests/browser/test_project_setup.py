"""Setting up a project in the site (dashboard), in the browser.

1. A member of staff (the demo's project manager) creates a project with three phases –
   one allowing proposals – and publishes it, by keyboard only; the time it takes is
   printed (docs/staff.md gives the figure).
2. axe finds nothing on every set-up page, also in their error states, at 1280 and 320 px.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE, tab_to, type_into
from playwright.sync_api import Page, expect
from staff_helpers import MANAGER, add_phase, assert_valid_html, shot
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)


def _shot(page: Page, name: str) -> None:
    shot(page, "setup", name)


def test_staff_sets_up_and_publishes_a_project_by_keyboard(
    demo: None, make_context: Any, login_as: Any
) -> None:
    from mitmachen.projects.models import Project, Visibility

    context, _guard = make_context()
    login_as(context, MANAGER)
    page = context.new_page()
    page.goto("/verwaltung/")
    started = time.monotonic()

    tab_to(page, "a[href='/verwaltung/projekte/neu/']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Neuer Beteiligungsprozess")
    type_into(page, "#id_title", "Spielplatz am Weitzgrunder Weg")
    type_into(page, "#id_summary", "Wie soll der neue Spielplatz aussehen? Ihre Ideen zählen.")
    type_into(page, "#id_description", "## Worum es geht\n\nDer alte Spielplatz wird erneuert.")
    tab_to(page, "input[name='districts']")
    page.keyboard.press("Space")
    tab_to(page, "button[type='submit']")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("ist als Entwurf angelegt")
    expect(page).to_have_url(
        page.url.split("/verwaltung/")[0] + "/verwaltung/projekte/spielplatz-am-weitzgrunder-weg/"
    )

    today = date.today()
    add_phase(page, "Information", today + timedelta(days=20), today + timedelta(days=29), [])
    add_phase(
        page,
        "Ideen sammeln",
        today + timedelta(days=30),
        today + timedelta(days=59),
        ["propose", "comment"],
    )
    add_phase(
        page, "Abstimmung", today + timedelta(days=60), today + timedelta(days=74), ["support"]
    )
    expect(page.locator(".setup-timeline > li h3")).to_have_text(
        ["Information", "Ideen sammeln", "Abstimmung"]
    )

    tab_to(page, "form:has(input[type='hidden'][value='public']) button")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Veröffentlicht: Öffentlich.")
    took = time.monotonic() - started
    print(f"\nset-up by keyboard, from 'Meine Projekte' to published: {took:.1f} s")
    _shot(page, "published")

    project = Project.objects.get(slug="spielplatz-am-weitzgrunder-weg")
    assert project.visibility == Visibility.PUBLIC
    assert [p.name for p in project.ordered_phases()] == [
        "Information",
        "Ideen sammeln",
        "Abstimmung",
    ]
    assert project.ordered_phases()[1].actions == ["comment", "propose"]
    assert project.districts.count() == 1
    # Residents see it.
    visitor, _guard = make_context()
    public = visitor.new_page()
    public.goto("/projekte/spielplatz-am-weitzgrunder-weg/")
    expect(public.locator("h1")).to_have_text("Spielplatz am Weitzgrunder Weg")
    expect(public.get_by_text("Ideen sammeln").first).to_be_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_setup_pages_accessible(
    demo: None, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    from mitmachen.projects.models import Project

    project = Project.objects.get(slug="meine-stadt-der-zukunft")
    phase = project.ordered_phases()[0]
    base = f"/verwaltung/projekte/{project.slug}/"
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(context, MANAGER)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("my projects", "/verwaltung/")
    report.visit("new project", "/verwaltung/projekte/neu/")
    page.get_by_role("button", name="Entwurf anlegen und weiter zu den Phasen").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page).to_have_title("Fehler: Neuer Beteiligungsprozess – Mitmachen")
    report.check("new project with errors")
    report.visit("set-up overview", base)
    _shot(page, "overview")
    report.visit("basics", f"{base}grunddaten/")
    report.visit("new phase", f"{base}phasen/neu/")
    page.get_by_role("button", name="Phase speichern").click()
    expect(page.locator("#form-errors")).to_be_visible()
    report.check("new phase with errors")
    _shot(page, "phase-errors")
    report.visit("edit phase", f"{base}phasen/{phase.pk}/")
    report.visit("delete phase", f"{base}phasen/{phase.pk}/loeschen/")
    report.visit("preview", f"{base}vorschau/")
    _shot(page, "preview")
    # The survey set-up (polls.setup_views) and the invitations, also in error states.
    poll, question = _demo_poll(project)
    report.visit("new survey", f"{base}umfragen/neu/")
    page.get_by_role("button", name="Umfrage anlegen und weiter zu den Fragen").click()
    expect(page.locator("#form-errors")).to_be_focused()
    report.check("new survey with errors")
    report.visit("survey set-up", f"/verwaltung/umfragen/{poll.pk}/einrichten/")
    _shot(page, "survey-setup")
    report.visit("survey settings", f"/verwaltung/umfragen/{poll.pk}/einstellungen/")
    report.visit("new question", f"/verwaltung/umfragen/{poll.pk}/fragen/neu/")
    page.get_by_role("button", name="Frage speichern").click()
    expect(page.locator("#form-errors")).to_be_focused()
    report.check("new question with errors")
    _shot(page, "question-errors")
    report.visit("edit question", f"/verwaltung/umfragen/fragen/{question.pk}/bearbeiten/")
    report.visit("delete question", f"/verwaltung/umfragen/fragen/{question.pk}/loeschen/")
    report.visit("proposal settings", f"{base}vorschlaege/")
    report.visit("invitations", f"{base}einladungen/")
    page.get_by_role("button", name="Einladen").click()
    expect(page.locator("#form-errors")).to_be_focused()
    report.check("invitations with errors")
    _shot(page, "invitations-errors")
    report.assert_clean()


def _demo_poll(project: Any) -> tuple[Any, Any]:
    from mitmachen.polls.models import Poll

    poll = Poll.objects.filter(project=project).order_by("pk").first()
    assert poll is not None, "the demo project has a survey"
    question = poll.questions.order_by("position", "pk").first()
    assert question is not None
    return poll, question


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_invitation_page_accessible(
    demo: None, make_context: Any, viewport: dict[str, int]
) -> None:
    from mitmachen.projects.invitation_services import invitation_token
    from mitmachen.projects.models import Project, ProjectInvitation

    project = Project.objects.get(slug="meine-stadt-der-zukunft")
    ProjectInvitation.objects.create(project=project, email="gast@example.org")
    token = invitation_token(project, "gast@example.org")
    context, guard = make_context(viewport=viewport, bypass_csp=True)
    # A withdrawn invitation answers 404 on purpose; Chromium logs that as a console error.
    guard.allow_console_error(r"status of 404 \(Not Found\).*/projekte/einladung/kaputt/")
    page = context.new_page()
    report = AxeReport(page)
    report.visit("invitation, anonymous", f"/projekte/einladung/{token}/")
    _shot(page, "invitation")
    report.visit("invitation, withdrawn", "/projekte/einladung/kaputt/", status=404)
    report.assert_clean()


def test_setup_pages_are_valid_html(tmp_path: Path, demo_rows: None) -> None:
    """The set-up pages, also in their error states, pass the Nu Html Checker (the same
    run as ``test_html_validity.py``)."""
    from test_html_validity import Pages, _client

    from mitmachen.projects.models import Project

    project = Project.objects.get(slug="meine-stadt-der-zukunft")
    phase = project.ordered_phases()[0]
    base = f"/verwaltung/projekte/{project.slug}/"
    pages = Pages(tmp_path)
    client = _client(MANAGER)
    pages.get(client, "my projects", "/verwaltung/")
    pages.get(client, "new project", "/verwaltung/projekte/neu/")
    pages.post(client, "new project, empty", "/verwaltung/projekte/neu/", {})
    pages.get(client, "set-up overview", base)
    pages.get(client, "basics", f"{base}grunddaten/")
    pages.post(client, "basics, empty", f"{base}grunddaten/", {})
    pages.get(client, "new phase", f"{base}phasen/neu/")
    pages.post(client, "new phase, empty", f"{base}phasen/neu/", {})
    pages.get(client, "edit phase", f"{base}phasen/{phase.pk}/")
    pages.get(client, "delete phase", f"{base}phasen/{phase.pk}/loeschen/")
    pages.post(client, "visibility, bad", f"{base}sichtbarkeit/", {"visibility": "x"})
    pages.get(client, "preview", f"{base}vorschau/")
    poll, question = _demo_poll(project)
    pages.get(client, "new survey", f"{base}umfragen/neu/")
    pages.post(client, "new survey, empty", f"{base}umfragen/neu/", {})
    pages.get(client, "survey set-up", f"/verwaltung/umfragen/{poll.pk}/einrichten/")
    pages.get(client, "survey settings", f"/verwaltung/umfragen/{poll.pk}/einstellungen/")
    pages.get(client, "new question", f"/verwaltung/umfragen/{poll.pk}/fragen/neu/")
    pages.post(client, "new question, empty", f"/verwaltung/umfragen/{poll.pk}/fragen/neu/", {})
    pages.get(client, "edit question", f"/verwaltung/umfragen/fragen/{question.pk}/bearbeiten/")
    pages.get(client, "delete question", f"/verwaltung/umfragen/fragen/{question.pk}/loeschen/")
    pages.get(client, "proposal settings", f"{base}vorschlaege/")
    pages.post(client, "proposal settings, bad", f"{base}vorschlaege/", {"support_quorum": "x"})
    pages.get(client, "invitations", f"{base}einladungen/")
    pages.post(client, "invitations, bad", f"{base}einladungen/", {"emails": "x"})
    assert_valid_html(pages)
