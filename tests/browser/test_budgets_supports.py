"""The Bürgerhaushalt's selection by supports and the correction of a confirmed paper
stack in the browser: by keyboard, error summaries that take focus, axe at 1280 and
320 px. Built on the demo region (``mitmachen/budgets/demo.py``) like test_budgets.py.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from playwright.sync_api import expect
from test_accessibility import AxeReport
from test_budgets import MANAGER, RESIDENT, _phase, _shot

pytestmark = pytest.mark.django_db(transaction=True)


def _phases(budget: Any, *spec: tuple[list[str], int, int]) -> None:
    from django.utils import timezone

    from mitmachen.projects.models import Phase

    _phase(budget, [])  # public, phases replaced
    budget.project.phases.all().delete()
    now = timezone.now()
    for n, (actions, start, end) in enumerate(spec):
        Phase.objects.create(
            project=budget.project,
            name=f"Phase {n + 1}",
            actions=actions,
            start=now + timedelta(days=start),
            end=now + timedelta(days=end),
        )


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_support_by_keyboard_then_staff_select_for_the_ballot(
    demo: None, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    from mitmachen.budgets.models import SUPPORT, VOTE, Budget, Idea

    budget = Budget.objects.get(title="Bürgerhaushalt 2027")
    town = budget.groups.get(name="Ganze Stadt")
    idea = Idea.objects.on_ballot().filter(group=town).order_by("title", "pk").first()
    assert idea is not None
    _phases(budget, ([SUPPORT], -1, 10))
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(context, RESIDENT)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("idea with supports", idea.get_absolute_url())
    page.locator("h1").click()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate(
            "() => document.activeElement?.textContent?.includes('Idee unterstützen')"
        ):
            break
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("1 Person unterstützt diese Idee.")
    expect(page.get_by_role("button", name="Unterstützung zurücknehmen")).to_be_visible()
    report.check("idea supported")
    _shot(page, "idea-supported")
    assert Idea.objects.get(pk=idea.pk).support_count == 1

    # After the supports, before the vote: staff fix what goes to the ballot.
    _phases(budget, ([SUPPORT], -10, -1), ([VOTE], 5, 10))
    staff, guard2 = make_context(viewport=viewport, bypass_csp=True)
    guard2.allow_console_error(r"status of 400")  # the selection sent back with its error
    login_as(staff, MANAGER)
    page = staff.new_page()
    report = AxeReport(page)
    report.visit("selection for the ballot", f"/buergerhaushalte/gruppen/{town.pk}/auswahl/")
    page.get_by_label("Anzahl").fill("0")
    page.get_by_role("button", name="Auswahl festlegen").click()
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.locator("#form-errors")).to_contain_text("Bitte geben Sie eine Zahl ab 1 an.")
    report.check("selection with an error")
    page.get_by_label("Anzahl").fill("3")
    page.get_by_role("button", name="Auswahl festlegen").click()
    expect(page.locator("main")).to_contain_text("die 3 meistunterstützten machbaren Ideen")
    report.check("budget page after the selection")
    _shot(page, "selection-fixed")
    assert Idea.objects.filter(group=town, selected=True).count() == 3
    assert Idea.objects.get(pk=idea.pk).selected  # the only supported idea is first
    report.assert_clean()


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_correct_a_confirmed_paper_stack(
    demo: None, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    from mitmachen.budgets.models import PaperBatch

    batch = PaperBatch.objects.filter(
        group__budget__title="Bürgerhaushalt 2026", confirmed_at__isnull=False
    ).first()
    assert batch is not None
    context, guard = make_context(viewport=viewport, bypass_csp=True)
    guard.allow_console_error(r"status of 400")  # the correction sent back with its error
    login_as(context, MANAGER)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("confirmed stack", batch.get_absolute_url())
    page.get_by_role("link", name="Einen Fehler gefunden? Stapel korrigieren").click()
    expect(page.locator("h1")).to_have_text("Stapel korrigieren")
    report.check("correction form")
    page.get_by_role("button", name="Korrektur anlegen").click()
    expect(page.locator("#form-errors")).to_be_focused()
    report.check("correction form with an error")
    page.get_by_label("Grund der Korrektur").fill("Zeile 3 doppelt erfasst.")
    page.get_by_role("button", name="Korrektur anlegen").click()
    expect(page.locator("main")).to_contain_text("Grund: Zeile 3 doppelt erfasst.")
    report.check("correction stack")
    _shot(page, "paper-correction")
    assert PaperBatch.objects.filter(corrects=batch).count() == 1
    report.assert_clean()


def test_new_budget_pages_are_valid_html(demo: None, tmp_path: Any) -> None:
    """The pages of supports, selection, corrections and an idea with a point and an
    image, also in their error states, pass the Nu Html Checker."""
    from pathlib import Path

    from django.contrib.auth import get_user_model
    from django.test import Client
    from shapely.geometry import shape
    from test_html_validity import Pages, run_vnu

    from mitmachen.budgets import services, support_services
    from mitmachen.budgets.models import SUBMIT_IDEA, SUPPORT, VOTE, Budget, Idea, PaperBatch
    from mitmachen.core.tests.test_images import jpeg_with_gps
    from mitmachen.projects.selectors import districts_for
    from mitmachen.proposals.services import ImageUpload

    def client(email: str | None = None) -> Client:
        made = Client()
        if email:
            made.force_login(get_user_model().objects.get(email=email))
        return made

    pages = Pages(tmp_path)
    budget = Budget.objects.get(title="Bürgerhaushalt 2027")
    town = budget.groups.get(name="Ganze Stadt")
    _phases(budget, ([SUBMIT_IDEA], -1, 10))
    district = districts_for(budget.project).exclude(geometry=None).order_by("pk").first()
    assert district is not None
    inside = shape(district.geometry).representative_point()
    located = services.idea_submit(
        author=get_user_model().objects.get(email=RESIDENT),
        budget=budget,
        group=town,
        title="Bank mit Foto",
        description="Eine Bank am Teich.",
        estimated_cost=500,
        lon=inside.x,
        lat=inside.y,
        images=[ImageUpload(jpeg_with_gps(), alt_text="Der Teich im Herbst")],
    )
    pages.get(client(), "idea with point and image", located.get_absolute_url())
    idea = Idea.objects.on_ballot().filter(group=town).order_by("pk").first()
    assert idea is not None
    _phases(budget, ([SUPPORT], -1, 10))
    pages.get(client(), "idea in the supports phase", idea.get_absolute_url())
    support_services.idea_support(user=get_user_model().objects.get(email=RESIDENT), idea=idea)
    pages.get(client(RESIDENT), "idea supported", idea.get_absolute_url())
    _phases(budget, ([SUPPORT], -10, -1), ([VOTE], 5, 10))
    selection = f"/buergerhaushalte/gruppen/{town.pk}/auswahl/"
    pages.get(client(MANAGER), "selection", selection)
    pages.post(client(MANAGER), "selection with errors", selection, {"rule": "x", "value": "0"})
    batch = PaperBatch.objects.filter(
        group__budget__title="Bürgerhaushalt 2026", confirmed_at__isnull=False
    ).first()
    assert batch is not None
    correction = f"/buergerhaushalte/papierstapel/{batch.pk}/korrektur/"
    pages.get(client(MANAGER), "correction form", correction)
    pages.post(client(MANAGER), "correction with errors", correction, {"reason": ""})
    client(MANAGER).post(correction, {"reason": "Zeile 3 doppelt erfasst."})
    made = PaperBatch.objects.get(corrects=batch)
    pages.get(client(MANAGER), "correction stack", made.get_absolute_url())
    errors = run_vnu(pages.files())
    assert not errors, [(pages.labels.get(Path(e["url"]).name), e["message"]) for e in errors]
