"""Shared set-up and keyboard helpers of the survey browser tests (test_polls*.py).

A region made with factories (Bad Belzig, four Ortsteile, a resident, a project manager
and an administrator), a survey with every question kind, and helpers that answer it by
keyboard alone and check focus, ids and stored answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect
from test_accessibility import AxeReport

RESIDENT = "bewohnerin@example.org"
MANAGER = "projekt@example.org"  # project manager (not a superuser)
MANAGER_NAME = "Paul Projektleitung"
ADMIN = "admin@example.org"  # the second member of staff who checks a batch
ADMIN_NAME = "Anja Admin"
SHOTS = Path("/tmp/polls-shots")
DISTRICTS = {
    "bad-belzig": "Bad Belzig",
    "hagelberg": "Hagelberg",
    "luebnitz": "Lübnitz",
    "werbig": "Werbig",
}

ALREADY_ANSWERED = "Sie haben an dieser Umfrage bereits teilgenommen."
REQUIRED = "Bitte beantworten Sie diese Frage."

# What the resident enters (indices are option positions).
SHORT_TEXT = "Der Brunnen am Markt"
LONG_TEXT_LINES = ("Mehr Schatten im Sommer.", "Und einen Trinkbrunnen am Rathaus.")
LONG_TEXT = "\n".join(LONG_TEXT_LINES)
RANK_PLACES = {0: 3, 1: 1, 2: 2}  # option index → place chosen


# --- data ------------------------------------------------------------------------------


@dataclass
class Survey:
    poll: Any
    q: dict[str, Any]  # kind → Question

    def name(self, kind: str) -> str:
        return self.q[kind].field_name()

    def option(self, kind: str, index: int) -> Any:
        return list(self.q[kind].options.order_by("position", "pk"))[index]

    def option_id(self, kind: str, index: int) -> str:
        return f"{self.name(kind)}-{self.option(kind, index).pk}"

    @property
    def url(self) -> str:
        return self.poll.get_absolute_url()


def _user(email: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=email)


def _district(slug: str) -> Any:
    from mitmachen.organisations.models import District

    return District.objects.get(slug=slug)


def make_region() -> None:
    """Bad Belzig with four Ortsteile, a resident, a project manager and an administrator.

    Made with factories: seeding the whole demo takes seconds per test.
    """
    from mitmachen.accounts.tests.factories import UserFactory
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import (
        DistrictFactory,
        MembershipFactory,
        OrganisationFactory,
        square,
    )
    from mitmachen.projects.tests.factories import ProjectFactory

    organisation = OrganisationFactory(name="Stadt Bad Belzig", slug="bad-belzig")
    districts = [
        DistrictFactory(
            organisation=organisation, name=name, slug=slug, geometry=square(12.5 + i / 50, 52.1)
        )
        for i, (slug, name) in enumerate(DISTRICTS.items())
    ]
    UserFactory(email=RESIDENT, display_name="Renate aus Lübnitz")
    manager = UserFactory(email=MANAGER, display_name=MANAGER_NAME)
    MembershipFactory(organisation=organisation, user=manager, role=Role.PROJECT_MANAGER)
    MembershipFactory(
        organisation=organisation,
        user=UserFactory(email=ADMIN, display_name=ADMIN_NAME),
        role=Role.ADMIN,
    )
    project = ProjectFactory(
        organisation=organisation, title="Innenstadt im Gespräch", slug="innenstadt-im-gespraech"
    )
    project.districts.set(districts)
    project.managers.add(manager)


def _project() -> Any:
    from mitmachen.projects.models import Project

    return Project.objects.get(slug="innenstadt-im-gespraech")


def _survey(
    *,
    title: str = "Wie soll die Innenstadt werden?",
    eligibility: str = "registered",
    results: str = "live",
) -> Survey:
    """A published, running poll with one question of every kind."""
    from mitmachen.polls.models import QuestionKind as K
    from mitmachen.polls.services import ensure_preset_options
    from mitmachen.polls.tests.factories import OptionFactory, PollFactory, QuestionFactory

    poll = PollFactory(
        project=_project(),
        title=title,
        intro="Ihre Meinung zur **Innenstadt** zählt. Das Ausfüllen dauert etwa fünf Minuten.",
        eligibility=eligibility,
        results_visibility=results,
    )
    specs: list[tuple[str, dict[str, Any], list[str]]] = [
        (
            K.SINGLE,
            {"text": "Wie oft sind Sie in der Innenstadt?"},
            ["täglich", "mehrmals pro Woche", "seltener"],
        ),
        (
            K.MULTIPLE,
            {
                "text": "Was fehlt Ihnen in der Innenstadt am meisten?",
                "min_choices": 1,
                "max_choices": 2,
            },
            ["Sitzbänke", "Schatten und Bäume", "Cafés", "Fahrradbügel"],
        ),
        (K.YES_NO, {"text": "Soll der Marktplatz autofrei werden?"}, []),
        (
            K.SCALE,
            {
                "text": "Wie wichtig ist Ihnen ein Wochenmarkt?",
                "scale_min": 1,
                "scale_max": 5,
                "scale_min_label": "unwichtig",
                "scale_max_label": "sehr wichtig",
            },
            [],
        ),
        (
            K.RANKING,
            {
                "text": "Was soll zuerst umgesetzt werden?",
                "help_text": "Platz 1 ist Ihnen am wichtigsten.",
            },
            ["Spielplatz am Burgberg", "Radweg zum Bahnhof", "Bücherei im Rathaus"],
        ),
        (
            K.SHORT_TEXT,
            {"text": "Ihr Lieblingsort in der Innenstadt", "required": False, "max_length": 80},
            [],
        ),
        (K.LONG_TEXT, {"text": "Was möchten Sie uns noch sagen?", "required": False}, []),
        (K.DISTRICT, {"text": "In welchem Ortsteil wohnen Sie?", "required": False}, []),
        (K.AGE_GROUP, {"text": "Wie alt sind Sie?", "required": False}, []),
    ]
    questions = {}
    for position, (kind, fields, labels) in enumerate(specs):
        question = QuestionFactory(poll=poll, kind=kind, position=position, **fields)
        for i, label in enumerate(labels):
            OptionFactory(question=question, label=label, position=i)
        ensure_preset_options(question)
        questions[str(kind)] = question
    return Survey(poll=poll, q=questions)


def _expected(s: Survey) -> dict[int, Any]:
    """The answers the keyboard flow enters, as ``services.answers_of`` returns them."""
    ranked = sorted(RANK_PLACES, key=RANK_PLACES.get)
    return {
        s.q["single"].pk: s.option("single", 1).pk,
        s.q["multiple"].pk: [s.option("multiple", 0).pk, s.option("multiple", 2).pk],
        s.q["yes_no"].pk: s.option("yes_no", 1).pk,  # Nein
        s.q["scale"].pk: 4,
        s.q["ranking"].pk: [s.option("ranking", i).pk for i in ranked],
        s.q["short_text"].pk: SHORT_TEXT,
        s.q["long_text"].pk: LONG_TEXT,
        s.q["district"].pk: _district("werbig").pk,
        s.q["age_group"].pk: s.option("age_group", 3).pk,  # 45 bis 64 Jahre
    }


def _stored(response: Any) -> dict[int, Any]:
    """The stored answers of ``response`` (line breaks as LF, as ``TextAnswerField`` keeps them)."""
    from mitmachen.polls.models import Response
    from mitmachen.polls.services import answers_of, questions_of

    response = Response.objects.prefetch_related("answers").get(pk=response.pk)
    return answers_of(response, questions_of(response.poll))


# --- keyboard helpers ------------------------------------------------------------------

FOCUS_JS = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return {visible: false, what: "body"};
    const s = getComputedStyle(e);
    const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
    const shadow = s.boxShadow && s.boxShadow !== "none";
    const r = e.getBoundingClientRect();
    const inView = r.bottom > 0 && r.top < window.innerHeight && r.width > 0;
    return {visible: (outline || shadow) && inView, what: e.outerHTML.slice(0, 120),
            outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
            shadow: s.boxShadow, inView};
}"""


