"""Moderation in the browser: reporting, the moderation pages, following and notifications.

The demo region is seeded for each test; on top of it an author ("Bernd Beispiel") writes a
spam proposal and a spam comment that residents report and moderators decide on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE, tab_to
from playwright.sync_api import Page, expect
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

RESIDENT = "bewohnerin@example.org"
MODERATOR = "moderation@example.org"
MANAGER = "projekt@example.org"
AUTHOR = "autor@example.org"
PROJECT = "meine-stadt-der-zukunft"
ORG = "bad-belzig"
QUEUE = f"/verwaltung/moderation/?kommune={ORG}"
SPAM_TITLE = "Gartenzäune 70 % reduziert – nur heute"
SPAM_TEXT = "Bestellen Sie jetzt unter der Nummer im Profil. Lieferung frei Haus."
SPAM_COMMENT = "Besuchen Sie unseren Zaun-Shop, alles muss raus!"
THANKS = "Danke für Ihre Meldung. Die Moderation prüft den Beitrag."
SHOTS = Path("/tmp/shots")


@dataclass
class Scenario:
    proposal: Any  # the author's spam proposal
    discussed: Any  # a demo proposal the author commented on
    comment: Any  # the author's comment on it
    author: Any


def _scenario(*, reported: bool = False) -> Scenario:
    """The author's proposal and comment; ``reported``: the resident reported both."""
    from mitmachen.accounts.tests.factories import UserFactory
    from mitmachen.comments.services import comment_create
    from mitmachen.moderation.services import report_create
    from mitmachen.projects.models import Project
    from mitmachen.proposals.models import Proposal
    from mitmachen.proposals.services import proposal_create

    project = Project.objects.get(slug=PROJECT)
    author = UserFactory(email=AUTHOR, display_name="Bernd Beispiel")
    proposal = proposal_create(author=author, project=project, title=SPAM_TITLE, text=SPAM_TEXT)
    # A proposal without comments, so the author's comment is the first in its thread.
    discussed = (
        Proposal.objects.filter(project=project, comment_count=0, hidden_at=None)
        .exclude(pk=proposal.pk)
        .order_by("pk")
        .first()
    )
    comment = comment_create(author=author, project=project, proposal=discussed, text=SPAM_COMMENT)
    if reported:
        resident = _user(RESIDENT)
        report_create(reporter=resident, target=proposal, reason="spam")
        report_create(
            reporter=resident, target=comment, reason="other", text="Schleichwerbung im Kommentar"
        )
    return Scenario(proposal=proposal, discussed=discussed, comment=comment, author=author)


def _user(email: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=email)


def _shot(page: Page, name: str, viewport: dict[str, int]) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{viewport['width']}px.png"), full_page=True)


def _focused(page: Page, selector: str) -> bool:
    return page.evaluate("(s) => !!document.activeElement?.matches(s)", selector)


def _signed_in(make_context: Any, login_as: Any, email: str, **options: Any) -> Page:
    context, _guard = make_context(**options)
    login_as(context, email)
    return context.new_page()


# 1. Reporting ------------------------------------------------------------------------------


def _report_with_keyboard(page: Page) -> None:
    """Submit empty, then choose "Werbung oder Spam" with Tab, Space and arrows and send."""
    page.get_by_role("button", name="Meldung absenden").click()
    summary = page.locator("#form-errors")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Bitte prüfen Sie Ihre Eingaben.")
    expect(summary).to_contain_text("Bitte wählen Sie einen Grund.")
    expect(page.locator("#grund-fehler")).to_have_text("Bitte wählen Sie einen Grund.")
    expect(summary).to_have_attribute("tabindex", "-1")
    summary.focus()
    assert _focused(page, "#form-errors"), "the error summary cannot take focus"

    page.locator("h1").click()  # start from the top of the form, then keyboard only
    tab_to(page, "input[name=reason]")
    spam = page.get_by_role("radio", name="Werbung oder Spam")
    insult = page.get_by_role("radio", name="Beleidigung, Hass oder Bedrohung")
    expect(spam).to_be_focused()
    page.keyboard.press("Space")
    expect(spam).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(insult).to_be_checked()
    expect(insult).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(spam).to_be_checked()
    expect(insult).not_to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Erläuterung")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Meldung absenden")).to_be_focused()
    page.keyboard.press("Enter")


