"""Polls' section of the council report (``ParticipationModule.report``): every published
survey or vote with its questionnaires by channel and each question's result, counted by
``polls.selectors.results`` – the same figures as the results page.

The small-group rule (``projects.statistics``): a poll with fewer than five
questionnaires shows no results; the rows of an age-group or Ortsteil question are groups
of people, so a row of one to four people reads "weniger als 5" (and, if it is the only
one, the next smallest too: ``withhold``). Free texts are counted, not printed: they may
name people. Queries: a fixed number per poll (a project has a handful), none per answer.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from mitmachen.polls.models import Poll, QuestionKind
from mitmachen.polls.selectors import QuestionResult, results
from mitmachen.polls.services import questions_of
from mitmachen.projects.models import Project
from mitmachen.projects.report import ReportSection, ReportTable
from mitmachen.projects.statistics import MIN_GROUP, Cell, withhold

# Rows of these kinds are groups of people (who they are), not opinions.
GROUP_KINDS = frozenset({QuestionKind.AGE_GROUP, QuestionKind.DISTRICT})


def _fewer() -> str:
    return _("weniger als %(n)s") % {"n": MIN_GROUP}


def _question_table(number: int, qr: QuestionResult) -> ReportTable:
    question = qr.question
    title = f"{number}. {question.text}"
    answered = _("%(n)s Antworten") % {"n": qr.respondents}
    if question.is_text:
        return ReportTable(
            title,
            (_("Freitextantworten"),),
            ((qr.text_total,),),
            _("Freie Texte stehen nicht im Bericht, sie können Namen enthalten."),
        )
    if question.kind == QuestionKind.RANKING:
        header = (_("Antwort"), _("mittlerer Platz"), _("auf Platz 1"), _("Punkte"))
        rows = tuple((r.label, r.mean_place or "", r.firsts or 0, r.points or 0) for r in qr.rows)
        return ReportTable(title, header, rows, answered)
    cells = [
        Cell(key=i, label=r.label, contributions=r.count, people=r.count)
        for i, r in enumerate(qr.rows)
    ]
    if question.kind in GROUP_KINDS:
        withhold(cells)
    rows_out: list[tuple[Any, ...]] = []
    for r, cell in zip(qr.rows, cells, strict=True):
        if cell.withheld:
            rows_out.append((r.label, _fewer(), ""))
        else:
            rows_out.append((r.label, r.count, f"{r.percent}\u00a0%"))
    note = answered
    if qr.mean is not None:
        note = _("%(answered)s, Mittelwert %(mean)s") % {"answered": answered, "mean": qr.mean}
    return ReportTable(title, (_("Antwort"), _("Anzahl"), _("Anteil")), tuple(rows_out), note)


def report(project: Project) -> ReportSection | None:
    polls = list(Poll.objects.filter(project=project).published().order_by("created_at", "pk"))
    if not polls:
        return None
    figures: list[tuple[str, Any]] = [(_("Umfragen und Abstimmungen"), len(polls))]
    tables: list[ReportTable] = []
    text: list[str] = [
        _(
            "Ergebnisse der Umfragen, online und auf Papier eingegeben. Eine Umfrage mit "
            "weniger als %(n)s ausgefüllten Fragebögen zeigt keine Ergebnisse; Gruppen von "
            "weniger als %(n)s Personen (Alter, Ortsteil) stehen nicht einzeln da."
        )
        % {"n": MIN_GROUP}
    ]
    total = 0
    for poll in polls:
        questions = questions_of(poll)
        found = results(poll, questions, public=True)
        total += found.total
        channels = tuple((label, n) for label, n in found.by_channel)
        heading = f"{poll.title} ({poll.get_kind_display()})"
        if found.total < MIN_GROUP:
            tables.append(
                ReportTable(
                    heading,
                    (_("Fragebögen"),),
                    ((_fewer() if found.total else 0,),),
                    _("Zu wenige Fragebögen: keine Ergebnisse (Schutz kleiner Gruppen)."),
                )
            )
            continue
        tables.append(
            ReportTable(
                heading,
                (_("Kanal"), _("Fragebögen")),
                (*channels, (_("zusammen"), found.total)),
            )
        )
        tables.extend(_question_table(i, qr) for i, qr in enumerate(found.questions, start=1))
    figures.append((_("ausgefüllte Fragebögen"), total))
    return ReportSection(
        key="polls",
        title=_("Umfragen"),
        order=20,
        figures=tuple(figures),
        text=tuple(text),
        tables=tuple(tables),
    )
