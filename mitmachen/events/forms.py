from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mitmachen.events.models import ANSWER_MAX_LENGTH, NO, YES, Question, QuestionKind
from mitmachen.events.services import answer_key

REQUIRED = _("Bitte beantworten Sie diese Frage.")
NOT_OFFERED = _("Bitte wählen Sie eine der angebotenen Möglichkeiten.")


def _question_field(question: Question) -> forms.Field:
    if question.kind == QuestionKind.TEXT:
        return forms.CharField(
            label=question.text,
            required=question.required,
            max_length=ANSWER_MAX_LENGTH,
            error_messages={"required": REQUIRED},
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    options: list[tuple[str, Any]]
    if question.kind == QuestionKind.YES_NO:
        options = [(YES, _("ja")), (NO, _("nein"))]
    else:
        options = [(o, o) for o in question.option_list()]
    return forms.ChoiceField(
        label=question.text,
        required=question.required,
        choices=[("", _("Bitte wählen")), *options],
        error_messages={"required": REQUIRED, "invalid_choice": NOT_OFFERED},
    )


class AnswersForm(forms.Form):
    """The event's questions (staff's), answered when registering; the service checks
    the answers again (``services.answers_clean``)."""

    def __init__(self, questions: Iterable[Question], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[answer_key(question)] = _question_field(question)

    def answers(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k.startswith("frage_")}


class GuestForm(AnswersForm):
    """Registering without an account: name and e-mail address (checked by the service,
    which says what is wrong in German), then the event's questions."""

    guest_name = forms.CharField(
        label=_("Ihr Name"),
        max_length=120,
        error_messages={"required": _("Bitte geben Sie Ihren Namen an.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    guest_email = forms.CharField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        help_text=_("Wir schicken Ihnen einen Link, mit dem Sie die Anmeldung bestätigen."),
        error_messages={"required": _("Bitte geben Sie eine gültige E-Mail-Adresse an.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
