"""Surveys and polls in the browser: answering.

1. A resident answers a survey with every question type by keyboard alone (Tab,
   Shift+Tab, Space, arrow keys, typing): first with a required answer missing (the error
   summary links to the field), then completely; the database holds exactly what was typed.
2. The same without JavaScript, and the pages at 320 px.
3. A guest (no account) answers a guest poll; a second attempt from the same browser is
   refused with a German message.

Results and paper entry: test_polls_staff.py. axe-core (WCAG 2.1 A/AA) and the reflow
check of ``AxeReport`` run on every page state; the guard of conftest.py fails a test on
console errors and requests to other hosts. Screenshots go to /tmp/polls-shots/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_helpers import MOBILE
from playwright.sync_api import Page, expect
from polls_helpers import (
    ALREADY_ANSWERED,
    MANAGER,
    RANK_PLACES,
    RESIDENT,
    Survey,
    _answer_with_error_then_complete,
    _assert_unique_ids,
    _district,
    _expected,
    _fill_with_responses,
    _shot,
    _signed_in,
    _stored,
    _survey,
    make_region,
)
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def region(transactional_db: None) -> None:
    make_region()


def test_resident_answers_every_question_type_by_keyboard(
    region: None, make_context: Any, login_as: Any
) -> None:
    from mitmachen.polls.models import Response

    s = _survey()
    context, guard = make_context(bypass_csp=True)  # axe is injected inline
    guard.allow_console_error(r"status of 400 \(Bad Request\)")  # the form with errors
    login_as(context, RESIDENT)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("questionnaire", s.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(s.poll.title)
    _assert_unique_ids(page)
    # Every field has its question as its name (label ↔ id).
    expect(page.get_by_role("textbox", name=re.compile("Ihr Lieblingsort"))).to_have_attribute(
        "id", s.name("short_text")
    )
    expect(page.get_by_role("combobox", name=re.compile("In welchem Ortsteil"))).to_have_attribute(
        "id", s.name("district")
    )
    expect(page.get_by_role("combobox", name="Radweg zum Bahnhof")).to_have_attribute(
        "id", s.option_id("ranking", 1)
    )
    expect(
        page.get_by_role("group", name=re.compile("Was fehlt Ihnen"))
    ).to_have_accessible_description("Bitte wählen Sie 1 bis 2 Antworten.")
    _shot(page, "questionnaire")

    _answer_with_error_then_complete(page, s, report)

    expect(page).to_have_url(re.compile(rf"/umfragen/{s.poll.pk}/danke/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Danke für Ihre Teilnahme!")
    expect(page.locator(".messages")).to_contain_text(
        "Vielen Dank! Ihre Antworten sind gespeichert."
    )
    report.check("thank-you page")

    response = Response.objects.get(poll=s.poll)
    assert response.channel == "online"
    assert response.participation.user.email == RESIDENT
    assert response.district == _district("werbig")
    assert _stored(response) == _expected(s)

    # Back on the questionnaire: no second answer.
    report.visit("questionnaire, answered", s.url)
    expect(page.get_by_role("status").filter(has_text=ALREADY_ANSWERED)).to_be_visible()
    expect(page.locator("form.poll-form")).to_have_count(0)
    report.assert_clean()


def test_pages_at_320px(region: None, make_context: Any, login_as: Any) -> None:
    """Reflow (no sideways scrolling) and axe at 320 px: questionnaire, results, paper entry."""
    from mitmachen.polls.models import PaperBatch

    s = _survey()
    _fill_with_responses(s)
    context, guard = make_context(viewport=MOBILE, bypass_csp=True)
    guard.allow_console_error(r"status of 400 \(Bad Request\)")
    login_as(context, RESIDENT)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("questionnaire at 320px", s.url)
    page.get_by_role("button", name="Antworten absenden").press("Enter")
    expect(page.locator("#form-errors li")).to_have_count(5)
    report.check("questionnaire with errors at 320px")
    _shot(page, "questionnaire-error-320px")
    report.visit("results at 320px", f"/umfragen/{s.poll.pk}/ergebnisse/?nach=ortsteil")
    _shot(page, "results-320px")
    report.visit("printable questionnaire at 320px", f"/umfragen/{s.poll.pk}/fragebogen/")
    report.assert_clean()

    staff = _signed_in(make_context, login_as, MANAGER, viewport=MOBILE, bypass_csp=True)
    staff_report = AxeReport(staff)
    batch = PaperBatch.objects.get(poll=s.poll)
    staff_report.visit("paper entry at 320px", f"/verwaltung/umfragen/stapel/{batch.pk}/")
    _shot(staff, "batch-entry-320px")
    staff_report.visit("manage the poll at 320px", f"/verwaltung/umfragen/{s.poll.pk}/")
    staff_report.assert_clean()


# 2. Without JavaScript ---------------------------------------------------------------------


def test_answering_without_javascript(region: None, make_context: Any, login_as: Any) -> None:
    from mitmachen.polls.models import Response

    s = _survey()
    context, guard = make_context(java_script_enabled=False)  # and the CSP enforced
    guard.allow_console_error(r"status of 400 \(Bad Request\)")
    login_as(context, RESIDENT)
    page = context.new_page()
    page.goto(s.url)
    _answer_with_error_then_complete(page, s, None)
    expect(page.get_by_role("heading", level=1)).to_have_text("Danke für Ihre Teilnahme!")
    response = Response.objects.get(poll=s.poll)
    assert _stored(response) == _expected(s)


def test_line_break_counts_as_one_character(region: None, make_context: Any, login_as: Any) -> None:
    """A text as long as the textarea allows is accepted and stored as typed.

    The textarea's ``maxlength`` counts a line break once, but browsers send it as CRLF;
    until ``forms.TextAnswerField.to_python`` turns CRLF into LF, the server counts one character
    more per line break and refuses the text ("höchstens 40 Zeichen (jetzt: 41)").
    """
    from mitmachen.polls.models import Answer, Question

    s = _survey()
    Question.objects.filter(pk=s.q["long_text"].pk).update(max_length=40)
    text = "Mehr Schatten.\nUnd einen Trinkbrunnen, bitte!"[:40]
    context, guard = make_context()
    guard.allow_console_error(r"status of 400 \(Bad Request\)")
    login_as(context, RESIDENT)
    page = context.new_page()
    page.goto(s.url)
    _answer_required(page, s)
    textarea = page.locator(f"#{s.name('long_text')}")
    textarea.fill(text)
    assert textarea.evaluate("(e) => [e.value.length, e.validity.tooLong]") == [40, False]
    with page.expect_navigation():
        page.get_by_role("button", name="Antworten absenden").press("Enter")
    errors = page.locator("#form-errors")
    assert not errors.count(), f"refused: {errors.inner_text()}"
    expect(page.get_by_role("heading", level=1)).to_have_text("Danke für Ihre Teilnahme!")
    assert Answer.objects.get(question=s.q["long_text"]).text == text


# 3. Guests ----------------------------------------------------------------------------------


def _answer_required(page: Page, s: Survey) -> None:
    """The required questions, quickly (this test is about guests, not the keyboard)."""
    page.locator(f"#{s.option_id('single', 0)}").check()
    page.locator(f"#{s.option_id('multiple', 1)}").check()
    page.locator(f"#{s.option_id('yes_no', 0)}").check()
    page.locator(f"#{s.name('scale')}-v5").check()
    for index, place in RANK_PLACES.items():
        page.locator(f"#{s.option_id('ranking', index)}").select_option(str(place))


def test_guest_answers_once(region: None, make_context: Any) -> None:
    from mitmachen.polls.models import Participation, Response

    s = _survey(title="Feierabendmarkt: Ihre Meinung", eligibility="guests")
    context, _guard = make_context(bypass_csp=True)
    report = AxeReport(context.new_page())
    first = report.page
    report.visit("guest questionnaire", s.url)
    expect(first.get_by_text("Sie können auch ohne Konto teilnehmen.")).to_be_visible()
    second = context.new_page()  # the same browser, a second tab opened before sending
    second.goto(s.url)

    _answer_required(first, s)
    first.get_by_role("button", name="Antworten absenden").press("Enter")
    expect(first.get_by_role("heading", level=1)).to_have_text("Danke für Ihre Teilnahme!")
    report.check("thank-you page for a guest")

    _answer_required(second, s)
    second.get_by_role("button", name="Antworten absenden").press("Enter")
    expect(second).to_have_url(re.compile(rf"/umfragen/{s.poll.pk}/$"))
    expect(second.locator(".messages")).to_contain_text(ALREADY_ANSWERED)
    expect(second.locator("form.poll-form")).to_have_count(0)

    report.visit("guest questionnaire, answered", s.url)
    refusal = first.get_by_role("status").filter(has_text="Danke für Ihre Teilnahme")
    expect(refusal).to_contain_text(ALREADY_ANSWERED)
    expect(first.locator("form.poll-form")).to_have_count(0)
    assert Response.objects.filter(poll=s.poll).count() == 1
    participation = Participation.objects.get(poll=s.poll)
    assert participation.user is None and participation.guest_key
    report.assert_clean()


# 4. Results and the printable questionnaire -------------------------------------------------
