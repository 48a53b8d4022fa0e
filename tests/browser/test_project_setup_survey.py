"""A member of staff who has never seen the tool sets up a project with three phases and a
survey from scratch and publishes it – by keyboard only, with axe (0 violations, WCAG 2.1
AA, no sideways scrolling) on every page on the way, at 1280 and 320 px. The time from
"Meine Projekte" to published is printed, without the time axe takes (docs/staff.md gives
the figure).

No demo region: a fresh municipality with one Ortsteil and a project manager who has
nothing yet, as on a new installation.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE, tab_to, type_into
from playwright.sync_api import Page, expect
from staff_helpers import add_phase, shot
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

STAFF = "neu-im-amt@example.org"


def _choose_radio(page: Page, name: str, value: str, limit: int = 20) -> None:
    """Tab into a radio group and move with the arrow keys to ``value`` (as a keyboard
    user does: only one radio of a group is a tab stop)."""
    tab_to(page, f"input[type='radio'][name='{name}']")
    for _ in range(limit):
        if page.evaluate("(v) => document.activeElement?.value === v", value):
            page.keyboard.press("Space")
            expect(page.locator(f"input[name='{name}'][value='{value}']")).to_be_checked()
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no radio {name}={value}")


class Clock:
    """The time a person spends, without the time axe takes on the way."""

    def __init__(self, report: AxeReport) -> None:
        self.report = report
        self.started = time.monotonic()
        self.axe = 0.0

    def check(self, label: str) -> None:
        before = time.monotonic()
        self.report.check(label)
        self.axe += time.monotonic() - before

    def took(self) -> float:
        return time.monotonic() - self.started - self.axe


def _tab_to_text(page: Page, selector: str, text: str, limit: int = 200) -> None:
    """Press Tab until the focused element matches ``selector`` and reads ``text``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "([s, t]) => !!document.activeElement?.matches(s)"
            " && document.activeElement.textContent.trim() === t",
            [selector, text],
        ):
            return
    raise AssertionError(f"Tab never reached {selector} {text!r}")


def _submit(page: Page, label: str) -> None:
    _tab_to_text(page, "button[type='submit']", label)
    page.keyboard.press("Enter")


