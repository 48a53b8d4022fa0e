"""The Bürgerhaushalt in the browser: accessibility of its pages (1280 and 320 px), a
knapsack ballot by keyboard, and the ballot without JavaScript.

The demo region is seeded for each test, with the demo budget "Bürgerhaushalt 2027"
(``mitmachen/budgets/demo.py``). The tests open the project to the public and move its
phases (the demo's start in 60 days): the ballot now, or over with ballots cast.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from playwright.sync_api import Page, expect
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

RESIDENT = "bewohnerin@example.org"  # lives in Lübnitz
MANAGER = "admin@example.org"  # administrator of Bad Belzig
SHOTS = Path("/tmp/shots")


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(SHOTS / f"budget-{name}-{width}px.png"), full_page=True)


def _phase(budget: Any, actions: list[str], *, past: bool = False) -> None:
    from django.utils import timezone

    from mitmachen.projects.models import Phase, Visibility

    project = budget.project
    project.visibility = Visibility.PUBLIC
    project.save(update_fields=["visibility"])
    project.phases.all().delete()
    now = timezone.now()
    start, end = (
        (now - timedelta(days=20), now - timedelta(days=1))
        if past
        else (
            now - timedelta(days=1),
            now + timedelta(days=10),
        )
    )
    Phase.objects.create(project=project, name="Abstimmung", actions=actions, start=start, end=end)
    project.__dict__.pop("_prefetched_objects_cache", None)


@pytest.fixture
def budget(demo: None) -> Any:
    from mitmachen.budgets.models import VOTE, Budget

    budget = Budget.objects.get(title="Bürgerhaushalt 2027")
    _phase(budget, [VOTE])
    return budget


@pytest.fixture
def voted(budget: Any) -> Any:
    """120 ballots in the whole town (a majority for the Innenstadt ideas, a minority for
    the Fredersdorf lights), then the vote is over."""
    from django.contrib.auth import get_user_model

    from mitmachen.budgets import services
    from mitmachen.budgets.models import VOTE, Idea

    town = budget.groups.get(name="Ganze Stadt")
    ideas = {i.title: i.pk for i in Idea.objects.on_ballot().filter(group=town)}
    majority = [
        ideas[t]
        for t in ("Überdachte Fahrradbügel am Bahnhof", "Spielgeräte für den Springbach-Spielplatz")
    ]
    minority = [
        ideas["Beleuchtung am Radweg nach Fredersdorf"],
        ideas["Bücherzelle in der Innenstadt"],
    ]
    users = get_user_model().objects
    for n in range(120):
        voter = users.create_user(email=f"waehler{n}@example.org", password=None)
        town.budget = budget
        services.ballot_submit(
            voter=voter, group=town, idea_ids=majority if n % 10 < 6 else minority
        )
    _phase(budget, [VOTE], past=True)
    return budget


def test_budget_pages_accessible(voted: Any, make_context: Any, login_as: Any) -> None:
    """At 1280 and at 320 px, on one set of 120 ballots (``voted`` is the slowest set-up of
    this file; both widths only read)."""
    from mitmachen.budgets.models import Idea

    unfeasible = Idea.objects.get(title="Freibad wieder öffnen")
    feasible = Idea.objects.get(title="Trinkbrunnen am Marktplatz")
    for viewport in (DESKTOP, MOBILE):
        context, _guard = make_context(viewport=viewport, bypass_csp=True)
        page = context.new_page()
        report = AxeReport(page)
        report.visit("budget page", voted.get_absolute_url())
        _shot(page, "page")
        report.visit("budget page, filtered", f"{voted.get_absolute_url()}?pruefung=unfeasible")
        report.visit("unfeasible idea", unfeasible.get_absolute_url())
        _shot(page, "unfeasible-idea")
        report.visit("results", f"{voted.get_absolute_url()}ergebnis/")
        expect(page.locator("table").first).to_contain_text(
            "Beleuchtung am Radweg nach Fredersdorf"
        )
        _shot(page, "results")
        report.visit("idea with its result", feasible.get_absolute_url())
        expect(page.locator("#ergebnis-titel")).to_contain_text("Ergebnis der Abstimmung")
        report.assert_clean()

        context, _guard = make_context(viewport=viewport, bypass_csp=True)
        login_as(context, MANAGER)
        page = context.new_page()
        report = AxeReport(page)
        report.visit("idea page, staff", feasible.get_absolute_url())
        report.assert_clean()


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_ballot_and_forms_accessible(
    budget: Any, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    from mitmachen.budgets.models import SUBMIT_IDEA, VOTE, Idea

    town = budget.groups.get(name="Ganze Stadt")
    context, guard = make_context(viewport=viewport, bypass_csp=True)
    guard.allow_console_error(r"status of 400")  # the idea form sent back with its errors
    login_as(context, RESIDENT)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("ballot", f"/buergerhaushalte/gruppen/{town.pk}/stimmzettel/")
    for title in ("Skatepark erweitern", "Beleuchtung am Radweg nach Fredersdorf"):
        page.get_by_label(title).check()
    page.get_by_role("button", name="Stimmzettel speichern").click()
    expect(page.locator("#form-errors")).to_contain_text("übersteigt das Budget")
    report.check("ballot over the budget")
    _shot(page, "ballot-over-budget")
    _phase(budget, [SUBMIT_IDEA])
    report.visit("idea form", f"{budget.get_absolute_url()}neue-idee/")
    page.get_by_role("button", name="Idee einreichen").click()
    expect(page.locator("#form-errors")).to_contain_text("Titel")
    report.check("idea form with errors")
    report.assert_clean()

    _phase(budget, [VOTE], past=False)
    budget.project.phases.update(actions=[SUBMIT_IDEA])  # before the ballot: review open
    pending = Idea.objects.get(title="Öffentliche Toilette am Busbahnhof")
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(context, MANAGER)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("review form", f"{pending.get_absolute_url()}pruefen/")
    page.get_by_role("button", name="Prüfung speichern").click()
    expect(page.locator("#form-errors")).to_be_visible()
    report.check("review form with errors")
    _shot(page, "review-errors")
    report.assert_clean()


def test_knapsack_ballot_by_keyboard(budget: Any, make_context: Any, login_as: Any) -> None:
    from mitmachen.budgets.models import Ballot, BallotChoice

    town = budget.groups.get(name="Ganze Stadt")
    context, _guard = make_context()
    login_as(context, RESIDENT)
    page = context.new_page()
    page.goto(f"/buergerhaushalte/gruppen/{town.pk}/stimmzettel/")
    expect(page.locator(".ballot-summary")).to_contain_text("Noch übrig: 60.000 €")
    page.locator("h1").click()  # from here on only the keyboard
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.name === 'idee'"):
            break
    first = page.locator("input[name=idee]").first
    expect(first).to_be_focused()
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.type === 'submit'"):
            break
    page.keyboard.press("Enter")
    expect(page.locator(".ballot-summary")).to_contain_text("Noch übrig")
    ballot = Ballot.objects.get(group=town, voter__email=RESIDENT)
    assert BallotChoice.objects.filter(ballot=ballot).count() == 1
    _shot(page, "ballot-saved")


def test_ballot_without_javascript(budget: Any, make_context: Any, login_as: Any) -> None:
    from mitmachen.budgets.models import Ballot

    group = budget.groups.get(name="Ortsteilbudget Lübnitz")  # approval of up to 3
    context, _guard = make_context(java_script_enabled=False)
    login_as(context, RESIDENT)
    page = context.new_page()
    page.goto(f"/buergerhaushalte/gruppen/{group.pk}/stimmzettel/")
    boxes = page.locator("input[name=idee]")
    expect(boxes).to_have_count(4)
    for n in range(4):
        boxes.nth(n).check()
    page.get_by_role("button", name="Stimmzettel speichern").click()
    expect(page.locator("#form-errors")).to_contain_text("höchstens 3")
    assert not Ballot.objects.filter(group=group).exists()
    page.locator("input[name=idee]").nth(3).uncheck()
    page.get_by_role("button", name="Stimmzettel speichern").click()
    expect(page.locator(".ballot-summary")).to_contain_text("3 von höchstens 3 gewählt")
    assert Ballot.objects.filter(group=group, voter__email=RESIDENT).count() == 1


def test_budget_pages_are_valid_html(voted: Any, tmp_path: Path) -> None:
    """Every page of the module, also in its error states, passes the Nu Html Checker."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from test_html_validity import Pages, run_vnu

    from mitmachen.budgets.models import SUBMIT_IDEA, VOTE, GroupResult, Idea, ResultState

    def client(email: str | None = None) -> Client:
        made = Client()
        if email:
            made.force_login(get_user_model().objects.get(email=email))
        return made

    pages = Pages(tmp_path)
    unfeasible = Idea.objects.get(title="Freibad wieder öffnen")
    pages.get(client(), "budget page", voted.get_absolute_url())
    pages.get(client(), "budget page, filtered", f"{voted.get_absolute_url()}?pruefung=x")
    pages.get(client(), "idea", unfeasible.get_absolute_url())
    # Paper ballots (staff), before the result exists: a stack with a line refused.
    from django.utils import timezone

    from mitmachen.budgets import services

    paper_group = voted.groups.get(name="Ganze Stadt")
    manager = get_user_model().objects.get(email=MANAGER)
    pages.get(
        client(MANAGER), "paper batches", f"/buergerhaushalte/gruppen/{paper_group.pk}/papier/"
    )
    batch = services.paper_batch_create(
        user=manager, group=paper_group, collected_on=timezone.localdate()
    )
    services.paper_ballots_add(user=manager, batch=batch, lines="-")
    pages.post(client(MANAGER), "paper batch", batch.get_absolute_url(), {"lines": "x"})
    pages.get(client(), "results", f"{voted.get_absolute_url()}ergebnis/")
    trinkbrunnen = Idea.objects.get(title="Trinkbrunnen am Marktplatz")
    pages.get(client(), "idea with its result", trinkbrunnen.get_absolute_url())
    # The progress page while a result is being computed (the stored one is not read
    # again in this test).
    GroupResult.objects.filter(group__budget=voted).update(
        state=ResultState.RUNNING, progress=30, data=None
    )
    pages.get(client(), "results progress", f"{voted.get_absolute_url()}ergebnis/berechnung/")
    _phase(voted, [SUBMIT_IDEA])
    pages.get(client(MANAGER), "budget page, staff", voted.get_absolute_url())
    pages.post(client(RESIDENT), "idea form", f"{voted.get_absolute_url()}neue-idee/", {})
    pending = Idea.objects.get(title="Öffentliche Toilette am Busbahnhof")
    pages.post(client(MANAGER), "review form", f"{pending.get_absolute_url()}pruefen/", {})
    _phase(voted, [VOTE])
    town = voted.groups.get(name="Ganze Stadt")
    ideas = list(Idea.objects.on_ballot().filter(group=town).values_list("pk", flat=True))
    pages.post(
        client(RESIDENT),
        "ballot",
        f"/buergerhaushalte/gruppen/{town.pk}/stimmzettel/",
        {"idee": ideas},
    )
    errors = run_vnu(pages.files())
    assert not errors, [(pages.labels.get(Path(e["url"]).name), e["message"]) for e in errors]


