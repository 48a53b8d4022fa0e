"""Checking answers to a poll's questions: one place for the form, paper entry and tests.

Answers travel as a dict ``{question_id: value}`` with one value type per kind:

- single choice, yes/no, age group: an option id (``int``) or ``None``;
- multiple choice: a list of option ids;
- scale: an ``int`` or ``None``;
- ranking: the list of option ids in ranked order (first = place 1), all options
  or none;
- free text: a ``str`` ("" = no answer);
- Ortsteil: a district id or ``None``.

The questionnaire (``forms.QuestionnaireForm``) reads a submitted form into that
shape and checks each answer with ``answer_error``; ``clean_answers`` checks a whole
dict the same way (services, demo data) and returns the German message per question
for everything that is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mitmachen.polls.models import Question, QuestionKind

AnswerData = dict[int, Any]


def wrong_option() -> str:
    """The answer is not one the question offers (or not even a number)."""
    return _("Diese Antwort gibt es bei dieser Frage nicht.")


def required_missing() -> str:
    return _("Bitte beantworten Sie diese Frage.")


def place_twice() -> str:
    return _("Jeder Platz darf nur einmal vergeben werden.")


def is_blank(question: Question, value: Any) -> bool:
    if question.is_text:
        return not value
    if question.kind in (QuestionKind.MULTIPLE, QuestionKind.RANKING):
        return not value
    return value is None


def answer_error(
    question: Question, value: Any, *, district_ids: set[int], enforce_required: bool = True
) -> str:
    """What is wrong with ``value`` as the answer to ``question`` ("" = nothing)."""
    if is_blank(question, value):
        return required_missing() if question.required and enforce_required else ""
    return _check(question, value, district_ids)


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
        message = answer_error(
            question,
            data.get(question.pk),
            district_ids=district_ids,
            enforce_required=enforce_required,
        )
        if message:
            errors[question.pk] = message
    return errors


# --- one check per kind of question (the value is not blank) ----------------------------


def _option_ids(question: Question) -> set[int]:
    return {o.pk for o in question.options.all()}


def _is_int_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, int) for v in value)


def _check_option(question: Question, value: Any, district_ids: set[int]) -> str:
    return "" if isinstance(value, int) and value in _option_ids(question) else wrong_option()


def _check_multiple(question: Question, value: Any, district_ids: set[int]) -> str:
    if not _is_int_list(value) or not set(value) <= _option_ids(question):
        return wrong_option()
    if len(set(value)) != len(value):
        return _("Jede Antwort kann nur einmal gewählt werden.")
    return _choice_count_error(question, len(value))


def _choice_count_error(question: Question, count: int) -> str:
    """Too few or too many answers to a multiple-choice question ("" = fine)."""
    if question.min_choices and count < question.min_choices:
        return ngettext(
            "Bitte wählen Sie mindestens %(n)d Antwort.",
            "Bitte wählen Sie mindestens %(n)d Antworten.",
            question.min_choices,
        ) % {"n": question.min_choices}
    if question.max_choices and count > question.max_choices:
        return ngettext(
            "Bitte wählen Sie höchstens %(n)d Antwort.",
            "Bitte wählen Sie höchstens %(n)d Antworten.",
            question.max_choices,
        ) % {"n": question.max_choices}
    return ""


def _check_ranking(question: Question, value: Any, district_ids: set[int]) -> str:
    if not _is_int_list(value):
        return place_twice()
    options = _option_ids(question)
    if not set(value) <= options:
        return wrong_option()
    if len(set(value)) != len(value):
        return place_twice()
    if set(value) != options:
        return _("Bitte bringen Sie alle %(n)d Antworten in eine Reihenfolge.") % {
            "n": len(options)
        }
    return ""


def _check_scale(question: Question, value: Any, district_ids: set[int]) -> str:
    if not isinstance(value, int) or isinstance(value, bool):
        return _("Bitte wählen Sie einen Wert der Skala.")
    if not question.scale_min <= value <= question.scale_max:
        return _("Bitte wählen Sie einen Wert von %(min)d bis %(max)d.") % {
            "min": question.scale_min,
            "max": question.scale_max,
        }
    return ""


def _check_text(question: Question, value: Any, district_ids: set[int]) -> str:
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


def _check_district(question: Question, value: Any, district_ids: set[int]) -> str:
    return "" if isinstance(value, int) and value in district_ids else wrong_option()


_CHECKS: dict[str, Callable[[Question, Any, set[int]], str]] = {
    QuestionKind.SINGLE: _check_option,
    QuestionKind.YES_NO: _check_option,
    QuestionKind.AGE_GROUP: _check_option,
    QuestionKind.MULTIPLE: _check_multiple,
    QuestionKind.RANKING: _check_ranking,
    QuestionKind.SCALE: _check_scale,
    QuestionKind.SHORT_TEXT: _check_text,
    QuestionKind.LONG_TEXT: _check_text,
    QuestionKind.DISTRICT: _check_district,
}


def _check(question: Question, value: Any, district_ids: set[int]) -> str:
    """The German message for a non-blank ``value`` that does not fit ("" = it fits)."""
    check = _CHECKS.get(question.kind)
    return check(question, value, district_ids) if check else wrong_option()