def _assert_focus_visible(page: Page) -> None:
    """The focused element shows a focus indicator (outline or shadow) and is on screen.

    KERN scrolls smoothly (``scroll-behavior: smooth``), so the element may take a few
    frames to arrive in the viewport.
    """
    for _ in range(40):
        state = page.evaluate(FOCUS_JS)
        if state["visible"]:
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"no visible focus indicator: {state}")


def _assert_unique_ids(page: Page) -> None:
    """No id twice: labels, error links and aria-describedby point at the first one only."""
    twice = page.evaluate(
        """() => { const seen = {}; for (const e of document.querySelectorAll("[id]"))
                   seen[e.id] = (seen[e.id] || 0) + 1;
                   return Object.keys(seen).filter((id) => seen[id] > 1); }"""
    )
    assert not twice, f"ids used more than once on {page.url}: {twice}"


def _focused(page: Page, selector: str) -> bool:
    return page.evaluate("(s) => !!document.activeElement?.matches(s)", selector)


def _tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``selector`` (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _focused(page, selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _skip_to_content(page: Page) -> None:
    """Go to the skip link (Tab, or Shift+Tab back up) and follow it (keyboard only)."""
    page.keyboard.press("Tab")
    for _ in range(30):
        if _focused(page, ".skip-link"):
            break
        page.keyboard.press("Shift+Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#inhalt")).to_be_focused()


def _press(page: Page, key: str, times: int = 1) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def _answer_by_keyboard(page: Page, s: Survey, *, skip_scale: bool = False) -> None:
    """Answer every question with the keyboard, starting before the first question.

    Every group is entered with Tab and checked for a visible focus indicator; radios
    are chosen with the arrow keys, checkboxes with Space, ranking places and the
    Ortsteil by arrow keys and typing in the select, free text by typing.
    """
    single = s.name("single")
    _tab_to(page, f"input[name='{single}']")
    expect(page.locator(f"#{s.option_id('single', 0)}")).to_be_focused()
    _assert_focus_visible(page)
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"#{s.option_id('single', 1)}")).to_be_checked()

    page.keyboard.press("Tab")  # multiple choice: Space checks, Tab moves, Shift+Tab goes back
    boxes = [page.locator(f"#{s.option_id('multiple', i)}") for i in range(4)]
    expect(boxes[0]).to_be_focused()
    _assert_focus_visible(page)
    page.keyboard.press("Space")
    _press(page, "Tab", 3)
    expect(boxes[3]).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(boxes[2]).to_be_focused()
    page.keyboard.press("Space")
    expect(boxes[0]).to_be_checked()
    expect(boxes[2]).to_be_checked()
    expect(boxes[1]).not_to_be_checked()

    _press(page, "Tab", 2)  # yes / no / abstain: Ja → Nein → Enthaltung → back to Nein
    expect(page.locator(f"#{s.option_id('yes_no', 0)}")).to_be_focused()
    _assert_focus_visible(page)
    _press(page, "ArrowDown", 2)
    expect(page.get_by_role("radio", name="Enthaltung")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("radio", name="Nein", exact=True)).to_be_checked()
    expect(page.get_by_role("radio", name="Nein", exact=True)).to_be_focused()

    page.keyboard.press("Tab")  # rating scale 1–5
    scale = s.name("scale")
    expect(page.locator(f"#{scale}-v1")).to_be_focused()
    _assert_focus_visible(page)
    if not skip_scale:
        _press(page, "ArrowRight", 3)
        expect(page.locator(f"#{scale}-v4")).to_be_checked()

    for index, place in RANK_PLACES.items():  # ranking: one select per option
        page.keyboard.press("Tab")
        select = page.locator(f"#{s.option_id('ranking', index)}")
        expect(select).to_be_focused()
        _assert_focus_visible(page)
        _press(page, "ArrowDown", place)
        expect(select).to_have_value(str(place))

    page.keyboard.press("Tab")
    expect(page.locator(f"#{s.name('short_text')}")).to_be_focused()
    _assert_focus_visible(page)
    page.keyboard.type(SHORT_TEXT)

    page.keyboard.press("Tab")
    expect(page.locator(f"#{s.name('long_text')}")).to_be_focused()
    page.keyboard.type(LONG_TEXT_LINES[0])
    page.keyboard.press("Enter")
    page.keyboard.type(LONG_TEXT_LINES[1])

    page.keyboard.press("Tab")  # Ortsteil: type-ahead in the select
    district = page.locator(f"#{s.name('district')}")
    expect(district).to_be_focused()
    _assert_focus_visible(page)
    page.keyboard.type("Werbig")
    expect(district).to_have_value(str(_district("werbig").pk))

    page.keyboard.press("Tab")  # age group
    expect(page.locator(f"#{s.option_id('age_group', 0)}")).to_be_focused()
    _press(page, "ArrowDown", 3)
    expect(page.get_by_role("radio", name="45 bis 64 Jahre")).to_be_checked()


