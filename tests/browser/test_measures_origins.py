"""Measures in the browser, third part: the map of measures with its list (also without
JavaScript), staff turning a debate into a measure by keyboard (an error first: focus on
the summary), the debate then saying what became of it, staff turning a survey's
question into a measure from the results page, staff correcting an update, and a
climate target listing its measures. axe at 1280 and 320 px on every page; the pages
pass the Nu Html Checker.

Built with factories (no demo region).
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

SHOTS = Path("/tmp/shots")
AREA = {
    "type": "Polygon",
    "coordinates": [[[12.002, 52.002], [12.008, 52.002], [12.008, 52.008], [12.002, 52.002]]],
}


def _square(lon: float, lat: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]
        ],
    }


def _setting() -> dict[str, Any]:
    from mitmachen.climate.tests.factories import IndicatorFactory, TargetFactory
    from mitmachen.debates.tests.factories import DebateFactory
    from mitmachen.measures import services
    from mitmachen.measures.tests.factories import FieldOfActionFactory, GoalFactory, MeasureFactory
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import (
        DistrictFactory,
        MembershipFactory,
        OrganisationFactory,
    )
    from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory

    for kind in ("planned", "in_progress", "done"):  # a transactional test may have flushed
        services.default_status(kind)
    organisation = OrganisationFactory(slug="musterstadt", name="Musterstadt")
    west = DistrictFactory(
        organisation=organisation, name="West", slug="west", geometry=_square(12.0, 52.0)
    )
    DistrictFactory(
        organisation=organisation, name="Ost", slug="ost", geometry=_square(12.01, 52.0)
    )
    manager = MembershipFactory(organisation=organisation, role=Role.PROJECT_MANAGER).user
    project = ProjectFactory(organisation=organisation, title="Zukunft Musterstadt")
    PhaseFactory(project=project, actions=["debate", "comment"])
    goal = GoalFactory(
        field=FieldOfActionFactory(organisation=organisation, title="Vitale Innenstadt"),
        title="Marktplatz beleben",
    )
    market = MeasureFactory(
        goal=goal, title="Marktplatz-Programm", latitude=52.005, longitude=12.005, progress=40
    )
    market.districts.add(west)
    MeasureFactory(
        goal=goal, title="Grünzug am Bach", area=AREA, status=services.default_status("done")
    )
    MeasureFactory(goal=goal, title="Wohnbedarfsstudie")
    debate = DebateFactory(project=project, question="Soll der Marktplatz autofrei werden?")
    target = TargetFactory(
        indicator=IndicatorFactory(organisation=organisation, slug="co2", title="CO₂ der Region"),
        title="Halbieren bis 2030",
    )
    market.climate_targets.add(target)
    update = services.update_post(
        user=manager, measure=market, text="Die Planung ist fertg.", notify_followers=False
    )
    return {
        "organisation": organisation,
        "manager": manager,
        "market": market,
        "goal": goal,
        "debate": debate,
        "target": target,
        "update": update,
    }


def _check_both(page: Page, report: AxeReport, label: str) -> None:
    for viewport in (DESKTOP, MOBILE):
        page.set_viewport_size(viewport)
        report.check(f"{label}, {viewport['width']}px")
    page.set_viewport_size(DESKTOP)


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_map_of_measures_with_its_list(transactional_db: None, make_context: Any) -> None:
    _setting()
    context, _guard = make_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    report = AxeReport(page)
    page.goto("/kommunen/musterstadt/umsetzung/")
    page.get_by_role("link", name="Karte der Maßnahmen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Karte der Maßnahmen")
    expect(page.locator(".measure-map__marker")).to_have_count(2)
    listed = page.get_by_role("list", name="Die Maßnahmen der Karte als Liste")
    expect(listed.get_by_role("link")).to_have_count(2)
    expect(page.get_by_text("1 weitere Maßnahme hat keinen Ort")).to_be_visible()
    _check_both(page, report, "map of measures")
    _shot(page, "measures-map-1280px")
    page.set_viewport_size(MOBILE)
    _shot(page, "measures-map-320px")
    report.assert_clean()


def test_map_filters_without_javascript(transactional_db: None, make_context: Any) -> None:
    _setting()
    context, _guard = make_context(java_script_enabled=False)
    page = context.new_page()
    page.goto("/kommunen/musterstadt/umsetzung/karte/")
    page.get_by_label("Status").select_option("done")
    page.get_by_role("button", name="Filtern").click()
    expect(page).to_have_url(re.compile(r"status=done"))
    listed = page.get_by_role("list", name="Die Maßnahmen der Karte als Liste")
    expect(listed.get_by_role("link")).to_have_text(["Grünzug am Bach"])


def test_staff_turn_a_debate_into_a_measure_by_keyboard(
    transactional_db: None, make_context: Any, login_as: Any
) -> None:
    from mitmachen.measures.models import Measure

    data = _setting()
    context, _guard = make_context(viewport=DESKTOP, bypass_csp=True)
    login_as(context, data["manager"].email)
    page = context.new_page()
    report = AxeReport(page)
    page.goto(data["debate"].get_absolute_url())
    page.get_by_role("link", name="Maßnahme daraus machen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maßnahme aus: Debatte")
    _check_both(page, report, "turn a debate into a measure")
    page.get_by_role("button", name="Speichern").focus()
    page.keyboard.press("Enter")  # neither a goal nor a measure
    expect(page).to_have_title(re.compile("^Fehler:"))
    expect(page.locator(".kern-alert--danger")).to_be_focused()
    assert not Measure.objects.filter(origins__isnull=False).exists()
    _check_both(page, report, "turn a debate into a measure, with an error")
    page.get_by_label("Neue Maßnahme unter dem Ziel").select_option(str(data["goal"].pk))
    page.get_by_role("button", name="Speichern").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Die Maßnahme ist angelegt")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Soll der Marktplatz autofrei werden?"
    )
    expect(page.get_by_role("link", name="Soll der Marktplatz autofrei werden?")).to_be_visible()
    _check_both(page, report, "measure page with a debate as its origin")
    page.goto(data["debate"].get_absolute_url())
    expect(page.get_by_text("Daraus wurde die Maßnahme")).to_be_visible()
    _check_both(page, report, "debate with what became of it")
    _shot(page, "debate-became-measure-1280px")
    report.assert_clean()


def test_staff_correct_an_update_and_the_target_lists_its_measures(
    transactional_db: None, make_context: Any, login_as: Any
) -> None:
    data = _setting()
    context, _guard = make_context(viewport=DESKTOP, bypass_csp=True)
    login_as(context, data["manager"].email)
    page = context.new_page()
    report = AxeReport(page)
    page.goto(data["market"].get_absolute_url())
    page.get_by_role("link", name=re.compile("^Neuigkeit vom .* bearbeiten$")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Neuigkeit bearbeiten")
    page.get_by_label("Text der Neuigkeit").fill("")
    page.get_by_role("button", name="Speichern").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    expect(page.locator(".kern-alert--danger")).to_be_focused()
    _check_both(page, report, "correct an update, with an error")
    page.get_by_label("Text der Neuigkeit").fill("Die Planung ist fertig.")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Die Neuigkeit ist geändert.")).to_be_visible()
    expect(page.get_by_text(re.compile("^Bearbeitet am"))).to_be_visible()
    expect(page.get_by_role("link", name="Halbieren bis 2030")).to_be_visible()
    page.get_by_role("link", name="Halbieren bis 2030").click()
    expect(page.get_by_role("heading", name="Maßnahmen für dieses Ziel")).to_be_visible()
    expect(page.get_by_role("link", name="Marktplatz-Programm")).to_be_visible()
    _check_both(page, report, "indicator with a target and its measures")
    _shot(page, "climate-target-measures-1280px")
    report.assert_clean()


def test_new_pages_are_valid_html(transactional_db: None, tmp_path: Path) -> None:
    from django.test import Client
    from test_html_validity import Pages, run_vnu

    data = _setting()
    pages = Pages(tmp_path)
    client = Client()
    pages.get(client, "map of measures", "/kommunen/musterstadt/umsetzung/karte/")
    pages.get(client, "indicator with measures", data["target"].indicator.get_absolute_url())
    client.force_login(data["manager"])
    pages.get(client, "debate, staff", data["debate"].get_absolute_url())
    url = f"/massnahmen/aus/debatte/{data['debate'].pk}/"
    pages.get(client, "from a debate", url)
    pages.post(client, "from a debate, error", url, {"title": ""})
    edit = f"/massnahmen/neuigkeiten/{data['update'].pk}/bearbeiten/"
    pages.post(client, "correct an update, error", edit, {"text": ""})
    errors = run_vnu(pages.files())
    assert not errors, "\n".join(
        f"{pages.labels.get(Path(e['url']).name, e['url'])}: {e['message']}" for e in errors
    )


def _survey_with_questions(data: dict[str, Any]) -> Any:
    """An ended survey of the setting's project with two questions (results public)."""
    from django.utils import timezone

    from mitmachen.polls.tests.factories import PollFactory, QuestionFactory

    poll = PollFactory(project=_project(data), title="Innenstadt")
    poll.closed_at = timezone.now()
    poll.save()
    QuestionFactory(poll=poll, text="Wie oft kommen Sie in die Stadt?", position=1)
    QuestionFactory(poll=poll, text="Soll der Samstag autofrei werden?", position=2)
    return poll


