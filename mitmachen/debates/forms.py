"""Forms of the debates app. The services validate again and decide."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from mitmachen.debates.models import QUESTION_MAX_LENGTH, TEXT_MAX_LENGTH

MARKDOWN_HELP = _("Absätze, **fett** und Listen mit - sind möglich.")


class DebateForm(forms.Form):
    """Open a debate, or change its question and description."""

    question = forms.CharField(
        label=_("Frage"),
        max_length=QUESTION_MAX_LENGTH,
        help_text=_(
            "Eine Frage, die man mit dafür oder dagegen beantworten kann, z. B. „Soll der "
            "Marktplatz autofrei werden?“ Höchstens 200 Zeichen."
        ),
        error_messages={
            "required": _("Bitte formulieren Sie eine Frage."),
            "max_length": _("Die Frage ist zu lang (höchstens 200 Zeichen)."),
        },
    )
    description = forms.CharField(
        label=_("Erläuterung"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=format_lazy(
            "{} {}",
            _("Worum geht es, was spricht dafür und dagegen? Höchstens 5.000 Zeichen."),
            MARKDOWN_HELP,
        ),
        error_messages={
            "max_length": _("Die Erläuterung ist zu lang (höchstens 5.000 Zeichen)."),
        },
    )


class ConclusionForm(forms.Form):
    """Staff close a debate with a conclusion (required), or change the conclusion."""

    conclusion = forms.CharField(
        label=_("Fazit der Verwaltung"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=format_lazy(
            "{} {}",
            _(
                "Was nimmt die Verwaltung aus der Debatte mit, und wie geht es weiter? Das "
                "Fazit steht oben auf der Seite der Debatte. Höchstens 5.000 Zeichen."
            ),
            MARKDOWN_HELP,
        ),
        error_messages={
            "required": _("Bitte schreiben Sie ein Fazit."),
            "max_length": _("Das Fazit ist zu lang (höchstens 5.000 Zeichen)."),
        },
    )
