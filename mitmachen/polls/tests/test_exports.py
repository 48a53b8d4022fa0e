"""CSV and XLSX exports hold exactly what is stored, safely; pages read in fixed queries.

The files are opened as a spreadsheet user would get them: the CSV with the csv
module, the XLSX with openpyxl. Expected cells are written out by hand from the
answers given, not derived from the export code.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.channels import Channel
from mitmachen.polls import selectors, services
from mitmachen.polls.models import Option, Poll, QuestionKind, Response, ResultsVisibility
from mitmachen.polls.services import BatchData
from mitmachen.polls.tests.factories import (
    PollFactory,
    every_kind,
    full_answers,
    options,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BASE = ["Nr.", "eingegangen am", "Kanal", "Ort oder Anlass", "erfasst von"]
# What a resident may type that a spreadsheet would run as a formula.
FORMULAS = ["=SUMME(A1:A9)", " =1+1", "+49 3381 12345", "-weniger Autos", "@Marktplatz"]


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def labels(q):
    return [o.label for o in q.options.all().order_by("position", "pk")]


@pytest.fixture
def stored(poll, questions, region, staff):
    """Three questionnaires: full online, partly online, and one from paper."""
    poll.title = '=HYPERLINK("https://example.org","Ergebnis")'
    poll.save()
    q = questions
    # The header numbers the questions, so their text never starts a cell.
    q["short_text"].text = "=Was fehlt?"
    q["short_text"].save()
    Option.objects.filter(pk=options(q["single"])[0]).update(label="-10 % Verkehr")

    full = full_answers(q, region["west"])
    full[q["multiple"].pk] = list(reversed(options(q["multiple"])[:2]))  # ticked in any order
    full[q["short_text"].pk] = FORMULAS[0]
    full[q["long_text"].pk] = "Straße über die Brücke – „Grün“ für alle 🚲 ß"
    first, _ = services.response_submit(user=UserFactory(), poll=poll, data=full)

    partial = {
        q["single"].pk: options(q["single"])[0],
        q["multiple"].pk: [options(q["multiple"])[3]],
        q["yes_no"].pk: options(q["yes_no"])[0],
        q["scale"].pk: 2,
        q["ranking"].pk: options(q["ranking"]),
        q["short_text"].pk: FORMULAS[1],
        q["long_text"].pk: "Zeile 1\x0bZeile 2",  # a line break as Word copies it
    }
    second, _ = services.response_submit(user=UserFactory(), poll=poll, data=partial)

    batch = services.batch_create(
        user=staff,
        poll=poll,
        data=BatchData(
            channel=Channel.MARKET_STAND, collected_on=timezone.localdate(), place=FORMULAS[4]
        ),
    )
    paper = services.paper_response_create(
        user=staff,
        batch=batch,
        data={
            q["yes_no"].pk: options(q["yes_no"])[1],
            q["short_text"].pk: FORMULAS[2],
            q["long_text"].pk: FORMULAS[3],
            q["district"].pk: region["east"].pk,
        },
    )
    return {"full": first, "partial": second, "paper": paper, "batch": batch}


def expected_rows(questions, region, stored, staff):
    """The rows as written in the module docstring of exports, cell by cell."""
    q = questions
    single, multiple, ranking = labels(q["single"]), labels(q["multiple"]), labels(q["ranking"])
    ages = labels(q["age_group"])
    full, partial, paper = stored["full"], stored["partial"], stored["paper"]
    return [
        [
            full.pk,
            local(full.created_at),
            "online",
            "",
            "",
            single[1],
            f"{multiple[0]}; {multiple[1]}",
            "Ja",
            4,
            f"{ranking[2]} > {ranking[1]} > {ranking[0]}",
            "'" + FORMULAS[0],
            "Straße über die Brücke – „Grün“ für alle 🚲 ß",
            "West",
            ages[4],
        ],
        [
            partial.pk,
            local(partial.created_at),
            "online",
            "",
            "",
            "'-10 % Verkehr",
            multiple[3],
            "Ja",
            2,
            f"{ranking[0]} > {ranking[1]} > {ranking[2]}",
            "'" + FORMULAS[1],
            "Zeile 1\x0bZeile 2",
            "",
            "",
        ],
        [
            paper.pk,
            local(paper.created_at),
            "Marktstand",
            "'" + FORMULAS[4],
            staff.display_name,
            "",
            "",
            "Nein",
            "",
            "",
            "'" + FORMULAS[2],
            "'" + FORMULAS[3],
            "Ost",
            "",
        ],
    ]


def expected_header(questions):
    return BASE + [f"{i}. {q.text}" for i, q in enumerate(questions.values(), start=1)]


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="umfrage-')
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read the umlauts right
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_xlsx(response):
    assert response["Content-Type"] == XLSX
    assert response["Cache-Control"] == "private, no-store"
    return load_workbook(io.BytesIO(response.content))


def trimmed(row):
    values = list(row)
    while values and values[-1] is None:
        values.pop()
    return values


def test_csv_holds_exactly_the_stored_answers(client, poll, questions, region, staff, stored):
    client.force_login(staff)
    rows = read_csv(client.get(reverse("polls:export_csv", args=[poll.pk])))
    assert rows[0] == expected_header(questions)
    # CSV has only text: numbers come back as their digits.
    expected = [
        [str(cell) for cell in row] for row in expected_rows(questions, region, stored, staff)
    ]
    assert rows[1:] == expected
    assert {len(row) for row in rows} == {len(BASE) + len(questions)}


def test_xlsx_holds_exactly_the_stored_answers(client, poll, questions, region, staff, stored):
    client.force_login(staff)
    workbook = read_xlsx(client.get(reverse("polls:export_xlsx", args=[poll.pk])))
    assert workbook.sheetnames == ["Antworten", "Zusammenfassung"]
    sheet = workbook["Antworten"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == expected_header(questions)
    expected = expected_rows(questions, region, stored, staff)
    # XLSX cannot hold control characters: the Word line break becomes a real one.
    expected[1][11] = "Zeile 1\nZeile 2"
    empty_to_none = [[None if cell == "" else cell for cell in row] for row in expected]
    assert rows[1:] == empty_to_none
    assert isinstance(rows[1][8], int)  # the scale is a number the spreadsheet can sum
    # Nothing in the workbook is a formula.
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


def test_xlsx_summary_equals_the_results(client, poll, questions, region, staff, stored):
    client.force_login(staff)
    workbook = read_xlsx(client.get(reverse("polls:export_xlsx", args=[poll.pk])))
    rows = [trimmed(row) for row in workbook["Zusammenfassung"].iter_rows(values_only=True)]
    result = selectors.results(poll, services.questions_of(poll), public=False)
    assert rows[0] == ["'" + poll.title]
    assert rows[1] == ["Antwortbögen insgesamt", 3]
    assert sorted(rows[2:4]) == [["davon Marktstand", 1], ["davon online", 2]]
    assert rows[4] == []
    assert rows[5][:2] == ["Frage", "Antwort"]
    expected = []
    for number, qr in enumerate(result.questions, start=1):
        title = f"{number}. {qr.question.text}"
        if qr.question.is_text:
            expected.append([title, "Freitext-Antworten", len(qr.texts)])
            continue
        for row in qr.rows:
            label = "'" + row.label if row.label.startswith("-") else row.label
            if qr.question.kind == QuestionKind.RANKING:
                expected.append([title, label, row.firsts, float(row.percent), row.points])
            else:
                expected.append([title, label, row.count, float(row.percent)])
        if qr.mean is not None:
            expected.append([title, "Mittelwert", None, None, float(qr.mean)])
        expected.append([title, "Antwortende", qr.respondents])
    assert rows[6:] == expected
    # Spot checks, worked out by hand from the three questionnaires.
    yes_no = f"3. {questions['yes_no'].text}"
    assert [yes_no, "Ja", 2, 66.7] in rows
    assert [yes_no, "Nein", 1, 33.3] in rows
    assert [yes_no, "Antwortende", 3] in rows
    assert [f"4. {questions['scale'].text}", "Mittelwert", None, None, 3.0] in rows
    assert ["6. =Was fehlt?", "Freitext-Antworten", 3] in rows


def test_anonymous_poll_exports_nobody(client, poll, questions, region, staff):
    poll.anonymous = True
    poll.save()
    person = UserFactory(display_name="Erika Mustermann")
    services.response_submit(user=person, poll=poll, data=full_answers(questions, region["west"]))
    client.force_login(staff)
    rows = read_csv(client.get(reverse("polls:export_csv", args=[poll.pk])))
    assert len(rows) == 2
    text = str(rows)
    assert person.email not in text and "Erika" not in text
    assert rows[1][2:5] == ["online", "", ""]


def test_empty_poll_exports_a_header_only(client, poll, questions, staff):
    client.force_login(staff)
    assert read_csv(client.get(reverse("polls:export_csv", args=[poll.pk]))) == [
        expected_header(questions)
    ]
    workbook = read_xlsx(client.get(reverse("polls:export_xlsx", args=[poll.pk])))
    assert len(list(workbook["Antworten"].iter_rows())) == 1
    summary = [trimmed(r) for r in workbook["Zusammenfassung"].iter_rows(values_only=True)]
    assert summary[1] == ["Antwortbögen insgesamt", 0]


# --- a fixed number of queries, whatever the number of responses and questions ----------


def sized_poll(project, region, staff, *, responses, question_sets=1):
    """A poll with ``question_sets`` times every kind of question and ``responses``
    questionnaires: half online, half from two paper batches."""
    poll = PollFactory(project=project, results_visibility=ResultsVisibility.LIVE)
    sets = [every_kind(poll) for _ in range(question_sets)]
    batches = [
        services.batch_create(
            user=staff,
            poll=poll,
            data=BatchData(channel=channel, collected_on=timezone.localdate(), place="Ort"),
        )
        for channel in (Channel.WORKSHOP, Channel.LETTER)
    ]
    for i in range(responses):
        district = region["west"] if i % 2 else region["east"]
        answers = {}
        for questions in sets:
            answers.update(full_answers(questions, district))
        if i % 2:
            services.response_submit(user=UserFactory(), poll=poll, data=answers)
        else:
            services.paper_response_create(user=staff, batch=batches[i % 4 // 2], data=answers)
    return poll


# page: (url name, query string, most queries allowed – measured, plus a little room)
PAGES = {
    "detail": ("polls:detail", "", 15),  # +1: the site footer (page cache off)
    # The results pages +2: the measures made from the survey ("poll.footer", measures)
    # and from its single questions ("poll_question.footer", one query for all).
    "results": ("polls:results", "", 18),
    "results_by_district": ("polls:results", "?nach=ortsteil", 19),
    "results_by_channel": ("polls:results", "?nach=kanal", 19),
    "manage": ("polls:manage", "", 17),
    "export_csv": ("polls:export_csv", "", 13),
    "export_xlsx": ("polls:export_xlsx", "", 18),
}


def queries(client, poll):
    counted = {}
    for page, (name, query, _limit) in PAGES.items():
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse(name, args=[poll.pk]) + query)
            assert response.status_code == 200, page
            if response.streaming:
                b"".join(response.streaming_content)
        counted[page] = len(context.captured_queries)
    return counted


def test_query_count_does_not_grow_with_responses(client, project, region, staff):
    few = sized_poll(project, region, staff, responses=5)
    many = sized_poll(project, region, staff, responses=50)
    assert Response.objects.filter(poll=many).count() == 50
    client.force_login(staff)
    queries(client, few)  # fills caches (the content type the measures' box reads)
    counted_few, counted_many = queries(client, few), queries(client, many)
    assert counted_few == counted_many
    for page, (_name, _query, limit) in PAGES.items():
        assert counted_many[page] <= limit, (page, counted_many[page])


def test_query_count_does_not_grow_with_questions(client, project, region, staff):
    nine = sized_poll(project, region, staff, responses=6)
    many = sized_poll(project, region, staff, responses=6, question_sets=3)
    assert many.questions.count() == 27
    client.force_login(staff)
    assert queries(client, nine) == queries(client, many)


def test_export_rows_read_in_constant_queries(
    django_assert_max_num_queries, project, region, staff
):
    """The generator behind both files, without the page around it: 4 queries (Ortsteile,
    responses with batch and person, their answers) for any number of responses."""
    from mitmachen.polls import exports

    poll = sized_poll(project, region, staff, responses=30)
    fresh = Poll.objects.for_display().get(pk=poll.pk)
    loaded = services.questions_of(fresh)
    with django_assert_max_num_queries(4):
        assert len(list(exports.rows(fresh, loaded))) == 30