def _project(data: dict[str, Any]) -> Any:
    from mitmachen.projects.models import Project

    return Project.objects.get(organisation=data["organisation"])


def test_staff_turn_a_survey_question_into_a_measure_by_keyboard(
    transactional_db: None, make_context: Any, login_as: Any
) -> None:
    """Under a survey's results, "Was aus einzelnen Fragen wurde" offers staff each
    question; the measure made of one links back to that question's results."""
    from mitmachen.measures.models import Measure

    data = _setting()
    poll = _survey_with_questions(data)
    context, _guard = make_context(viewport=DESKTOP, bypass_csp=True)
    login_as(context, data["manager"].email)
    page = context.new_page()
    report = AxeReport(page)
    page.goto(f"/umfragen/{poll.pk}/ergebnisse/")
    box = page.get_by_role("region", name="Was aus einzelnen Fragen wurde")
    _check_both(page, report, "survey results with the questions' box (staff)")
    box.get_by_role("link", name="Maßnahme aus Nr. 2 machen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Maßnahme aus: Ergebnis einer Umfragefrage"
    )
    page.get_by_label("Neue Maßnahme unter dem Ziel").select_option(str(data["goal"].pk))
    page.get_by_role("button", name="Speichern").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Die Maßnahme ist angelegt")).to_be_visible()
    measure = Measure.objects.get(origins__isnull=False)
    assert measure.title == "Soll der Samstag autofrei werden?"
    origin = page.get_by_role("link", name="Soll der Samstag autofrei werden?")
    _check_both(page, report, "measure page with a survey question as its origin")
    origin.click()
    box = page.get_by_role("region", name="Was aus einzelnen Fragen wurde")
    expect(box.get_by_text("Daraus wurde die Maßnahme")).to_be_visible()
    _shot(page, "question-became-measure-1280px")
    context.clear_cookies()
    page.reload()
    expect(box.get_by_role("link", name="2. Soll der Samstag autofrei werden?")).to_be_visible()
    expect(box.get_by_role("listitem")).to_have_count(1)
    _check_both(page, report, "survey results with the questions' box (anonymous)")
    report.assert_clean()


def test_the_questions_box_is_valid_html(transactional_db: None, tmp_path: Path) -> None:
    from django.test import Client
    from test_html_validity import Pages, run_vnu

    data = _setting()
    poll = _survey_with_questions(data)
    pages = Pages(tmp_path)
    client = Client()
    client.force_login(data["manager"])
    pages.get(client, "survey results, staff", f"/umfragen/{poll.pk}/ergebnisse/")
    errors = run_vnu(pages.files())
    assert not errors, "\n".join(
        f"{pages.labels.get(Path(e['url']).name, e['url'])}: {e['message']}" for e in errors
    )