def _add_question(page: Page, clock: Clock, kind: str, text: str, options: str = "") -> None:
    tab_to(page, "a[href$='/fragen/neu/']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Frage hinzufügen")
    _choose_radio(page, "kind", kind)
    type_into(page, "#id_text", text)
    if options:
        type_into(page, "#id_options", options)
    _submit(page, "Frage speichern")
    expect(page.locator(".messages")).to_contain_text(f"Die Frage „{text}“ ist gespeichert.")


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_a_newcomer_sets_up_a_project_with_a_survey_by_keyboard(
    make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    from mitmachen.accounts.tests.factories import UserFactory
    from mitmachen.organisations.models import Membership, Role
    from mitmachen.organisations.tests.factories import DistrictFactory, OrganisationFactory
    from mitmachen.polls.models import Poll
    from mitmachen.projects.models import Project, Visibility

    town = OrganisationFactory(name="Neustadt am Fläming")
    DistrictFactory(organisation=town, name="Altstadt")
    staff = UserFactory(email=STAFF, display_name="Neu im Amt")
    Membership.objects.create(organisation=town, user=staff, role=Role.PROJECT_MANAGER)

    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(context, STAFF)
    page = context.new_page()
    report = AxeReport(page)
    page.goto("/verwaltung/")
    clock = Clock(report)
    clock.check("my projects, empty")

    # 1. Basics, with the contact person.
    tab_to(page, "a[href='/verwaltung/projekte/neu/']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Neuer Beteiligungsprozess")
    clock.check("new project")
    _submit(page, "Entwurf anlegen und weiter zu den Phasen")  # a first slip: empty form
    expect(page.locator("#form-errors")).to_be_focused()
    clock.check("new project, errors")
    type_into(page, "#id_title", "Schulweg sicher machen")
    type_into(page, "#id_summary", "Wo ist der Schulweg gefährlich? Sagen Sie es uns.")
    type_into(page, "#id_contact_name", "Frau Meier, Ordnungsamt")
    type_into(page, "#id_contact_phone", "03381 58-123")
    type_into(page, "#id_contact_email", "meier@example.org")
    tab_to(page, "input[name='districts']")
    page.keyboard.press("Space")
    _submit(page, "Entwurf anlegen und weiter zu den Phasen")
    expect(page.locator(".messages")).to_contain_text("ist als Entwurf angelegt")
    clock.check("set-up overview, new")

    # 2. Three phases; the second takes survey answers.
    today = date.today()
    for name, first, last, actions in (
        ("Information", 7, 13, []),
        ("Umfrage", 14, 35, ["answer"]),
        ("Auswertung", 36, 60, []),
    ):
        add_phase(
            page,
            name,
            today + timedelta(days=first),
            today + timedelta(days=last),
            actions,
            on_form=clock.check,
        )
    expect(page.locator(".setup-timeline > li h3")).to_have_text(
        ["Information", "Umfrage", "Auswertung"]
    )

    # 3. The survey: settings, then three questions.
    tab_to(page, "a[href$='/umfragen/neu/']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Umfrage hinzufügen")
    clock.check("new survey")
    expect(page.locator("#id_phase option:checked")).to_have_text("Umfrage")
    type_into(page, "#id_title", "Unser Schulweg")
    tab_to(page, "#id_is_published")
    page.keyboard.press("Space")
    _submit(page, "Umfrage anlegen und weiter zu den Fragen")
    expect(page.locator(".messages")).to_contain_text("Die Umfrage „Unser Schulweg“ ist angelegt.")
    clock.check("survey set-up, empty")
    tab_to(page, "a[href$='/fragen/neu/']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Frage hinzufügen")
    clock.check("new question")
    _submit(page, "Frage speichern")  # a slip: nothing chosen
    expect(page.locator("#form-errors")).to_be_focused()
    clock.check("new question, errors")
    _tab_to_text(page, "a", "Abbrechen")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Unser Schulweg")
    _add_question(
        page,
        clock,
        "single",
        "Wie kommt Ihr Kind zur Schule?",
        "Zu Fuß\nMit dem Rad\nMit dem Bus\nMit dem Auto",
    )
    _add_question(page, clock, "scale", "Wie sicher fühlt sich der Weg an?")
    _add_question(page, clock, "district", "In welchem Ortsteil wohnen Sie?")
    clock.check("survey set-up, three questions")
    expect(page.locator(".setup-timeline > li h3")).to_have_text(
        [
            "Wie kommt Ihr Kind zur Schule?",
            "Wie sicher fühlt sich der Weg an?",
            "In welchem Ortsteil wohnen Sie?",
        ]
    )

    # 4. Back to the project, preview, publish.
    _tab_to_text(page, "a", "Zurück zur Einrichtung des Beteiligungsprozesses")
    page.keyboard.press("Enter")
    expect(page.locator("#inhalte-umfragen + ul")).to_contain_text("Unser Schulweg")
    clock.check("set-up overview, complete")
    tab_to(page, "a[href$='/vorschau/']")
    page.keyboard.press("Enter")
    expect(page.locator(".kern-alert--info")).to_contain_text("Vorschau")
    clock.check("preview")
    _tab_to_text(page, "a", "Zurück zur Einrichtung")
    page.keyboard.press("Enter")
    expect(page.locator("#veroeffentlichen")).to_be_visible()
    tab_to(page, "form:has(input[type='hidden'][value='public']) button")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Veröffentlicht: Öffentlich.")
    took = clock.took()
    clock.check("published")
    width = viewport["width"]
    print(
        f"\nnewcomer set-up by keyboard at {width}px (3 phases, survey with 3 questions, "
        f"published): {took:.1f} s without {clock.axe:.1f} s of axe"
    )
    shot(page, "setup", "survey-published")

    project = Project.objects.get(slug="schulweg-sicher-machen")
    assert project.visibility == Visibility.PUBLIC
    assert project.contact_name == "Frau Meier, Ordnungsamt"
    assert [p.name for p in project.ordered_phases()] == ["Information", "Umfrage", "Auswertung"]
    poll = Poll.objects.get(project=project)
    assert poll.is_published and poll.phase.name == "Umfrage"
    assert [q.kind for q in poll.questions.order_by("position")] == ["single", "scale", "district"]

    # Residents see the project, its contact and the survey.
    public = context.new_page()
    public.goto(project.get_absolute_url())
    expect(public.locator("#kontakt-titel")).to_have_text("Ihre Ansprechperson")
    expect(public.get_by_role("link", name="Unser Schulweg").first).to_be_visible()
    public.goto(poll.get_absolute_url())
    expect(public.locator("h1")).to_contain_text("Unser Schulweg")
    report.page = public
    report.check("public survey page")
    report.assert_clean()
