"""Forms of the survey set-up in the site (``polls.setup_views``): a poll's settings and
one question with its answer options.

They check what a person typed; ``services.poll_save``/``question_save`` check once more
what the stored answers need. Every choice list offers only the project's own rows: its
phases, the Ortsteile of its municipalities.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mitmachen.core.text_checks import no_markup, no_script
from mitmachen.organisations.models import District
from mitmachen.polls.models import (
    PRESET_OPTIONS,
    Eligibility,
    Poll,
    PollKind,
    Question,
    QuestionKind,
    ResultsVisibility,
)
from mitmachen.polls.services import QUESTION_FIELDS, TYPED_OPTION_KINDS
from mitmachen.projects.models import Phase, Project

# What each kind of question asks of a participant, shown beside its radio button.
KIND_EXPLANATIONS: dict[str, Any] = {
    QuestionKind.SINGLE: _("Eine Antwort aus Ihren Antwortmöglichkeiten."),
    QuestionKind.MULTIPLE: _("Mehrere Antworten aus Ihren Antwortmöglichkeiten."),
    QuestionKind.YES_NO: _("Die festen Antworten Ja, Nein und Enthaltung."),
    QuestionKind.SCALE: _("Ein Wert auf einer Skala, z. B. 1 bis 5."),
    QuestionKind.RANKING: _("Ihre Antwortmöglichkeiten in eine Reihenfolge bringen."),
    QuestionKind.SHORT_TEXT: _("Eine Zeile eigener Text."),
    QuestionKind.LONG_TEXT: _("Ein längerer eigener Text."),
    QuestionKind.DISTRICT: _("Der eigene Ortsteil – für Auswertungen nach Ortsteil."),
    QuestionKind.AGE_GROUP: _("Eine von sechs festen Altersgruppen – für Auswertungen nach Alter."),
}


def _number(label: Any, **kwargs: Any) -> forms.IntegerField:
    # Text, not type=number: a wrong entry comes back as typed, in valid HTML.
    return forms.IntegerField(
        label=label, widget=forms.TextInput(attrs={"inputmode": "numeric"}), **kwargs
    )


def _radios(choices: Any, label: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


class PollSetupForm(forms.Form):
    """A survey's (or vote's) settings: what it is, when it runs, who may answer."""

    title = forms.CharField(label=_("Titel"), max_length=160, validators=[no_markup])
    kind = _radios(PollKind.choices, _("Art"), initial=PollKind.SURVEY)
    phase = forms.ModelChoiceField(
        label=_("Phase"),
        queryset=Phase.objects.none(),
        empty_label=None,
        help_text=_(
            "Die Umfrage nimmt Antworten an, solange diese Phase läuft und "
            "„An Umfragen teilnehmen“ erlaubt."
        ),
    )
    intro = forms.CharField(
        label=_("Einleitung"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[no_script],
        help_text=_("Markdown. Steht über den Fragen."),
    )
    closing_text = forms.CharField(
        label=_("Abschlusstext"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[no_script],
        help_text=_("Markdown. Erscheint nach dem Absenden, z. B. ein Dank und was nun passiert."),
    )
    eligibility = _radios(
        Eligibility.choices, _("Wer darf antworten?"), initial=Eligibility.REGISTERED
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Ortsteile"),
        queryset=District.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Nur für „bestimmte Ortsteile“: wer hier wohnt (laut Konto), darf antworten. "
            "Leer: alle Ortsteile des Projekts."
        ),
    )
    anonymous = forms.BooleanField(
        label=_("anonym"),
        required=False,
        help_text=_(
            "Antworten werden ohne Verbindung zur Person gespeichert. Jede Person kann "
            "trotzdem nur einmal antworten, ihre Antworten aber nicht mehr ändern."
        ),
    )
    allow_changes = forms.BooleanField(
        label=_("Antworten änderbar"),
        required=False,
        help_text=_("Teilnehmende können ihre Antworten bis zum Ende der Umfrage ändern."),
    )
    results_visibility = _radios(
        ResultsVisibility.choices, _("Ergebnisse sichtbar"), initial=ResultsVisibility.AFTER_CLOSE
    )
    is_published = forms.BooleanField(
        label=_("veröffentlicht"),
        required=False,
        help_text=_(
            "Erst veröffentlichte Umfragen sind öffentlich sichtbar – sobald auch der "
            "Beteiligungsprozess veröffentlicht ist."
        ),
    )

    def __init__(self, *args: Any, project: Project, poll: Poll | None = None, **kwargs: Any):
        if poll is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{name: getattr(poll, name) for name in PollSetupForm.base_fields},
                    "phase": poll.phase_id,
                    "districts": [d.pk for d in poll.districts.all()],
                },
            )
        super().__init__(*args, **kwargs)
        phase: Any = self.fields["phase"]
        phase.queryset = project.phases.order_by("start", "pk")
        districts: Any = self.fields["districts"]
        districts.queryset = District.objects.filter(
            organisation__in=[o.pk for o in project.all_organisations()]
        ).order_by("name")

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class QuestionSetupForm(forms.Form):
    """One question: its kind, text and what the kind needs (options, scale, limits)."""

    kind = _radios(QuestionKind.choices, _("Fragetyp"))
    text = forms.CharField(label=_("Frage"), max_length=300, validators=[no_markup])
    help_text = forms.CharField(
        label=_("Erläuterung"), max_length=500, required=False, validators=[no_markup]
    )
    required = forms.BooleanField(label=_("Pflichtfrage"), required=False, initial=True)
    options = forms.CharField(
        label=_("Antwortmöglichkeiten"),
        required=False,
        max_length=12_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[no_markup],
        help_text=_(
            "Nur bei Einfachauswahl, Mehrfachauswahl und Rangfolge: eine Antwort pro Zeile, "
            "in der Reihenfolge, in der sie erscheinen sollen."
        ),
    )
    min_choices = _number(
        _("mindestens auszuwählen"),
        required=False,
        min_value=0,
        max_value=50,
        help_text=_("Nur bei Mehrfachauswahl. Leer: keine Untergrenze."),
    )
    max_choices = _number(
        _("höchstens auszuwählen"),
        required=False,
        min_value=0,
        max_value=50,
        help_text=_("Nur bei Mehrfachauswahl. Leer: keine Obergrenze."),
    )
    scale_min = _number(
        _("kleinster Wert"),
        min_value=0,
        max_value=10,
        initial=1,
        required=False,
        help_text=_("Nur bei Bewertungsskala."),
    )
    scale_max = _number(
        _("größter Wert"),
        min_value=1,
        max_value=10,
        initial=5,
        required=False,
        help_text=_("Nur bei Bewertungsskala."),
    )
    scale_min_label = forms.CharField(
        label=_("Beschriftung kleinster Wert"),
        max_length=60,
        required=False,
        validators=[no_markup],
    )
    scale_max_label = forms.CharField(
        label=_("Beschriftung größter Wert"),
        max_length=60,
        required=False,
        validators=[no_markup],
    )
    max_length = _number(
        _("höchstens Zeichen"),
        required=False,
        min_value=1,
        max_value=5000,
        help_text=_("Nur bei Freitext. Leer: 200 (kurz) bzw. 5.000 (lang) Zeichen."),
    )

    def __init__(self, *args: Any, question: Question | None = None, **kwargs: Any):
        if question is not None:
            initial = {name: getattr(question, name) for name in QUESTION_FIELDS}
            initial["options"] = "\n".join(o.label for o in question.options.all())
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)

    def kind_rows(self) -> list[dict[str, Any]]:
        return [
            {"widget": option, "explanation": KIND_EXPLANATIONS.get(option.data["value"], "")}
            for option in self["kind"]
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind in TYPED_OPTION_KINDS and not self.option_labels():
            self.add_error("options", _("Bitte geben Sie die Antwortmöglichkeiten an."))
        if kind == QuestionKind.SCALE:
            for name in ("scale_min", "scale_max"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Bitte geben Sie einen Wert an."))
        return cleaned

    def option_labels(self) -> list[str]:
        text = self.cleaned_data.get("options") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data["kind"]
        fields = {
            "kind": kind,
            "text": data["text"],
            "help_text": data.get("help_text", ""),
            "required": data.get("required", False),
            "min_choices": None,
            "max_choices": None,
            "scale_min_label": "",
            "scale_max_label": "",
            "max_length": None,
        }
        if kind == QuestionKind.MULTIPLE:
            fields["min_choices"] = data.get("min_choices")
            fields["max_choices"] = data.get("max_choices")
        if kind == QuestionKind.SCALE:
            fields["scale_min"] = data["scale_min"]
            fields["scale_max"] = data["scale_max"]
            fields["scale_min_label"] = data.get("scale_min_label", "")
            fields["scale_max_label"] = data.get("scale_max_label", "")
        if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
            fields["max_length"] = data.get("max_length")
        return fields

    @staticmethod
    def fixed_options(kind: str) -> list[str]:
        return PRESET_OPTIONS.get(kind, [])
