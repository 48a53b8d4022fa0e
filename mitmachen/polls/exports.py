"""Staff exports of a poll: CSV and XLSX, one row per response, one column per question.

Choices are written as their labels (several joined with "; "), rankings as the
options in ranked order joined with " > ", scales as numbers, free text in full
(staff see every answer, reviewed or not). The XLSX file has a second sheet with the
summary (count and percentage per answer) as on the results page. Cells that a
spreadsheet would run as a formula are defused in both formats (the XLSX title too);
control characters, which XLSX cannot hold, become line breaks or are dropped there.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from mitmachen.core.channels import Channel
from mitmachen.core.csv_export import xlsx_cell
from mitmachen.organisations.models import District
from mitmachen.polls.models import Poll, Question, QuestionKind, Response
from mitmachen.polls.selectors import PollResults

CHUNK = 500


def header(questions: list[Question]) -> list[str]:
    base = [_("Nr."), _("eingegangen am"), _("Kanal"), _("Ort oder Anlass"), _("erfasst von")]
    return base + [f"{i}. {q.text}" for i, q in enumerate(questions, start=1)]


def _cell(question: Question, answers: list[Any], districts: dict[int, str]) -> Any:
    if not answers:
        return ""
    kind = question.kind
    labels = {o.pk: o.label for o in question.options.all()}
    if kind == QuestionKind.RANKING:
        ordered = sorted(answers, key=lambda a: a.number or 0)
        return " > ".join(labels.get(a.option_id, "?") for a in ordered)
    if kind == QuestionKind.MULTIPLE:
        order = {o.pk: i for i, o in enumerate(question.options.all())}
        chosen = sorted(answers, key=lambda a: order.get(a.option_id, 0))
        return "; ".join(labels.get(a.option_id, "?") for a in chosen)
    if kind == QuestionKind.SCALE:
        return answers[0].number
    if question.is_text:
        return answers[0].text
    if kind == QuestionKind.DISTRICT:
        return districts.get(answers[0].district_id, "")
    return labels.get(answers[0].option_id, "")


def rows(poll: Poll, questions: list[Question]) -> Iterator[list[Any]]:
    """One list of cells per response, read in chunks (constant memory)."""
    districts = dict(
        District.objects.filter(organisation__in=poll.project.all_organisations()).values_list(
            "pk", "name"
        )
    )
    responses = (
        Response.objects.filter(poll=poll)
        .select_related("batch", "entered_by")
        .prefetch_related("answers")
        .order_by("pk")
    )
    tz = timezone.get_current_timezone()
    for response in responses.iterator(chunk_size=CHUNK):
        by_question: dict[int, list[Any]] = {}
        for answer in response.answers.all():
            by_question.setdefault(answer.question_id, []).append(answer)
        entered_by = response.entered_by
        yield [
            response.pk,
            timezone.localtime(response.created_at, tz).strftime("%Y-%m-%d %H:%M"),
            str(Channel(response.channel).label)
            if response.channel in Channel.values
            else response.channel,
            response.batch.place if response.batch else "",
            (entered_by.display_name or entered_by.email) if entered_by else "",
        ] + [_cell(q, by_question.get(q.pk, []), districts) for q in questions]


def summary_rows(result: PollResults) -> Iterator[list[Any]]:
    """The summary sheet: question, answer, count, percentage (rankings: places)."""
    for number, qr in enumerate(result.questions, start=1):
        question = qr.question
        title = f"{number}. {question.text}"
        if question.is_text:
            yield [title, _("Freitext-Antworten"), len(qr.texts), None, None]
            continue
        for row in qr.rows:
            if question.kind == QuestionKind.RANKING:
                yield [title, row.label, row.firsts, float(row.percent), row.points]
            else:
                yield [title, row.label, row.count, float(row.percent), None]
        if qr.mean is not None:
            yield [title, _("Mittelwert"), None, None, float(qr.mean)]
        yield [title, _("Antwortende"), qr.respondents, None, None]


def xlsx_bytes(poll: Poll, questions: list[Question], result: PollResults) -> bytes:
    """The workbook: sheet "Antworten" (one row per response) and "Zusammenfassung"."""
    workbook = Workbook(write_only=True)
    answers = workbook.create_sheet(pgettext("spreadsheet tab", "Antworten"))
    answers.append([xlsx_cell(value) for value in header(questions)])
    for row in rows(poll, questions):
        answers.append([xlsx_cell(value) for value in row])
    summary = workbook.create_sheet(_("Zusammenfassung"))
    summary.append([xlsx_cell(poll.title)])
    summary.append([_("Antwortbögen insgesamt"), result.total])
    for label, count in result.by_channel:
        summary.append([_("davon %(channel)s") % {"channel": label}, count])
    summary.append([])
    summary.append(
        [
            _("Frage"),
            _("Antwort"),
            _("Anzahl (Rangfolge: erste Plätze)"),
            _("Prozent"),
            _("Mittelwert bzw. Punkte"),
        ]
    )
    for row in summary_rows(result):
        summary.append([xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
