"""The Bürgerhaushalt's later parts in the browser: the remaining money updated in place
(htmx) on a knapsack ballot by keyboard, the same ballot without JavaScript, ideas
entered offline by staff, a reported and hidden idea; axe at 1280 and 320 px.

Built on the demo region's "Bürgerhaushalt 2027" (``mitmachen/budgets/demo.py``); the
tests open its project and move its phases like ``test_budgets.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from playwright.sync_api import Page, expect
from test_accessibility import AxeReport
from test_budgets import MANAGER, RESIDENT, _phase, _shot

pytestmark = pytest.mark.django_db(transaction=True)

KNAPSACK_OVER = ("Skatepark erweitern", "Beleuchtung am Radweg nach Fredersdorf")


@pytest.fixture
def voting(demo: None) -> Any:
    from mitmachen.budgets.models import VOTE, Budget

    budget = Budget.objects.get(title="Bürgerhaushalt 2027")
    _phase(budget, [VOTE])
    return budget


def _tab_to(page: Page, script: str) -> None:
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate(script):
            return
    raise AssertionError(f"never focused: {script}")


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_remaining_money_updates_in_place_by_keyboard(
    voting: Any, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    from mitmachen.budgets.models import Ballot, Idea

    town = voting.groups.get(name="Ganze Stadt")
    first = Idea.objects.on_ballot().filter(group=town).order_by("title", "pk").first()
    assert first is not None
    left = f"{60_000 - first.cost:,}".replace(",", ".")
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(context, RESIDENT)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("ballot", f"/buergerhaushalte/gruppen/{town.pk}/stimmzettel/")
    summary = page.locator("#stimmzettel-summe")
    expect(summary).to_contain_text("Noch übrig: 60.000 €")
    page.locator("h1").click()  # from here on only the keyboard
    _tab_to(page, "() => document.activeElement?.name === 'idee'")
    page.keyboard.press("Space")
    # Not saved, and yet the sum follows the tick (htmx fragment).
    expect(summary).to_contain_text(f"Noch übrig: {left} €")
    assert not Ballot.objects.filter(group=town, voter__email=RESIDENT).exists()
    page.keyboard.press("Space")  # untick
    expect(summary).to_contain_text("Noch übrig: 60.000 €")
    for title in KNAPSACK_OVER:
        page.get_by_label(title).check()
    expect(summary).to_contain_text("zu viel")
    expect(summary).to_contain_text("nicht gespeichert werden")
    report.check("ballot over the budget, updated in place")
    _shot(page, "ballot-htmx-over")
    # Saving is refused by the server all the same.
    _tab_to(page, "() => document.activeElement?.type === 'submit'")
    page.keyboard.press("Enter")
    expect(page.locator("#form-errors")).to_contain_text("übersteigt das Budget")
    assert not Ballot.objects.filter(group=town, voter__email=RESIDENT).exists()
    page.get_by_label(KNAPSACK_OVER[0]).uncheck()
    expect(summary).to_contain_text("Noch übrig")
    page.get_by_role("button", name="Stimmzettel speichern").click()
    expect(page.locator("main")).to_contain_text("schon abgestimmt")
    assert Ballot.objects.filter(group=town, voter__email=RESIDENT).count() == 1
    report.assert_clean()


def test_knapsack_ballot_without_javascript(voting: Any, make_context: Any, login_as: Any) -> None:
    from mitmachen.budgets.models import Ballot

    town = voting.groups.get(name="Ganze Stadt")
    context, _guard = make_context(java_script_enabled=False)
    login_as(context, RESIDENT)
    page = context.new_page()
    page.goto(f"/buergerhaushalte/gruppen/{town.pk}/stimmzettel/")
    for title in KNAPSACK_OVER:
        page.get_by_label(title).check()
    # Without JavaScript nothing changes before saving …
    expect(page.locator("#stimmzettel-summe")).to_contain_text("Noch übrig: 60.000 €")
    page.get_by_role("button", name="Stimmzettel speichern").click()
    # … and saving over the money is refused with the sum shown.
    expect(page.locator("#form-errors")).to_contain_text("übersteigt das Budget")
    expect(page.locator("#stimmzettel-summe")).to_contain_text("zu viel")
    assert not Ballot.objects.filter(group=town).exists()
    page.get_by_label(KNAPSACK_OVER[0]).uncheck()
    page.get_by_role("button", name="Stimmzettel speichern").click()
    expect(page.locator("#stimmzettel-summe")).to_contain_text("Noch übrig")
    assert Ballot.objects.filter(group=town, voter__email=RESIDENT).count() == 1


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_offline_entry_and_a_hidden_idea(
    demo: None, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    from mitmachen.budgets.models import SUBMIT_IDEA, Budget, Idea

    budget = Budget.objects.get(title="Bürgerhaushalt 2027")
    _phase(budget, [SUBMIT_IDEA])
    context, guard = make_context(viewport=viewport, bypass_csp=True)
    guard.allow_console_error(r"status of 400")  # the form sent back with its errors
    login_as(context, MANAGER)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("offline idea form", f"{budget.get_absolute_url()}idee-erfassen/")
    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.locator("#form-errors")).to_contain_text("wo die Idee einging")
    report.check("offline idea form with errors")
    page.get_by_label("Eingegangen über").select_option(label="Marktstand")
    page.get_by_label("Veranstaltung / Ort der Abgabe").fill("Wochenmarkt")
    page.get_by_label("Titel").fill("Sonnensegel am Spielplatz")
    page.get_by_label("Beschreibung", exact=True).fill("Schatten für die Sandkiste.")
    page.get_by_label("Geschätzte Kosten in Euro").fill("4000")
    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.locator("main")).to_contain_text("über Marktstand am")
    report.check("offline idea")
    _shot(page, "offline-idea")
    idea = Idea.objects.get(title="Sonnensegel am Spielplatz")
    assert idea.author is None and idea.channel == "market_stand"
    report.visit("report an idea", f"/melden/buergerhaushalt-idee/{idea.pk}/")
    report.assert_clean()

    from mitmachen.moderation.services import hide
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import MembershipFactory

    moderator = MembershipFactory(organisation=budget.project.organisation, role=Role.MODERATOR)
    hide(moderator=moderator.user, target=idea, reason="Doppelt eingereicht")
    report.visit("hidden idea, staff", idea.get_absolute_url())
    expect(page.locator("main")).to_contain_text("Von der Moderation ausgeblendet")
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("hidden idea, public", idea.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Ausgeblendete Idee")
    report.assert_clean()


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_last_years_results_accessible(
    demo: None, make_context: Any, viewport: dict[str, int]
) -> None:
    """The demo's finished "Bürgerhaushalt 2026": its results by MES with the comparison
    to greedy, the invented-data note and the explanation; the budget page."""
    from mitmachen.budgets.models import Budget

    budget = Budget.objects.get(title="Bürgerhaushalt 2026")
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("finished budget", budget.get_absolute_url())
    report.visit("results of last year", f"{budget.get_absolute_url()}ergebnis/")
    main = page.locator("main")
    expect(main).to_contain_text("für die Demo erfunden")
    expect(main).to_contain_text("Davon 60 online und 340 auf Papier")
    expect(main).to_contain_text("hätte anders gewählt")
    _shot(page, "results-2026")
    report.assert_clean()


def test_new_budget_pages_are_valid_html(demo: None, tmp_path: Any) -> None:
    """The offline entry form (empty and with errors), an offline idea, a hidden idea
    (public and staff view) and the ballot with the htmx attributes pass the Nu Html
    Checker."""
    from pathlib import Path

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone
    from test_html_validity import Pages, run_vnu

    from mitmachen.budgets import services
    from mitmachen.budgets.models import SUBMIT_IDEA, VOTE, Budget
    from mitmachen.moderation.services import hide
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import MembershipFactory

    def client(email: str | None = None) -> Client:
        made = Client()
        if email:
            made.force_login(get_user_model().objects.get(email=email))
        return made

    budget = Budget.objects.get(title="Bürgerhaushalt 2027")
    _phase(budget, [SUBMIT_IDEA])
    pages = Pages(tmp_path)
    form = f"{budget.get_absolute_url()}idee-erfassen/"
    pages.get(client(MANAGER), "offline form", form)
    pages.post(client(MANAGER), "offline form with errors", form, {})
    idea = services.idea_submit(
        author=None,
        budget=budget,
        group=budget.groups.get(name="Ganze Stadt"),
        title="Sonnensegel",
        description="Schatten.",
        estimated_cost=900,
        offline=services.OfflineOrigin(
            channel="letter", submitted_on=timezone.localdate(), place="Brief", name="Erika"
        ),
        entered_by=get_user_model().objects.get(email=MANAGER),
    )
    pages.get(client(), "offline idea", idea.get_absolute_url())
    moderator = MembershipFactory(organisation=budget.project.organisation, role=Role.MODERATOR)
    hide(moderator=moderator.user, target=idea, reason="Doppelt")
    pages.get(client(), "hidden idea", idea.get_absolute_url())
    pages.get(client(MANAGER), "hidden idea, staff", idea.get_absolute_url())
    _phase(budget, [VOTE])
    town = budget.groups.get(name="Ganze Stadt")
    pages.get(client(RESIDENT), "ballot", f"/buergerhaushalte/gruppen/{town.pk}/stimmzettel/")
    errors = run_vnu(pages.files())
    assert not errors, [(pages.labels.get(Path(e["url"]).name), e["message"]) for e in errors]
