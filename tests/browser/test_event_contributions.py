"""Events: "Was hier eingebracht wurde" – the contributions collected at an event.

Staff link contributions handed in offline to the event afterwards on its documentation
page (by keyboard, the error state with the focus on its summary, removing a link), and
residents read them on the event page, counted by kind and linked to their pages: axe 0
violations and no sideways scrolling at 1280 and 320 px, the same without JavaScript, and
both pages through the Nu Html Checker (factories, no demo)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE, tab_to
from playwright.sync_api import Page, expect
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots")
PROPOSAL = "Trinkbrunnen am Marktplatz"
COMMENT = "Mehr Schatten an der Bushaltestelle, notiert am Flipchart"
POLL = "Vitale Innenstadt"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(SHOTS / f"events-collected-{name}-{width}px.png"), full_page=True)


def _meeting() -> dict[str, Any]:
    """A workshop three days ago in a public project, its municipality's administration,
    and what was handed in there offline: a proposal, a comment, and a stack of three
    paper questionnaires already linked when it was entered (as the batch form does)."""
    from django.utils import timezone

    from mitmachen.comments.tests.factories import CommentFactory
    from mitmachen.core.channels import Channel
    from mitmachen.events.tests.factories import EventFactory
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import (
        DistrictFactory,
        MembershipFactory,
        OrganisationFactory,
        square,
    )
    from mitmachen.polls import services as polls_services
    from mitmachen.polls.tests.factories import PollFactory, every_kind, full_answers
    from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
    from mitmachen.proposals.tests.factories import ProposalFactory

    organisation = OrganisationFactory(slug="belzig")
    district = DistrictFactory(
        organisation=organisation, name="West", slug="west", geometry=square(12.0, 52.0)
    )
    project = ProjectFactory(organisation=organisation, slug="zukunft", title="Zukunft Innenstadt")
    project.districts.set([district])
    PhaseFactory(project=project, actions=["propose", "support", "comment"])
    staff = MembershipFactory(organisation=organisation, role=Role.ADMIN).user
    start = timezone.now() - timedelta(days=3)
    event = EventFactory(
        organisation=organisation,
        district=district,
        projects=[project],
        title="Werkstatt im Rathaus",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    proposal = ProposalFactory(
        project=project,
        author=None,
        title=PROPOSAL,
        channel=Channel.WORKSHOP,
        submitted_on=timezone.localdate() - timedelta(days=2),
        offline_place="Werkstatt im Rathaus",
    )
    comment = CommentFactory(project=project, author=None, channel=Channel.WORKSHOP, text=COMMENT)
    poll = PollFactory(project=project, title=POLL)
    questions = every_kind(poll)
    batch = polls_services.batch_create(
        user=staff,
        poll=poll,
        data=polls_services.BatchData(
            channel="workshop",
            place="Rathaus",
            collected_on=timezone.localdate() - timedelta(days=3),
            event_id=event.pk,
        ),
    )
    for _n in range(3):
        polls_services.paper_response_create(
            user=staff, batch=batch, data=full_answers(questions, district)
        )
    return {
        "event": event,
        "staff": staff,
        "proposal": proposal,
        "comment": comment,
        "poll": poll,
    }


def _choose_by_keyboard(page: Page, label: str) -> None:
    """Tab to the contribution's list and move through it with the arrow keys until
    ``label`` is chosen (a closed ``<select>`` changes its value with them)."""
    tab_to(page, "#beitrag-contribution")
    for _ in range(10):
        page.keyboard.press("ArrowDown")
        chosen = page.locator("#beitrag-contribution option:checked").inner_text()
        if chosen.startswith(label):
            return
    raise AssertionError(f"{label!r} is not among the choices")


def _documentation(event: Any) -> str:
    return f"/veranstaltungen/{event.pk}/dokumentation/"


def test_staff_link_by_keyboard_and_residents_read_what_came_in(
    make_context: Any, login_as: Any
) -> None:
    rows = _meeting()
    event = rows["event"]
    context, guard = make_context(viewport=DESKTOP, bypass_csp=True)
    guard.allow_console_error(r"status of 400")  # the link form sent back with its error
    login_as(context, rows["staff"].email)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("documentation page with the linked paper questionnaires", _documentation(event))
    section = page.locator("#beitraege")
    expect(section.get_by_role("heading", name="3 ausgefüllte Papierfragebögen")).to_be_visible()
    # Sending the form without a choice: the error state, the focus on its summary.
    page.get_by_role("button", name="Verknüpfen").click()
    assert page.title().startswith("Fehler:")
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.locator("#beitrag-contribution-error")).to_contain_text(
        "Bitte wählen Sie einen Beitrag."
    )
    for viewport in (DESKTOP, MOBILE):
        page.set_viewport_size(viewport)
        report.check(f"link form with its error at {viewport['width']} px")
    page.set_viewport_size(DESKTOP)
    # By keyboard: the proposal, then the comment, each chosen and sent with Enter.
    for kind, title in (("Vorschlag", PROPOSAL), ("Kommentar", COMMENT[:40])):
        _choose_by_keyboard(page, f"{kind}: {title}")
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name="Verknüpfen")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.get_by_text(f"Verknüpft: {kind}")).to_be_visible()
    expect(section.get_by_role("heading", name="1 Vorschlag", exact=True)).to_be_visible()
    expect(section.get_by_role("heading", name="1 Kommentar", exact=True)).to_be_visible()
    # Nothing left to link: the form says so instead of offering an empty list.
    expect(page.get_by_text("Es gibt keine offline eingegangenen Beiträge")).to_be_visible()
    for viewport in (DESKTOP, MOBILE):
        page.set_viewport_size(viewport)
        report.check(f"documentation page with three kinds linked at {viewport['width']} px")
        _shot(page, "documentation")
    page.set_viewport_size(DESKTOP)
    report.assert_clean()

    for viewport in (DESKTOP, MOBILE):
        context, _guard = make_context(viewport=viewport, bypass_csp=True)
        page = context.new_page()
        report = AxeReport(page)
        report.visit("event page with what came in, anonymous", event.get_absolute_url())
        section = page.get_by_role("region", name="Was hier eingebracht wurde")
        # In the order the modules are declared (comments, paper questionnaires, proposals).
        expect(section.get_by_role("heading", level=3)).to_have_text(
            ["1 Kommentar", "3 ausgefüllte Papierfragebögen", "1 Vorschlag"]
        )
        _shot(page, "event")
        section.get_by_role("link", name=PROPOSAL).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(PROPOSAL)
        page.go_back()
        page.get_by_role("region", name="Was hier eingebracht wurde").get_by_role(
            "link", name=POLL
        ).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(POLL)
        report.assert_clean()


def test_staff_remove_a_link_and_the_contribution_stays(make_context: Any, login_as: Any) -> None:
    from mitmachen.events.services import contribution_link
    from mitmachen.projects import contributions

    rows = _meeting()
    event = rows["event"]
    contribution_link(
        user=rows["staff"],
        event=event,
        row=rows["proposal"],
        kind=contributions.kind("vorschlag"),
    )
    context, _guard = make_context(viewport=MOBILE, bypass_csp=True)
    login_as(context, rows["staff"].email)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("documentation page, a proposal linked", _documentation(event))
    page.get_by_role("button", name=f"Verknüpfung entfernen: {PROPOSAL}").click()
    expect(page.get_by_text("Die Verknüpfung ist entfernt")).to_be_visible()
    expect(page.locator("#beitraege").get_by_text(PROPOSAL)).to_have_count(0)
    # It can be linked again: it is back among the choices.
    expect(page.locator("#beitrag-contribution")).to_contain_text(PROPOSAL)
    report.check("documentation page after removing the link")
    report.visit("the proposal is still there", rows["proposal"].get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(PROPOSAL)
    report.assert_clean()


def test_linking_and_reading_without_javascript(make_context: Any, login_as: Any) -> None:
    rows = _meeting()
    event = rows["event"]
    context, guard = make_context(viewport=MOBILE, java_script_enabled=False)
    guard.allow_console_error(r"status of 400")
    login_as(context, rows["staff"].email)
    page = context.new_page()
    page.goto(_documentation(event))
    page.get_by_role("button", name="Verknüpfen").click()
    expect(page.locator("#beitrag-contribution-error")).to_contain_text(
        "Bitte wählen Sie einen Beitrag."
    )
    page.locator("#beitrag-contribution").select_option(f"vorschlag:{rows['proposal'].pk}")
    page.get_by_role("button", name="Verknüpfen").click()
    expect(page.get_by_text("Verknüpft: Vorschlag")).to_be_visible()
    page.locator("#beitrag-contribution").select_option(f"kommentar:{rows['comment'].pk}")
    page.get_by_role("button", name="Verknüpfen").click()
    page.get_by_role("button", name=f"Verknüpfung entfernen: {PROPOSAL}").click()
    expect(page.get_by_text("Die Verknüpfung ist entfernt")).to_be_visible()

    context, _guard = make_context(viewport=MOBILE, java_script_enabled=False)
    page = context.new_page()
    page.goto(event.get_absolute_url())
    section = page.get_by_role("region", name="Was hier eingebracht wurde")
    expect(section.get_by_role("heading", level=3)).to_have_text(
        ["1 Kommentar", "3 ausgefüllte Papierfragebögen"]
    )
    expect(section.get_by_text(PROPOSAL)).to_have_count(0)


@pytest.mark.django_db(transaction=False)
def test_the_pages_are_valid_html(tmp_path: Path) -> None:
    """The documentation page with the linked contributions and the link form (also with
    its error) and the event page with "Was hier eingebracht wurde", through the Nu Html
    Checker."""
    from django.test import Client
    from test_html_validity import Pages, run_vnu

    from mitmachen.events.services import contribution_link
    from mitmachen.projects import contributions

    rows = _meeting()
    event = rows["event"]
    contribution_link(
        user=rows["staff"],
        event=event,
        row=rows["comment"],
        kind=contributions.kind("kommentar"),
    )
    pages = Pages(tmp_path)
    staff = Client()
    staff.force_login(rows["staff"])
    pages.get(staff, "documentation with links", _documentation(event))
    pages.post(
        staff,
        "link form with its error",
        f"/veranstaltungen/{event.pk}/beitraege/verknuepfen/",
        {"contribution": ""},
    )
    pages.get(Client(), "event page with what came in", event.get_absolute_url())
    errors = run_vnu(pages.files())
    lines = [
        f"{pages.labels.get(Path(m.get('url', '?')).name, '?')}: line {m.get('lastLine')}: "
        f"{m.get('message')} – {m.get('extract', '')!r}"
        for m in errors
    ]
    assert not lines, "\n".join(lines)
