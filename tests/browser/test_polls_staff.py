"""Surveys and polls in the browser: results and staff work.

1. Results (live, pending, after closing; overall, per Ortsteil, per channel): a data table
   per question, bars hidden from screen readers; all free texts of a question; the
   printable questionnaire with its QR code.
2. Paper entry by staff: a batch from a market stand, two questionnaires typed in by
   keyboard, who entered them and when, a logged correction, a check by a second person.

Answering: test_polls.py. axe-core and the reflow check run on every page state.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from polls_helpers import (
    ADMIN,
    ADMIN_NAME,
    MANAGER,
    MANAGER_NAME,
    Survey,
    _answer_by_keyboard,
    _assert_focus_visible,
    _assert_unique_ids,
    _district,
    _expected,
    _fill_with_responses,
    _press,
    _shot,
    _signed_in,
    _skip_to_content,
    _stored,
    _submit_by_keyboard,
    _survey,
    _tab_to,
    make_region,
)
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def region(transactional_db: None) -> None:
    make_region()


def _check_result_tables(page: Page, s: Survey) -> None:
    sections = page.locator("section.poll-result")
    expect(sections).to_have_count(len(s.q))
    for number, (kind, question) in enumerate(s.q.items(), start=1):
        section = sections.nth(number - 1)
        expect(section.get_by_role("heading", level=2)).to_have_text(f"{number}. {question.text}")
        if question.is_text:
            continue
        # The scrollable table box is a region of its own, named by the caption.
        expect(
            section.get_by_role("region", name=re.compile(rf"^Ergebnis der Frage {number}\b"))
        ).to_have_count(1)
        table = section.get_by_role("table").first
        expect(table.locator("caption")).to_have_text(re.compile(rf"Ergebnis der Frage {number}"))
        headers = table.locator("thead th[scope=col]")
        expect(headers.first).not_to_be_empty()
        expect(table.locator("tbody th[scope=row]").first).not_to_be_empty()
        # Bars repeat the numbers of the table: hidden from screen readers.
        bars = table.locator("svg.result-bar")
        expect(bars.first).to_be_visible()
        for i in range(bars.count()):
            expect(bars.nth(i)).to_have_attribute("aria-hidden", "true")
    daily = sections.nth(0).locator("tbody tr").filter(has_text="täglich").first
    expect(daily.locator("td").first).to_have_text("4")  # 2 online + 2 on paper
    # Free text: approved answers are public, the others are counted only.
    texts = sections.nth(5)
    expect(texts.locator(".poll-texts__item")).to_have_text(["Antwort 0"])
    expect(texts).to_contain_text("3 weitere Antworten werden erst nach Prüfung")


def test_results_and_printable_questionnaire(
    region: None, make_context: Any, login_as: Any
) -> None:
    from mitmachen.polls.models import Poll

    s = _survey(title="Ergebnisse zur Innenstadt")
    _fill_with_responses(s)
    context, _guard = make_context(bypass_csp=True)
    page = context.new_page()
    report = AxeReport(page)
    results = f"/umfragen/{s.poll.pk}/ergebnisse/"

    report.visit("results, live", results)
    expect(page.locator("main")).to_contain_text("6 Antwortbögen:")
    expect(page.locator("main")).to_contain_text("online 4")
    expect(page.locator("main")).to_contain_text("Marktstand 2")
    expect(page.locator("main")).to_contain_text("Zwischenstand: die Umfrage läuft noch.")
    _check_result_tables(page, s)
    _shot(page, "results")

    report.visit("results per Ortsteil", f"{results}?nach=ortsteil")
    nav = page.get_by_role("navigation", name="Aufschlüsseln")
    expect(nav.get_by_role("link", name="nach Ortsteil")).to_have_attribute("aria-current", "page")
    breakdown = page.locator("#aufschluesselung-" + str(s.q["single"].pk))
    expect(breakdown).to_have_text("nach Ortsteil")
    table = page.get_by_role("table", name="nach Ortsteil").first
    for label in ["Werbig (n = 2)", "Hagelberg (n = 1)", "Lübnitz (n = 1)"]:
        expect(table.get_by_role("columnheader", name=label)).to_be_visible()
    expect(table.get_by_role("columnheader", name=re.compile("ohne Angabe"))).to_be_visible()
    _shot(page, "results-ortsteil")

    report.visit("results per channel", f"{results}?nach=kanal")
    table = page.get_by_role("table", name="nach Kanal").first
    expect(table.get_by_role("columnheader", name="online (n = 4)")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Marktstand (n = 2)")).to_be_visible()
    report.visit("results, unknown breakdown", f"{results}?nach=unsinn")
    expect(page.locator(".result-table--breakdown")).to_have_count(0)
    long_text = next(q for q in s.q.values() if q.kind == "long_text")
    report.visit("free texts of a question", f"{results}frage/{long_text.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(long_text.text)

    # Results only after the end: a notice first, the results once staff closed the poll.
    Poll.objects.filter(pk=s.poll.pk).update(results_visibility="after_close")
    report.visit("results pending", results)
    expect(page.locator("main")).to_contain_text("Die Ergebnisse werden nach dem Ende der Umfrage")
    expect(page.locator("table")).to_have_count(0)

    staff = _signed_in(make_context, login_as, MANAGER, bypass_csp=True)
    staff_report = AxeReport(staff)
    staff_report.visit("manage the poll", f"/verwaltung/umfragen/{s.poll.pk}/")
    staff.get_by_role("button", name="Umfrage jetzt beenden").press("Enter")
    expect(staff.locator(".messages")).to_contain_text("Die Umfrage ist beendet.")
    staff_report.check("manage the poll, closed")
    staff_report.assert_clean()

    report.visit("results after closing", results)
    expect(page.locator("main")).to_contain_text("Die Umfrage endete am")
    _check_result_tables(page, s)
    report.visit("questionnaire, closed", s.url)
    expect(page.locator("main")).to_contain_text("Diese Umfrage ist beendet.")

    # The printable questionnaire: a QR code with a text alternative, at a sane size.
    report.visit("printable questionnaire", f"/umfragen/{s.poll.pk}/fragebogen/")
    qr = page.get_by_role("img", name="QR-Code zur Online-Umfrage")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box and 100 <= box["width"] <= 220 and abs(box["width"] - box["height"]) < 2, box
    expect(page.locator(".questionnaire__url")).to_have_text(
        re.compile(rf"/umfragen/{s.poll.pk}/$")
    )
    expect(page.locator(".questionnaire__question")).to_have_count(len(s.q))
    _shot(page, "print-screen")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".breadcrumbs")).to_be_hidden()
    expect(qr).to_be_visible()
    _shot(page, "print")
    page.emulate_media(media="screen")
    report.assert_clean()

    # The same pages with the Content-Security-Policy enforced: no inline styles or scripts.
    plain, _ = make_context()
    strict = plain.new_page()
    for path in (results, f"{results}?nach=kanal", f"/umfragen/{s.poll.pk}/fragebogen/"):
        response = strict.goto(path)
        assert response is not None and response.status == 200


# 5. Paper entry by staff ----------------------------------------------------------------------


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


def _german_datetime(value: Any) -> str:
    from django.utils import timezone, translation
    from django.utils.formats import date_format

    with translation.override("de"):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _enter_partial_by_keyboard(page: Page, s: Survey) -> None:
    """A questionnaire with three answers: täglich, Ja (a typo, really Nein), Hagelberg."""
    _tab_to(page, f"input[name='{s.name('single')}']")
    page.keyboard.press("Space")
    expect(page.locator(f"#{s.option_id('single', 0)}")).to_be_checked()
    _tab_to(page, f"input[name='{s.name('yes_no')}']")
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="Ja", exact=True)).to_be_checked()
    _tab_to(page, f"#{s.name('district')}")
    page.keyboard.type("Hagelberg")
    expect(page.locator(f"#{s.name('district')}")).to_have_value(str(_district("hagelberg").pk))
    _submit_by_keyboard(page, "Bogen speichern und nächsten erfassen")


def test_paper_entry_by_staff(region: None, make_context: Any, login_as: Any) -> None:
    from mitmachen.polls.models import Correction, PaperBatch, Response

    s = _survey(title="Marktstand-Umfrage Innenstadt")
    problems: list[str] = []  # reported at the end, so that the whole flow runs
    page = _signed_in(make_context, login_as, MANAGER, bypass_csp=True)
    report = AxeReport(page)
    report.visit("manage the poll", f"/verwaltung/umfragen/{s.poll.pk}/")

    # A new batch, keyboard only: channel by type-ahead, place typed, today's date kept.
    _skip_to_content(page)
    _tab_to(page, "a[href$='/stapel/neu/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Neuer Stapel Papierfragebögen")
    report.check("new batch form")
    _shot(page, "batch-new")
    _skip_to_content(page)
    _tab_to(page, "select[name=channel]")
    _assert_focus_visible(page)
    page.keyboard.type("Marktstand")
    expect(page.get_by_label("Wo wurden die Bögen ausgefüllt?")).to_have_value("market_stand")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Ort oder Anlass")).to_be_focused()
    page.keyboard.type("Marktstand Marktplatz")
    # Today is the default. BatchForm's DateInput renders it in the German format
    # ("05.12.2026"), which a type=date input discards; type it until that is fixed
    # (``format="%Y-%m-%d"``, as in proposals/forms.py) and fail at the end of the test.
    page.keyboard.press("Tab")
    collected_on = page.get_by_label("gesammelt am")
    expect(collected_on).to_be_focused()
    today = _today()
    if not collected_on.input_value():
        problems.append(
            "the batch form does not show today's date: the date input got "
            f"value={collected_on.get_attribute('value')!r} instead of {today.isoformat()!r}"
        )
        page.keyboard.type(today.strftime("%d%m%Y"))
        if collected_on.input_value() != today.isoformat():
            # Chromium orders the segments by its own UI language, not the page's.
            _press(page, "Shift+Tab", 2)
            page.keyboard.type(today.strftime("%m%d%Y"))
    expect(collected_on).to_have_value(today.isoformat())
    _tab_to(page, "form.stack-form button[type=submit]")
    page.keyboard.press("Enter")

    # (The redirect keeps the #inhalt of the skip link: fetch carries fragments over.)
    expect(page).to_have_url(re.compile(r"/verwaltung/umfragen/stapel/\d+/(#.*)?$"))
    batch = PaperBatch.objects.get(poll=s.poll)
    assert (batch.channel, batch.place, batch.entered_by.email) == (
        "market_stand",
        "Marktstand Marktplatz",
        MANAGER,
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Marktstand")
    expect(page.locator("main")).to_contain_text(
        f"Angelegt von {MANAGER_NAME} am {_german_datetime(batch.created_at)}."
    )
    report.check("batch, empty")

    # Questionnaire 1: every question, as in the online form.
    _skip_to_content(page)
    _answer_by_keyboard(page, s)
    _submit_by_keyboard(page, "Bogen speichern und nächsten erfassen")
    expect(page.locator(".messages")).to_contain_text("ist gespeichert. Nächster Bogen:")
    first = Response.objects.get(batch=batch)
    expect(page.locator(".messages")).to_contain_text(f"Bogen Nr. {first.pk} ist gespeichert.")
    expect(page).to_have_url(re.compile(r"#bogen$"))
    assert _stored(first) == _expected(s)
    assert (first.channel, first.entered_by.email) == ("market_stand", MANAGER)
    report.check("batch with one questionnaire")
    _assert_unique_ids(page)
    _shot(page, "batch-entry")

    # Questionnaire 2: after saving, the next Tab is on the first question again.
    page.keyboard.press("Tab")
    expect(page.locator(f"#{s.option_id('single', 0)}")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    _enter_partial_by_keyboard(page, s)
    expect(page.locator("main")).to_contain_text("2 Bögen erfasst.")
    second = Response.objects.filter(batch=batch).exclude(pk=first.pk).get()
    assert _stored(second) == {
        **{
            q.pk: ([] if q.kind in ("multiple", "ranking") else "" if q.is_text else None)
            for q in s.q.values()
        },
        s.q["single"].pk: s.option("single", 0).pk,
        s.q["yes_no"].pk: s.option("yes_no", 0).pk,
        s.q["district"].pk: _district("hagelberg").pk,
    }

    # Who entered each questionnaire and when.
    rows = page.locator("table").filter(has_text="Bogen Nr.").locator("tbody tr")
    expect(rows).to_have_count(2)
    for row, response in zip((rows.nth(0), rows.nth(1)), (second, first), strict=True):
        expect(row.locator("th")).to_have_text(str(response.pk))
        expect(row.locator("td").nth(0)).to_have_text(MANAGER_NAME)
        expect(row.locator("td").nth(1)).to_have_text(_german_datetime(response.created_at))
    expect(page.locator("main")).to_contain_text("2 Bögen erfasst.")
    # Who entered a batch does not check it.
    expect(page.get_by_role("button", name="Stapel als geprüft bestätigen")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("von einer anderen Person geprüft")
    report.check("batch with two questionnaires")

    # Correct questionnaire 2 (Ja → Nein) with a reason; the correction is logged.
    _skip_to_content(page)
    _tab_to(page, f"a[href$='/boegen/{second.pk}/korrigieren/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bogen Nr. {second.pk} korrigieren")
    expect(page.get_by_role("radio", name="Ja", exact=True)).to_be_checked()
    report.check("correct a questionnaire")
    _skip_to_content(page)
    _tab_to(page, "input[name=reason]")
    page.keyboard.type("Tippfehler bei Frage 3")
    _tab_to(page, f"input[name='{s.name('yes_no')}']")
    expect(page.get_by_role("radio", name="Ja", exact=True)).to_be_focused()  # the checked one
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Nein", exact=True)).to_be_checked()
    _submit_by_keyboard(page, "Korrektur speichern")
    expect(page.locator(".messages")).to_contain_text(f"Bogen Nr. {second.pk} ist korrigiert.")
    expect(rows.nth(0).locator("td").nth(1)).to_contain_text("(korrigiert)")
    expect(rows.nth(1).locator("td").nth(1)).not_to_contain_text("korrigiert")
    correction = Correction.objects.get(poll=s.poll)
    assert correction.response_id == second.pk
    assert correction.corrected_by.email == MANAGER
    assert correction.reason == "Tippfehler bei Frage 3"
    yes_no = str(s.q["yes_no"].pk)
    assert correction.before[yes_no] == s.option("yes_no", 0).pk
    assert correction.after[yes_no] == s.option("yes_no", 1).pk
    assert _stored(second)[s.q["yes_no"].pk] == s.option("yes_no", 1).pk
    report.check("batch after a correction")

    report.visit("manage the poll with a batch", f"/verwaltung/umfragen/{s.poll.pk}/")
    log = page.get_by_role("region", name="Korrekturen")
    expect(log).to_contain_text(f"Bogen Nr. {second.pk}: {MANAGER_NAME} am")
    expect(log).to_contain_text("korrigiert: „Tippfehler bei Frage 3“")
    batches = page.get_by_role("table", name="Stapel mit Papierfragebögen")
    expect(batches.get_by_role("row").nth(1)).to_contain_text("noch nicht")
    report.assert_clean()

    # A second member of staff checks the batch.
    checker = _signed_in(make_context, login_as, ADMIN, bypass_csp=True)
    check_report = AxeReport(checker)
    check_report.visit("batch, for the checker", f"/verwaltung/umfragen/stapel/{batch.pk}/")
    _skip_to_content(checker)
    _tab_to(checker, "form[action$='/pruefen/'] button")
    _assert_focus_visible(checker)
    checker.keyboard.press("Enter")
    expect(checker.locator(".messages")).to_contain_text("Der Stapel ist als geprüft vermerkt.")
    batch.refresh_from_db()
    assert batch.checked_by.email == ADMIN
    expect(checker.locator("main")).to_contain_text(
        f"geprüft von {ADMIN_NAME} am {_german_datetime(batch.checked_at)}"
    )
    check_report.check("batch, checked")
    check_report.assert_clean()
    assert not problems, "\n".join(problems)