def test_report_proposal_and_comment(demo: None, make_context: Any, login_as: Any) -> None:
    from mitmachen.moderation.models import Report

    scenario = _scenario()
    page = _signed_in(make_context, login_as, RESIDENT)

    page.goto(scenario.proposal.get_absolute_url())
    page.get_by_role("link", name="Vorschlag melden").click()
    expect(page).to_have_url(re.compile(rf"/melden/vorschlag/{scenario.proposal.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vorschlag melden")
    expect(page.locator(".report-excerpt")).to_contain_text(SPAM_TITLE)
    _report_with_keyboard(page)
    expect(page).to_have_url(re.compile(rf"{scenario.proposal.get_absolute_url()}$"))
    expect(page.get_by_text(THANKS)).to_be_visible()
    report = Report.objects.about(scenario.proposal).get()
    assert (report.reason, report.reporter.email) == ("spam", RESIDENT)

    thread_url = scenario.discussed.get_absolute_url()
    page.goto(thread_url)
    page.get_by_role("link", name="Melden – Kommentar von Bernd Beispiel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kommentar melden")
    expect(page.locator(".report-excerpt")).to_contain_text(SPAM_COMMENT)
    _report_with_keyboard(page)
    expect(page).to_have_url(re.compile(re.escape(thread_url)))
    expect(page.get_by_text(THANKS)).to_be_visible()
    expect(page.get_by_text(SPAM_COMMENT)).to_be_visible()  # one report does not hide it
    assert Report.objects.about(scenario.comment).get().reason == "spam"


def test_report_error_summary_links_to_the_reasons(
    demo: None, make_context: Any, login_as: Any
) -> None:
    scenario = _scenario()
    page = _signed_in(make_context, login_as, RESIDENT)
    page.goto(f"/melden/vorschlag/{scenario.proposal.pk}/")
    page.get_by_role("button", name="Meldung absenden").click()
    link = page.locator("#form-errors a")
    expect(link).to_have_count(1)
    href = link.get_attribute("href") or ""
    assert re.fullmatch(r"#[\w-]+", href), f"the error link points to {href!r}"
    link.click()
    expect(page.get_by_role("radio", name="Werbung oder Spam")).to_be_focused()


# 2. Moderation -----------------------------------------------------------------------------


def test_moderation_flow(demo: None, make_context: Any, login_as: Any) -> None:
    from mitmachen.moderation.models import ActionKind, Block, ModerationAction, Report
    from mitmachen.proposals.models import Proposal

    scenario = _scenario(reported=True)
    proposal_url = scenario.proposal.get_absolute_url()
    page = _signed_in(make_context, login_as, MODERATOR)

    # The queue: the moderator works for two municipalities and lands where reports wait;
    # the switch leads to the other one and back.
    page.goto("/verwaltung/moderation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation: Stadt Bad Belzig")
    page.get_by_label("Kommune").select_option(label="Gemeinde Wiesenburg/Mark")
    page.get_by_role("button", name="Wechseln").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Moderation: Gemeinde Wiesenburg/Mark"
    )
    page.get_by_label("Kommune").select_option(label="Stadt Bad Belzig")
    page.get_by_role("button", name="Wechseln").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation: Stadt Bad Belzig")
    open_reports = Report.objects.filter(organisation__slug=ORG, resolved_at=None).count()
    expect(page.get_by_text(f"{open_reports} offene Meldungen.")).to_be_visible()
    # One list for every kind, the most reported first.
    proposals = comments = page.get_by_role("table", name="Gemeldete Beiträge")
    expect(proposals.get_by_role("row").filter(has_text=SPAM_TITLE)).to_contain_text(
        "Werbung oder Spam"
    )
    expect(comments.get_by_role("row").filter(has_text=SPAM_COMMENT)).to_contain_text(
        "Anderer Grund: „Schleichwerbung im Kommentar“"
    )

    # The item: hiding needs a reason.
    proposals.get_by_role("link", name=SPAM_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vorschlag moderieren")
    expect(page.get_by_role("heading", name="1 offene Meldung")).to_be_visible()
    page.get_by_role("button", name="Ausblenden", exact=True).click()
    expect(page.locator("#form-errors")).to_contain_text("Bitte begründen Sie die Entscheidung.")
    reason_box = page.get_by_label("Begründung für das Ausblenden")
    expect(reason_box).to_have_attribute("aria-invalid", "true")
    assert Proposal.objects.get(pk=scenario.proposal.pk).hidden_at is None
    reason_box.fill("Werbung für einen Zaunhandel.")
    page.get_by_role("button", name="Ausblenden", exact=True).click()
    expect(page.get_by_text("Der Beitrag ist ausgeblendet.")).to_be_visible()
    expect(page.get_by_text("Von der Moderation ausgeblendet", exact=True)).to_be_visible()

    # The public sees neither title nor text; the author sees why.
    public, _guard = make_context()
    public_page = public.new_page()
    public_page.goto(proposal_url)
    expect(public_page.get_by_role("heading", level=1)).to_have_text("Ausgeblendeter Vorschlag")
    assert SPAM_TITLE not in public_page.content()
    assert "Werbung für einen Zaunhandel." not in public_page.content()
    author_page = _signed_in(make_context, login_as, AUTHOR)
    author_page.goto(proposal_url)
    expect(author_page.get_by_text("Begründung: Werbung für einen Zaunhandel.")).to_be_visible()

    # Restoring, and the log lists both decisions.
    page.get_by_label("Begründung für das Wieder-Anzeigen").fill("Nach Rücksprache in Ordnung.")
    page.get_by_role("button", name="Wieder anzeigen").click()
    expect(page.get_by_text("Der Beitrag ist wieder sichtbar.")).to_be_visible()
    public_page.goto(proposal_url)
    expect(public_page.get_by_role("heading", level=1)).to_have_text(SPAM_TITLE)
    page.get_by_role("link", name="Moderation", exact=True).click()
    page.get_by_role("navigation", name="Moderation").get_by_role("link", name="Protokoll").click()
    log = page.get_by_role("table", name="Moderationsprotokoll")
    hide_row = log.get_by_role("row").filter(has_text="Werbung für einen Zaunhandel.")
    restore_row = log.get_by_role("row").filter(has_text="Nach Rücksprache in Ordnung.")
    expect(hide_row).to_contain_text("ausgeblendet")
    expect(hide_row).to_contain_text("Mona Moderation")
    expect(restore_row).to_contain_text("wieder sichtbar gemacht")
    assert list(
        ModerationAction.objects.about(scenario.proposal).values_list("kind", flat=True)
    ) == [ActionKind.RESTORE, ActionKind.HIDE]

    # Blocking the author from the comment's page hides the comment for the public.
    discussed_url = scenario.discussed.get_absolute_url()
    page.goto(f"/verwaltung/moderation/kommentare/{scenario.comment.pk}/")
    page.get_by_role("link", name="Konto der verfassenden Person sperren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Konto sperren")
    page.get_by_role("button", name="Konto sperren").click()
    expect(page.locator("#form-errors")).to_contain_text("Bitte begründen Sie die Entscheidung.")
    page.get_by_label("Begründung").fill("Wiederholt Werbung trotz Hinweis.")
    page.get_by_role("button", name="Konto sperren").click()
    expect(
        page.get_by_text("Das Konto ist gesperrt; seine Beiträge sind ausgeblendet.")
    ).to_be_visible()
    expect(page.get_by_role("table", name="Gesperrte Konten")).to_contain_text("Bernd Beispiel")
    assert Block.objects.filter(user=scenario.author).exists()
    public_page.goto(discussed_url)
    expect(
        public_page.get_by_text("Dieser Kommentar wurde von der Moderation ausgeblendet.")
    ).to_be_visible()
    expect(public_page.get_by_text(SPAM_COMMENT)).to_have_count(0)

    page.get_by_role("link", name=re.compile(r"^Sperrung aufheben\s*: Bernd Beispiel$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sperrung aufheben")
    page.get_by_label("Begründung").fill("Einsicht gezeigt.")
    page.get_by_role("button", name="Sperrung aufheben").click()
    expect(page.get_by_text("Die Sperrung ist aufgehoben.")).to_be_visible()
    expect(page.get_by_text("Keine gesperrten Konten.")).to_be_visible()
    public_page.goto(discussed_url)
    expect(public_page.get_by_text(SPAM_COMMENT)).to_be_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_moderation_pages_accessible(
    demo: None, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    from mitmachen.moderation.services import block, hide
    from mitmachen.organisations.models import Organisation

    scenario = _scenario(reported=True)
    moderator, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(moderator, MODERATOR)
    page = moderator.new_page()
    report = AxeReport(page)
    proposal_page = f"/verwaltung/moderation/vorschlaege/{scenario.proposal.pk}/"
    comment_page = f"/verwaltung/moderation/kommentare/{scenario.comment.pk}/"

    report.visit("queue, open reports", QUEUE)
    _shot(page, "moderation-queue", viewport)
    report.visit("item page, proposal (visible)", proposal_page)
    _shot(page, "moderation-item", viewport)
    page.get_by_role("button", name="Ausblenden", exact=True).click()
    expect(page.locator("#form-errors")).to_be_visible()
    report.check("item page, proposal (error)")
    _shot(page, "moderation-item-error", viewport)
    report.visit("item page, comment (visible)", comment_page)
    report.visit(
        "block form", f"/verwaltung/moderation/sperren/{scenario.author.pk}/?kommune={ORG}"
    )
    page.get_by_role("button", name="Konto sperren").click()
    expect(page.locator("#form-errors")).to_be_visible()
    report.check("block form (error)")

    # Hidden by the moderator (the proposal) and because of a block (the comment).
    mona = _user(MODERATOR)
    hide(moderator=mona, target=scenario.proposal, reason="Werbung.")
    block(
        moderator=mona,
        organisation=Organisation.objects.get(slug=ORG),
        user=scenario.author,
        reason="Wiederholt Werbung.",
    )
    report.visit("item page, proposal (hidden)", proposal_page)
    _shot(page, "moderation-item-hidden", viewport)
    report.visit("item page, comment (hidden by block)", comment_page)
    report.visit("queue, hidden contributions", f"{QUEUE}&ansicht=ausgeblendet")
    _shot(page, "moderation-queue-hidden", viewport)
    report.visit("blocks list", f"/verwaltung/moderation/sperrungen/?kommune={ORG}")
    _shot(page, "moderation-blocks", viewport)
    report.visit(
        "unblock form", f"/verwaltung/moderation/sperren/{scenario.author.pk}/?kommune={ORG}"
    )
    report.visit("log", f"/verwaltung/moderation/protokoll/?kommune={ORG}")
    _shot(page, "moderation-log", viewport)

    public, _guard = make_context(viewport=viewport, bypass_csp=True)
    public_report = AxeReport(public.new_page())
    public_report.visit("hidden proposal (public)", scenario.proposal.get_absolute_url())
    _shot(public_report.page, "hidden-proposal-public", viewport)

    resident, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(resident, RESIDENT)
    resident_report = AxeReport(resident.new_page())
    other = _unreported_demo_proposal()
    resident_report.visit("report form, proposal", f"/melden/vorschlag/{other.pk}/")
    _shot(resident_report.page, "report-form", viewport)
    resident_report.page.get_by_role("button", name="Meldung absenden").click()
    expect(resident_report.page.locator("#form-errors")).to_be_visible()
    resident_report.check("report form, proposal (error)")
    _shot(resident_report.page, "report-form-error", viewport)

    for other_report in (public_report, resident_report):
        report.failures += other_report.failures
        report.checked += other_report.checked
    report.assert_clean()


def test_empty_moderation_tables_at_320px(demo: None, make_context: Any, login_as: Any) -> None:
    context, _guard = make_context(viewport=MOBILE, bypass_csp=True)
    login_as(context, MODERATOR)
    report = AxeReport(context.new_page())
    report.visit("blocks list, empty", f"/verwaltung/moderation/sperrungen/?kommune={ORG}")
    report.visit(
        "queue of a municipality without reports", "/verwaltung/moderation/?kommune=wiesenburg-mark"
    )
    report.assert_clean()


def test_report_form_error_layout(demo: None, make_context: Any, login_as: Any) -> None:
    proposal = _unreported_demo_proposal()
    problems = []
    for viewport in (DESKTOP, MOBILE):
        context, _guard = make_context(viewport=viewport, bypass_csp=True)
        login_as(context, RESIDENT)
        page = context.new_page()
        page.goto(f"/melden/vorschlag/{proposal.pk}/")
        page.get_by_role("button", name="Meldung absenden").click()
        # Measure both at once on the page with the error: its summary takes the focus
        # (autofocus), which scrolls the page between two separate measurements.
        expect(page.locator("#grund-fehler")).to_be_visible()
        legend, error = page.evaluate(
            """() => [document.querySelector("fieldset legend"),
                      document.getElementById("grund-fehler")].map((e) => {
                const r = e.getBoundingClientRect();
                return {y: r.y, height: r.height};
            })"""
        )
        if error["y"] < legend["y"] + legend["height"] - 1:
            problems.append(f"{viewport['width']}px: the error stands beside the legend")
        report = AxeReport(page)
        report.check(f"report form with error, {viewport['width']}px")
        problems += report.failures
    assert not problems, "\n".join(problems)


# 3. Following and notifications --------------------------------------------------------------


def _unreported_demo_proposal() -> Any:
    from mitmachen.proposals.models import Proposal

    return Proposal.objects.get(
        project__slug=PROJECT, title="Leere Läden in der Straße der Einheit zwischennutzen"
    )


def test_follow_and_notification(demo: None, make_context: Any, login_as: Any) -> None:
    from mitmachen.notifications.models import Notification
    from mitmachen.proposals.models import ProposalFollow

    proposal = _unreported_demo_proposal()
    resident = _user(RESIDENT)
    Notification.objects.filter(recipient=resident).delete()
    context, _guard = make_context(bypass_csp=True)
    login_as(context, RESIDENT)
    page = context.new_page()
    page.goto(proposal.get_absolute_url())
    page.evaluate("() => { window.__sameDocument = true; }")

    # With JavaScript the button toggles in place and keeps the keyboard focus.
    button = page.locator("#vorschlag-folgen-knopf")
    expect(button).to_have_text("Vorschlag folgen")
    report = AxeReport(page)
    report.check("proposal with follow button")
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_text("Nicht mehr folgen")
    expect(page.locator("#vorschlag-folgen-status")).to_have_text(
        "Sie folgen jetzt diesem Vorschlag und werden über Neues benachrichtigt."
    )
    expect(button).to_be_focused()
    assert page.evaluate("() => window.__sameDocument === true"), "the page reloaded"
    assert ProposalFollow.objects.filter(proposal=proposal, user=resident).exists()
    report.check("proposal, following")
    page.keyboard.press("Enter")
    expect(button).to_have_text("Vorschlag folgen")
    expect(button).to_be_focused()
    expect(page.locator("#vorschlag-folgen-status")).to_have_text(
        "Sie folgen diesem Vorschlag nicht mehr."
    )
    assert not ProposalFollow.objects.filter(proposal=proposal, user=resident).exists()
    page.keyboard.press("Enter")
    expect(button).to_have_text("Nicht mehr folgen")
    report.assert_clean()

    # The project manager answers with a status.
    manager = _signed_in(make_context, login_as, MANAGER)
    manager.goto(proposal.get_absolute_url())
    manager.get_by_label("Status", exact=True).select_option(label="in Prüfung")
    manager.get_by_label("Rückmeldung der Verwaltung").fill("Wir sprechen mit den Eigentümern.")
    manager.get_by_role("button", name="Status und Rückmeldung veröffentlichen").click()
    expect(manager.get_by_text("Status und Rückmeldung sind veröffentlicht.")).to_be_visible()

    # The resident's header counts it; the list shows it.
    page.goto("/")
    page.get_by_role("link", name="Benachrichtigungen 1 ungelesen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Benachrichtigungen")
    expect(page.locator("main")).to_contain_text(
        f"Rückmeldung der Verwaltung: {proposal.title} – in Prüfung"
    )
    expect(page.locator("main")).to_contain_text("Wir sprechen mit den Eigentümern.")


# 4. Without JavaScript -------------------------------------------------------------------


def test_without_javascript(demo: None, make_context: Any, login_as: Any) -> None:
    from mitmachen.proposals.models import Proposal, ProposalFollow

    scenario = _scenario()
    resident = _signed_in(make_context, login_as, RESIDENT, java_script_enabled=False)

    # Following is a plain form post.
    proposal = _unreported_demo_proposal()
    resident.goto(proposal.get_absolute_url())
    resident.get_by_role("button", name="Vorschlag folgen").click()
    expect(resident.get_by_text("Sie folgen jetzt diesem Vorschlag")).to_be_visible()
    expect(resident.get_by_role("button", name="Nicht mehr folgen")).to_be_visible()
    assert ProposalFollow.objects.filter(proposal=proposal, user__email=RESIDENT).exists()

    # Reporting.
    resident.goto(scenario.proposal.get_absolute_url())
    resident.get_by_role("link", name="Vorschlag melden").click()
    resident.get_by_role("button", name="Meldung absenden").click()
    expect(resident.locator("#form-errors")).to_contain_text("Bitte wählen Sie einen Grund.")
    resident.get_by_role("radio", name="Werbung oder Spam").check()
    resident.get_by_role("button", name="Meldung absenden").click()
    expect(resident.get_by_text(THANKS)).to_be_visible()

    # Hiding.
    moderator = _signed_in(make_context, login_as, MODERATOR, java_script_enabled=False)
    moderator.goto(QUEUE)
    moderator.get_by_role("table", name="Gemeldete Beiträge").get_by_role(
        "link", name=SPAM_TITLE
    ).click()
    moderator.get_by_role("button", name="Ausblenden", exact=True).click()
    expect(moderator.locator("#form-errors")).to_contain_text(
        "Bitte begründen Sie die Entscheidung."
    )
    moderator.get_by_label("Begründung für das Ausblenden").fill("Werbung.")
    moderator.get_by_role("button", name="Ausblenden", exact=True).click()
    expect(moderator.get_by_text("Der Beitrag ist ausgeblendet.")).to_be_visible()
    assert Proposal.objects.get(pk=scenario.proposal.pk).hidden_at is not None
    resident.goto(scenario.proposal.get_absolute_url())
    expect(resident.get_by_role("heading", level=1)).to_have_text("Ausgeblendeter Vorschlag")