def _submit_by_keyboard(page: Page, name: str) -> None:
    _tab_to(page, "form.poll-form button[type=submit]")
    expect(page.get_by_role("button", name=name)).to_be_focused()
    _assert_focus_visible(page)
    page.keyboard.press("Enter")


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _signed_in(make_context: Any, login_as: Any, email: str, **options: Any) -> Page:
    context, _guard = make_context(**options)
    login_as(context, email)
    return context.new_page()


# 1. Answering by keyboard ---------------------------------------------------------------


def _answer_with_error_then_complete(page: Page, s: Survey, report: AxeReport | None) -> None:
    """Leave the required scale out, follow the error link, answer it, send."""
    scale = s.name("scale")
    _skip_to_content(page)
    _answer_by_keyboard(page, s, skip_scale=True)
    _submit_by_keyboard(page, "Antworten absenden")

    summary = page.locator("#form-errors")
    expect(summary).to_contain_text("Bitte prüfen Sie Ihre Eingaben.")
    link = summary.get_by_role("link", name=f"Frage 4: {REQUIRED}")
    expect(link).to_have_attribute("href", f"#{scale}-v1")
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(page.locator(f"#{scale}-fehler")).to_have_text(REQUIRED)
    expect(page.get_by_role("group", name=re.compile("Wie wichtig ist Ihnen"))).to_have_attribute(
        "aria-describedby", re.compile(f"{scale}-fehler")
    )
    # What was entered is still there.
    expect(page.locator(f"#{s.option_id('single', 1)}")).to_be_checked()
    expect(page.locator(f"#{s.option_id('multiple', 2)}")).to_be_checked()
    expect(page.locator(f"#{s.option_id('ranking', 0)}")).to_have_value("3")
    expect(page.locator(f"#{s.name('short_text')}")).to_have_value(SHORT_TEXT)
    expect(page.locator(f"#{s.name('long_text')}")).to_have_value(LONG_TEXT)
    expect(page.locator(f"#{s.name('district')}")).to_have_value(str(_district("werbig").pk))
    if report:
        report.check("questionnaire with a missing required answer")
        _shot(page, "questionnaire-error")

    # The keyboard starts at the error summary; its link puts the focus on the field.
    expect(summary).to_be_focused()
    _assert_focus_visible(page)
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    _assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator(f"#{scale}-v1")).to_be_focused()
    _assert_focus_visible(page)
    _press(page, "ArrowRight", 3)
    expect(page.locator(f"#{scale}-v4")).to_be_checked()
    _submit_by_keyboard(page, "Antworten absenden")


