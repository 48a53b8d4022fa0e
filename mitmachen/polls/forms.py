"""Forms of the polls app.

The questionnaire itself is not a Django form: its fields come from the questions
(``answers.parse_post`` reads them). ``question_fields`` prepares what the
templates need to render each question with the values entered and its error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mitmachen.core.channels import Channel
from mitmachen.polls.answers import AnswerData
from mitmachen.polls.models import Question, QuestionKind


@dataclass
class QuestionField:
    """One question as the questionnaire shows it."""

    question: Question
    number: int
    error: str = ""
    selected: set[str] = field(default_factory=set)  # option ids, scale value or Ortsteil id
    text: str = ""
    places: dict[str, str] = field(default_factory=dict)  # ranking: option id → place
    districts: list[Any] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.question.field_name()

    @property
    def first_id(self) -> str:
        """The element an error summary link jumps to."""
        q = self.question
        if q.has_options:
            first = next(iter(q.options.all()), None)
            return f"{self.name}-{first.pk}" if first else self.name
        if q.kind == QuestionKind.SCALE:
            return f"{self.name}-v{q.scale_min}"
        return self.name

    @property
    def error_id(self) -> str:
        return f"{self.name}-fehler"

    @property
    def hint_id(self) -> str:
        return f"{self.name}-hinweis"

    @property
    def place_choices(self) -> list[int]:
        return list(range(1, len(self.question.options.all()) + 1))

    def ranking_rows(self) -> list[tuple[Any, str]]:
        return [(o, self.places.get(str(o.pk), "")) for o in self.question.options.all()]

    def choice_hint(self) -> str:
        q = self.question
        if q.kind == QuestionKind.RANKING:
            return str(
                _("Vergeben Sie jeden Platz von 1 bis %(n)d einmal (1 = am wichtigsten).")
                % {"n": len(q.options.all())}
            )
        if q.kind != QuestionKind.MULTIPLE:
            return ""
        if q.min_choices and q.max_choices:
            if q.min_choices == q.max_choices:
                return ngettext(
                    "Bitte wählen Sie genau %(n)d Antwort.",
                    "Bitte wählen Sie genau %(n)d Antworten.",
                    q.min_choices,
                ) % {"n": q.min_choices}
            return str(
                _("Bitte wählen Sie %(min)d bis %(max)d Antworten.")
                % {"min": q.min_choices, "max": q.max_choices}
            )
        if q.max_choices:
            return ngettext(
                "Sie können bis zu %(n)d Antwort wählen.",
                "Sie können bis zu %(n)d Antworten wählen.",
                q.max_choices,
            ) % {"n": q.max_choices}
        if q.min_choices:
            return ngettext(
                "Bitte wählen Sie mindestens %(n)d Antwort.",
                "Bitte wählen Sie mindestens %(n)d Antworten.",
                q.min_choices,
            ) % {"n": q.min_choices}
        return str(_("Sie können mehrere Antworten wählen."))


def question_fields(
    questions: list[Question],
    *,
    post: Mapping[str, Any] | None = None,
    data: AnswerData | None = None,
    errors: Mapping[int, str] | None = None,
    districts: list[Any] | None = None,
) -> list[QuestionField]:
    """The questions with what was entered (``post``) or stored (``data``)."""
    errors = errors or {}
    result = []
    for number, question in enumerate(questions, start=1):
        item = QuestionField(question=question, number=number, error=errors.get(question.pk, ""))
        name = question.field_name()
        if question.kind == QuestionKind.DISTRICT:
            item.districts = districts or []
        if post is not None:
            if question.kind == QuestionKind.RANKING:
                item.places = {
                    str(o.pk): str(post.get(f"{name}-{o.pk}", "")) for o in question.options.all()
                }
            elif question.is_text:
                item.text = str(post.get(name, ""))
            elif question.kind == QuestionKind.MULTIPLE and hasattr(post, "getlist"):
                item.selected = {str(v) for v in post.getlist(name)}
            elif post.get(name):
                item.selected = {str(post.get(name))}
        elif data is not None:
            value = data.get(question.pk)
            if question.kind == QuestionKind.RANKING and value:
                item.places = {str(oid): str(place) for place, oid in enumerate(value, start=1)}
            elif question.is_text:
                item.text = value or ""
            elif isinstance(value, list):
                item.selected = {str(v) for v in value}
            elif value is not None:
                item.selected = {str(value)}
        result.append(item)
    return result


class BatchForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Wo wurden die Bögen ausgefüllt?"),
        choices=[("", _("Bitte wählen"))] + [(c.value, c.label) for c in Channel if c != "online"],
        error_messages={
            "required": _("Bitte wählen Sie, wo die Bögen ausgefüllt wurden."),
            "invalid_choice": _("Bitte wählen Sie, wo die Bögen ausgefüllt wurden."),
        },
    )
    place = forms.CharField(
        label=_("Ort oder Anlass"),
        max_length=160,
        required=False,
        help_text=_("z. B. „Marktstand Marktplatz“ oder „Workshop im Rathaus“."),
    )
    collected_on = forms.DateField(
        label=_("gesammelt am"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Bitte geben Sie das Datum an."),
            "invalid": _("Bitte geben Sie ein gültiges Datum an."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collected_on"].initial = timezone.localdate()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund"),
        max_length=300,
        help_text=_("z. B. „Tippfehler bei Frage 3“ oder „Bogen doppelt erfasst“."),
        error_messages={"required": _("Bitte geben Sie einen Grund an.")},
    )
