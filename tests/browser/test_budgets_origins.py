"""Winning ideas of the Bürgerhaushalt and the measures they became (issue 15 §5), in
the browser: the box under a winning idea ("Daraus wurde die Maßnahme …"; for staff
"Maßnahme daraus machen"), the results page with what became of each winner, and the
conversion form; axe at 1280 and 320 px. Built on the demo region: the measures demo
turns all but one winner of "Bürgerhaushalt 2026" into measures.
"""

from __future__ import annotations

from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from playwright.sync_api import expect
from test_accessibility import AxeReport
from test_budgets import MANAGER, _shot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_winners_and_their_measures_accessible(
    demo: None, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    from mitmachen.budgets.models import Budget, Idea
    from mitmachen.budgets.origin import idea_won
    from mitmachen.measures.models import MeasureOrigin

    budget = Budget.objects.get(title="Bürgerhaushalt 2026")
    winners = [i for i in Idea.objects.filter(budget=budget).order_by("pk") if idea_won(i)]
    linked = set(MeasureOrigin.objects.values_list("object_id", flat=True))
    converted = next(i for i in winners if i.pk in linked)
    open_winner = next(i for i in winners if i.pk not in linked)

    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("winning idea with its measure", converted.get_absolute_url())
    expect(page.locator("main")).to_contain_text("Daraus wurde die Maßnahme")
    _shot(page, "idea-measure")
    report.visit("results with measures", f"{budget.get_absolute_url()}ergebnis/")
    expect(page.locator("main")).to_contain_text("noch keine Maßnahme.")
    _shot(page, "results-measures")
    report.assert_clean()

    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(context, MANAGER)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("winner without a measure, staff", open_winner.get_absolute_url())
    link = page.get_by_role("link", name="Maßnahme daraus machen")
    expect(link).to_be_visible()
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("h1")).to_be_visible()
    report.check("conversion form")
    _shot(page, "convert")
    report.assert_clean()


def test_winners_and_their_measures_are_valid_html(demo: None, tmp_path: Any) -> None:
    """The idea with its measure, the results with measures and "noch keine Maßnahme",
    and the conversion form pass the Nu Html Checker."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from test_html_validity import Pages, run_vnu

    from mitmachen.budgets.models import Budget, Idea
    from mitmachen.budgets.origin import idea_won
    from mitmachen.measures.models import MeasureOrigin

    budget = Budget.objects.get(title="Bürgerhaushalt 2026")
    winners = [i for i in Idea.objects.filter(budget=budget).order_by("pk") if idea_won(i)]
    linked = set(MeasureOrigin.objects.values_list("object_id", flat=True))
    converted = next(i for i in winners if i.pk in linked)
    open_winner = next(i for i in winners if i.pk not in linked)
    staff = Client()
    staff.force_login(get_user_model().objects.get(email=MANAGER))
    pages = Pages(tmp_path)
    pages.get(Client(), "idea with its measure", converted.get_absolute_url())
    pages.get(Client(), "results with measures", f"{budget.get_absolute_url()}ergebnis/")
    pages.get(staff, "winner, staff", open_winner.get_absolute_url())
    pages.get(staff, "conversion form", f"/massnahmen/aus/buergerhaushalt/{open_winner.pk}/")
    errors = run_vnu(pages.files())
    assert not errors, [
        (pages.labels.get(e["url"].rsplit("/", 1)[-1]), e["message"]) for e in errors
    ]
