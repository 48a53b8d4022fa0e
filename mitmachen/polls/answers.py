"""Checking answers to a poll's questions: one place for the form, paper entry and tests.

Answers travel as a dict ``{question_id: value}`` with one value type per kind:

- single choice, yes/no, age group: an option id (``int``) or ``None``;
- multiple choice: a list of option ids;
- scale: an ``int`` or ``None``;
- ranking: the list of option ids in ranked order (first = place 1), all options
  or none;
- free text: a ``str`` ("" = no answer);
- Ortsteil: a district id or ``None``.

``parse_post`` turns a submitted form into that shape; ``clean_answers`` checks it
against the questions and returns the German message per question for everything
that is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mitmachen.polls.models import Question, QuestionKind

SINGLE_OPTION_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.YES_NO, QuestionKind.AGE_GROUP})

AnswerData = dict[int, Any]


def _int_or_none(value: str | None) -> int | str | None:
    """An int, None for empty, or the raw string when it is not a number (an error)."""
    if value is None or value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError:
        return value


def parse_post(
    questions: Iterable[Question], post: Mapping[str, Any]
) -> tuple[AnswerData, dict[int, str]]:
    """Read the answers from a submitted form (``frage-<id>`` fields).

    Returns the answers and the questions that could not even be read (not a number,
    a place twice in a ranking) with their message.
    """
    data: AnswerData = {}
    errors: dict[int, str] = {}
    for question in questions:
        name = question.field_name()
        kind = question.kind
        if kind == QuestionKind.MULTIPLE:
            values = (
                [_int_or_none(v) for v in post.getlist(name)] if hasattr(post, "getlist") else []
            )
            if any(isinstance(v, str) for v in values):
                errors[question.pk] = _("Diese Antwort gibt es bei dieser Frage nicht.")
                continue
            data[question.pk] = [v for v in values if v is not None]
        elif kind == QuestionKind.RANKING:
            places: dict[int, int] = {}
            bad = False
            for option in question.options.all():
                place = _int_or_none(post.get(f"{name}-{option.pk}"))
                if isinstance(place, str):
                    bad = True
                elif place is not None:
                    places[option.pk] = place
            if bad:
                errors[question.pk] = _(
                    "Bitte wählen Sie für jede Antwort einen Platz aus der Liste."
                )
                continue
            if places and len(set(places.values())) != len(places):
                errors[question.pk] = _("Jeder Platz darf nur einmal vergeben werden.")
                continue
            data[question.pk] = [oid for oid, _p in sorted(places.items(), key=lambda i: i[1])]
            if places and sorted(places.values()) != list(range(1, len(places) + 1)):
                errors[question.pk] = _("Bitte vergeben Sie die Plätze 1 bis %(n)d.") % {
                    "n": len(question.options.all())
                }
        elif question.is_text:
            # Browsers count a line break as one character (maxlength) but send two.
            data[question.pk] = str(post.get(name, "")).replace("\r\n", "\n").strip()
        else:
            value = _int_or_none(post.get(name))
            if isinstance(value, str):
                errors[question.pk] = _("Diese Antwort gibt es bei dieser Frage nicht.")
                continue
            data[question.pk] = value
    return data, errors


def is_blank(question: Question, value: Any) -> bool:
    if question.is_text:
        return not value
    if question.kind in (QuestionKind.MULTIPLE, QuestionKind.RANKING):
        return not value
    return value is None


def clean_answers(
    questions: Iterable[Question],
    data: Mapping[int, Any],
    *,
    district_ids: set[int],
    enforce_required: bool = True,
) -> dict[int, str]:
    """What is wrong with ``data``, as a German message per question id (empty: nothing).

    ``district_ids`` are the Ortsteile the Ortsteil question offers. Paper entry
    passes ``enforce_required=False``: a questionnaire is entered as it was filled in.
    Keys of ``data`` that are not questions of the poll are an error of their own
    (key 0).
    """
    questions = list(questions)
    errors: dict[int, str] = {}
    known = {q.pk for q in questions}
    if set(data) - known:
        errors[0] = _("Die Antworten passen nicht zu den Fragen dieser Umfrage.")
    for question in questions:
        value = data.get(question.pk)
        if is_blank(question, value):
            if question.required and enforce_required:
                errors[question.pk] = _("Bitte beantworten Sie diese Frage.")
            continue
        message = _check(question, value, district_ids)
        if message:
            errors[question.pk] = message
    return errors


def _check(question: Question, value: Any, district_ids: set[int]) -> str:
    options = {o.pk for o in question.options.all()}
    kind = question.kind
    wrong_option = _("Diese Antwort gibt es bei dieser Frage nicht.")
    if kind in SINGLE_OPTION_KINDS:
        return "" if isinstance(value, int) and value in options else wrong_option
    if kind == QuestionKind.MULTIPLE:
        if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
            return wrong_option
        if any(v not in options for v in value):
            return wrong_option
        if len(set(value)) != len(value):
            return _("Jede Antwort kann nur einmal gewählt werden.")
        if question.min_choices and len(value) < question.min_choices:
            return ngettext(
                "Bitte wählen Sie mindestens %(n)d Antwort.",
                "Bitte wählen Sie mindestens %(n)d Antworten.",
                question.min_choices,
            ) % {"n": question.min_choices}
        if question.max_choices and len(value) > question.max_choices:
            return ngettext(
                "Bitte wählen Sie höchstens %(n)d Antwort.",
                "Bitte wählen Sie höchstens %(n)d Antworten.",
                question.max_choices,
            ) % {"n": question.max_choices}
        return ""
    if kind == QuestionKind.RANKING:
        if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
            return _("Jeder Platz darf nur einmal vergeben werden.")
        if any(v not in options for v in value):
            return wrong_option
        if len(set(value)) != len(value):
            return _("Jeder Platz darf nur einmal vergeben werden.")
        if set(value) != options:
            return _("Bitte bringen Sie alle %(n)d Antworten in eine Reihenfolge.") % {
                "n": len(options)
            }
        return ""
    if kind == QuestionKind.SCALE:
        if not isinstance(value, int) or isinstance(value, bool):
            return _("Bitte wählen Sie einen Wert der Skala.")
        if not question.scale_min <= value <= question.scale_max:
            return _("Bitte wählen Sie einen Wert von %(min)d bis %(max)d.") % {
                "min": question.scale_min,
                "max": question.scale_max,
            }
        return ""
    if question.is_text:
        if not isinstance(value, str):
            return _("Bitte geben Sie einen Text ein.")
        limit = question.text_limit()
        if len(value) > limit:
            return ngettext(
                "Bitte schreiben Sie höchstens %(n)d Zeichen (jetzt: %(count)d).",
                "Bitte schreiben Sie höchstens %(n)d Zeichen (jetzt: %(count)d).",
                limit,
            ) % {"n": limit, "count": len(value)}
        if "\x00" in value:
            return _("Der Text enthält ungültige Zeichen.")
        return ""
    if kind == QuestionKind.DISTRICT:
        return "" if isinstance(value, int) and value in district_ids else wrong_option
    return wrong_option
