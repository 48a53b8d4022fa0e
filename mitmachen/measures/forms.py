"""Forms of the staff pages: posting an update and turning a proposal into a measure."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mitmachen.measures.models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Goal, MeasureStatus


class UpdateForm(forms.Form):
    text = forms.CharField(
        label=_("Was gibt es Neues?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Erscheint öffentlich im Verlauf der Maßnahme. Markdown."),
    )
    status = forms.ModelChoiceField(
        label=_("Status ändern"),
        queryset=MeasureStatus.objects.none(),
        required=False,
        empty_label=_("Status beibehalten"),
    )
    status_reason = forms.CharField(
        label=_("Begründung des Status"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Nötig für Status wie „verworfen“; öffentlich."),
    )

    def __init__(self, *args: Any, statuses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].queryset = statuses  # type: ignore[attr-defined]


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Goal) -> str:
        return f"{obj.field.title} – {obj.title}"


class FromProposalForm(forms.Form):
    goal = GoalChoiceField(label=_("Ziel"), queryset=Goal.objects.none())
    title = forms.CharField(label=_("Titel der Maßnahme"), max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("Beschreibung"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("Leer: der Text des Vorschlags. Markdown."),
    )
    published = forms.BooleanField(
        label=_("gleich veröffentlichen (und die Beteiligten benachrichtigen)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, goals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Datei mit den Maßnahmen"),
        help_text=_(
            "XLSX oder CSV (Semikolon oder Komma; UTF-8 oder Latin-1), höchstens 5 MB und "
            "10.000 Zeilen, mit den Spalten des Excel-Downloads."
        ),
    )

    def clean_file(self) -> Any:
        from mitmachen.measures.imports import MAX_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Die Datei ist zu groß (höchstens 5 MB). Bitte teilen Sie sie auf.")
            )
        return upload