def test_paper_batch_entry_and_check(make_context: Any, login_as: Any) -> None:
    """Staff enter a stack of paper ballots collected at an event (one line each, a wrong
    line refused with its number), a second person confirms it, and the event's page
    counts its ballots; axe at 1280 and 320 px on each page state. Built with
    factories, not the demo region."""
    from django.utils import timezone

    from mitmachen.accounts.tests.factories import UserFactory
    from mitmachen.budgets import services
    from mitmachen.budgets.models import VOTE, Ballot, PaperBatch
    from mitmachen.budgets.tests.conftest import feasible_idea
    from mitmachen.events.tests.factories import EventFactory
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
    from mitmachen.projects.tests.factories import ProjectFactory

    project = ProjectFactory(organisation=OrganisationFactory(slug="papierstadt"))
    staff = []
    for email in ("erfasst@example.org", "prueft@example.org"):
        user = UserFactory(email=email, display_name=email.split("@")[0].title())
        MembershipFactory(user=user, organisation=project.organisation, role=Role.PROJECT_MANAGER)
        project.managers.add(user)
        staff.append(user)
    budget = services.budget_create(project=project, title="Bürgerhaushalt 2027", user=staff[0])
    group = services.group_create(budget=budget, name="Ganze Stadt", amount=1000)
    ideas = [
        feasible_idea(budget, group, cost, title=title, manager=staff[0])
        for cost, title in ((600, "Trinkbrunnen"), (500, "Bücherzelle"), (300, "Bank am Teich"))
    ]
    _phase(budget, [VOTE])
    a, b, c = (i.pk for i in ideas)
    start = timezone.now() - timedelta(days=1)
    stand = EventFactory(
        organisation=project.organisation,
        title="Marktstand Bürgerhaushalt",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )

    context, guard = make_context(viewport=DESKTOP, bypass_csp=True)
    guard.allow_console_error(r"status of 400")  # the stack sent back with its errors
    login_as(context, "erfasst@example.org")
    page = context.new_page()
    report = AxeReport(page)
    report.visit("paper batches", f"/buergerhaushalte/gruppen/{group.pk}/papier/")
    page.get_by_label("Veranstaltung (freiwillig)").select_option(str(stand.pk))
    page.get_by_label("Ort oder Anlass").fill("Urne im Rathaus")
    page.get_by_role("button", name="Stapel anlegen").click()
    expect(page.locator("h1")).to_have_text("Papierstimmzettel erfassen")
    lines = page.get_by_label("Stimmzettel, einer pro Zeile")
    lines.fill(f"{a}, {c}\n{a}, {b}\n-")  # the second line costs 1,100 € of 1,000 €
    page.get_by_role("button", name="Stimmzettel speichern").click()
    expect(page.locator(".kern-error")).to_contain_text("Zeile 2:")
    assert not Ballot.objects.exists()
    for viewport in (DESKTOP, MOBILE):
        page.set_viewport_size(viewport)
        report.check(f"paper batch with an error, {viewport['width']}px")
    page.get_by_label("Stimmzettel, einer pro Zeile").fill(f"{a}, {c}\n{b}\n-")
    page.get_by_role("button", name="Stimmzettel speichern").click()
    expect(page.locator("#erfasst-tabelle")).to_be_visible()
    expect(page.locator("main")).to_contain_text("3 Stimmzettel erfasst")
    expect(page.locator("main")).to_contain_text("muss eine andere Person prüfen")
    report.check("paper batch with ballots, 320px")
    batch_url = page.url
    report.assert_clean()

    context, _guard = make_context(viewport=MOBILE, bypass_csp=True)
    login_as(context, "prueft@example.org")
    page = context.new_page()
    report = AxeReport(page)
    page.goto(batch_url)
    expect(page.get_by_role("button", name="Stimmzettel speichern")).to_have_count(0)
    page.get_by_role("button", name="Stapel bestätigen").click()
    expect(page.locator(".kern-badge")).to_contain_text("bestätigt von Prueft")
    for viewport in (MOBILE, DESKTOP):
        page.set_viewport_size(viewport)
        report.check(f"confirmed paper batch, {viewport['width']}px")
    report.assert_clean()
    assert PaperBatch.objects.get().confirmed_by == staff[1]
    assert Ballot.objects.counted().filter(group=group).count() == 3
    page.goto(stand.get_absolute_url())
    expect(page.locator("main")).to_contain_text("3 Papierstimmzettel für den Bürgerhaushalt")