def _fill_with_responses(s: Survey) -> None:
    """Four online answers and two paper questionnaires from a market stand."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from mitmachen.polls import services
    from mitmachen.polls.models import Answer

    users = get_user_model().objects
    districts = [_district("werbig"), _district("hagelberg"), _district("werbig"), None]
    for n, district in enumerate(districts):
        user = users.create_user(email=f"umfrage{n}@example.org", password="x" * 12)
        data = {
            s.q["single"].pk: s.option("single", n % 3).pk,
            s.q["multiple"].pk: [s.option("multiple", n % 4).pk],
            s.q["yes_no"].pk: s.option("yes_no", n % 2).pk,
            s.q["scale"].pk: 2 + n,
            s.q["ranking"].pk: [s.option("ranking", i).pk for i in ((n + k) % 3 for k in range(3))],
            s.q["short_text"].pk: f"Antwort {n}",
            s.q["district"].pk: district.pk if district else None,
        }
        services.response_submit(user=user, poll=s.poll, data=data)
    batch = services.batch_create(
        user=_user(MANAGER),
        poll=s.poll,
        data=services.BatchData(
            channel="market_stand", collected_on=timezone.localdate(), place="Markt"
        ),
    )
    for n in range(2):
        services.paper_response_create(
            user=_user(MANAGER),
            batch=batch,
            data={
                s.q["single"].pk: s.option("single", 0).pk,
                s.q["scale"].pk: 5,
                s.q["district"].pk: _district("luebnitz").pk if n else None,
            },
        )
    first_text = Answer.objects.filter(question=s.q["short_text"]).order_by("pk").first()
    services.text_review(user=_user(MANAGER), answer=first_text, review="approved")
