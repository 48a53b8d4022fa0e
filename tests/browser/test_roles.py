"""Rollen und Zugänge in the browser.

1. The demo's administrator invites a colleague by keyboard only; the colleague, who has
   no account, opens the link from the mail, signs up, confirms the address, signs in
   and accepts the invitation – by keyboard only – and lands in the staff workspace.
2. axe finds nothing on every roles page, also in the error states, at 1280 and 320 px.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE, tab_to, type_into
from playwright.sync_api import Page, expect
from staff_helpers import ADMIN, assert_valid_html, link_in, shot
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

COLLEAGUE = "kollegin@example.org"
PASSWORD = "Ein-langes-Passwort-2035"


def _shot(page: Page, name: str) -> None:
    shot(page, "roles", name)


def test_an_admin_invites_a_colleague_who_accepts_by_keyboard(
    demo: None, make_context: Any, login_as: Any, mailoutbox: list
) -> None:
    from mitmachen.organisations.models import Membership, Role
    from mitmachen.roles.models import Action, RoleChange

    context, _guard = make_context()
    login_as(context, ADMIN)
    page = context.new_page()
    page.goto("/verwaltung/")
    tab_to(page, "a[href='/verwaltung/rollen/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/verwaltung/rollen/$"))
    tab_to(page, "a[href='/verwaltung/rollen/bad-belzig/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/verwaltung/rollen/bad-belzig/$"))
    tab_to(page, "a[href='/verwaltung/rollen/bad-belzig/einladen/']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Person einladen")
    type_into(page, "#id_email", COLLEAGUE)
    tab_to(page, "#id_role")
    page.keyboard.type("Projektleitung")  # a closed select takes the typed label
    expect(page.locator("#id_role")).to_have_value("project_manager")
    tab_to(page, "button[type='submit']")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text(
        f"Die Einladung an {COLLEAGUE} ist verschickt."
    )
    expect(page.get_by_role("table", name="Offene Einladungen")).to_contain_text(COLLEAGUE)
    _shot(page, "staff")

    assert len(mailoutbox) == 1 and mailoutbox[0].to == [COLLEAGUE]
    invitation = link_in(mailoutbox[0], r"/verwaltung/einladung/[^/\s]+/")

    # The colleague: a fresh browser, no account yet.
    colleague_context, _guard = make_context()
    them = colleague_context.new_page()
    them.goto(invitation)
    expect(them.locator("h1")).to_have_text("Einladung zur Mitarbeit")
    tab_to(them, "a.kern-btn[href^='/konto/signup/']")
    them.keyboard.press("Enter")
    expect(them.get_by_role("heading", level=1)).to_have_text("Registrieren")
    type_into(them, "input[name='email']", COLLEAGUE)
    type_into(them, "input[name='password1']", PASSWORD)
    type_into(them, "input[name='password2']", PASSWORD)
    them.keyboard.press("Enter")
    expect(them).to_have_url(re.compile(r"/konto/confirm-email/$"))
    them.goto(link_in(mailoutbox[-1], r"/konto/confirm-email/[^/\s]+/"))
    tab_to(them, "main form button[type='submit']")
    them.keyboard.press("Enter")
    expect(them.locator(".messages")).to_contain_text("bestätigt")

    them.goto(f"/konto/login/?next={invitation}")
    type_into(them, "input[name='login']", COLLEAGUE)
    type_into(them, "input[name='password']", PASSWORD)
    them.keyboard.press("Enter")
    expect(them).to_have_url(re.compile(re.escape(invitation) + "$"))
    tab_to(them, "main form button[type='submit']")
    them.keyboard.press("Enter")
    expect(them.locator(".messages")).to_contain_text(
        "Willkommen! Sie haben jetzt die Rolle „Projektleitung“ in Bad Belzig."
    )
    expect(them.locator("h1")).to_have_text("Meine Projekte")
    _shot(them, "welcome")

    membership = Membership.objects.get(user__email=COLLEAGUE)
    assert membership.role == Role.PROJECT_MANAGER
    assert membership.organisation.slug == "bad-belzig"
    assert list(
        RoleChange.objects.filter(organisation=membership.organisation)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [Action.INVITED, Action.INVITATION_ACCEPTED]

    # The administrator sees the colleague in the staff list and both steps in the log.
    page.goto("/verwaltung/rollen/bad-belzig/protokoll/")
    expect(page.get_by_role("table", name="Rollenänderungen")).to_contain_text(
        "Einladung angenommen"
    )


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_roles_pages_accessible(
    demo: None, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    from mitmachen.accounts.models import User
    from mitmachen.organisations.models import Membership, Organisation, Role
    from mitmachen.roles import services

    admin = User.objects.get(email=ADMIN)
    town = Organisation.objects.get(slug="bad-belzig")
    moderator = Membership.objects.get(organisation=town, role=Role.MODERATOR).user
    services.staff_invite(
        actor=admin, organisation=town, email=COLLEAGUE, role=Role.MODERATOR, link=lambda t: t
    )
    invitation_token: list[str] = []
    services.staff_invite(
        actor=admin,
        organisation=town,
        email="zweite@example.org",
        role=Role.MODERATOR,
        link=lambda t: invitation_token.append(t) or t,
    )
    # A second project manager, so the project's managers page offers someone.
    second = User.objects.create_user(email="zweite.leitung@example.org", display_name="Zweite")
    services.role_set(actor=admin, organisation=town, person=second, role=Role.PROJECT_MANAGER)
    base = "/verwaltung/rollen/bad-belzig/"
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(context, ADMIN)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("roles index", "/verwaltung/rollen/")
    report.visit("staff", base)
    report.visit("invite", f"{base}einladen/")
    page.get_by_role("button", name="Einladen").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Fehler: Person einladen"))
    report.check("invite with errors")
    _shot(page, "invite-errors")
    report.visit("change role", f"{base}personen/{moderator.pk}/")
    report.visit("remove access", f"{base}personen/{moderator.pk}/entfernen/")
    report.visit("log", f"{base}protokoll/")
    _shot(page, "log")
    report.visit("project managers", "/verwaltung/projekte/meine-stadt-der-zukunft/projektleitung/")
    page.get_by_role("button", name="Übertragen").click()
    expect(page.locator("#form-errors")).to_be_focused()
    report.check("project managers with errors")
    _shot(page, "project-managers")
    anonymous, visitor_guard = make_context(viewport=viewport, bypass_csp=True)
    visitor_guard.allow_console_error(r"status of 404 .*/verwaltung/einladung/unbekannt/")
    visitor = anonymous.new_page()
    visitor_report = AxeReport(visitor)
    visitor_report.visit("invitation", f"/verwaltung/einladung/{invitation_token[0]}/")
    _shot(visitor, "invitation")
    visitor_report.visit("unknown invitation", "/verwaltung/einladung/unbekannt/", status=404)
    report.assert_clean()
    visitor_report.assert_clean()


def test_roles_pages_are_valid_html(tmp_path: Path, demo_rows: None) -> None:
    """Every roles page, also in its error states and as the invitee sees it, passes the
    Nu Html Checker (the same run as ``test_html_validity.py``)."""
    from test_html_validity import Pages, _client

    from mitmachen.accounts.models import User
    from mitmachen.organisations.models import Membership, Organisation, Role
    from mitmachen.roles import services

    admin = User.objects.get(email=ADMIN)
    town = Organisation.objects.get(slug="bad-belzig")
    moderator = Membership.objects.get(organisation=town, role=Role.MODERATOR).user
    tokens: list[str] = []
    services.staff_invite(
        actor=admin,
        organisation=town,
        email=COLLEAGUE,
        role=Role.MODERATOR,
        link=lambda t: tokens.append(t) or t,
    )
    services.role_set(actor=admin, organisation=town, person=moderator, role=Role.PROJECT_MANAGER)
    base = "/verwaltung/rollen/bad-belzig/"
    managers = "/verwaltung/projekte/meine-stadt-der-zukunft/projektleitung/"
    pages = Pages(tmp_path)
    client = _client(ADMIN)
    pages.get(client, "roles index", "/verwaltung/rollen/")
    pages.get(client, "staff", base)
    pages.get(client, "invite", f"{base}einladen/")
    pages.post(client, "invite, empty", f"{base}einladen/", {})
    pages.post(client, "invite, bad", f"{base}einladen/", {"email": "x", "role": "kaiser"})
    pages.get(client, "change role", f"{base}personen/{moderator.pk}/")
    pages.post(client, "change role, bad", f"{base}personen/{moderator.pk}/", {"role": "x"})
    pages.get(client, "remove access", f"{base}personen/{moderator.pk}/entfernen/")
    pages.post(client, "remove the last admin", f"{base}personen/{admin.pk}/entfernen/", {})
    pages.get(client, "log", f"{base}protokoll/")
    pages.get(client, "project managers", managers)
    pages.post(client, "project managers, empty", managers, {})
    invitee = _client()
    pages.get(invitee, "invitation", f"/verwaltung/einladung/{tokens[0]}/")
    pages.get(invitee, "unknown invitation", "/verwaltung/einladung/unbekannt/", status=404)
    assert_valid_html(pages)
