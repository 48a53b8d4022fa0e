"""Forms of the staff pages: posting an update and turning a proposal into a measure."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mitmachen.measures.media import (
    ALT_MAX_LENGTH,
    MAX_DOCUMENTS,
    MAX_IMAGES,
    DocumentUpload,
    ImageUpload,
)
from mitmachen.measures.media import TITLE_MAX_LENGTH as DOCUMENT_TITLE_MAX_LENGTH
from mitmachen.measures.models import (
    DOCUMENT_MIME_TYPES,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Goal,
    Measure,
    MeasureStatus,
)


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
        # Plain file inputs in slots (an alt text per image): no JavaScript needed.
        for n in range(1, MAX_IMAGES + 1):
            self.fields[f"image_{n}"] = forms.FileField(
                label=_("Bild %(n)s") % {"n": n},
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": "image/jpeg,image/png,image/webp"}
                ),
                help_text=_(
                    "JPEG, PNG oder WebP, höchstens 10 MB. Standort- und Kameradaten werden "
                    "entfernt."
                ),
            )
            self.fields[f"image_{n}_alt"] = forms.CharField(
                label=_("Was ist auf Bild %(n)s zu sehen?") % {"n": n},
                max_length=ALT_MAX_LENGTH,
                required=False,
                help_text=_("Pflicht zu jedem Bild: für Menschen, die es nicht sehen können."),
            )
        for n in range(1, MAX_DOCUMENTS + 1):
            self.fields[f"document_{n}"] = forms.FileField(
                label=_("Dokument %(n)s") % {"n": n},
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={
                        "accept": "application/pdf,.pdf,.odt,.docx,"
                        + ",".join(DOCUMENT_MIME_TYPES.values())
                    }
                ),
                help_text=_("PDF, ODT oder DOCX, höchstens 10 MB."),
            )
            self.fields[f"document_{n}_title"] = forms.CharField(
                label=_("Titel von Dokument %(n)s") % {"n": n},
                max_length=DOCUMENT_TITLE_MAX_LENGTH,
                required=False,
                help_text=_("Leer: der Dateiname."),
            )

    def image_slots(self) -> list[tuple[Any, Any]]:
        return [(self[f"image_{n}"], self[f"image_{n}_alt"]) for n in range(1, MAX_IMAGES + 1)]

    def document_slots(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"document_{n}"], self[f"document_{n}_title"])
            for n in range(1, MAX_DOCUMENTS + 1)
        ]

    def text_fields(self) -> list[Any]:
        return [self["text"], self["status"], self["status_reason"]]

    def service_data(self) -> dict[str, Any]:
        """``cleaned_data`` in the shape ``services.update_post`` takes. An alt text
        without its image is ignored; an image without one is refused by the service."""
        data = self.cleaned_data
        return {
            "text": data["text"],
            "status": data.get("status"),
            "status_reason": data.get("status_reason") or "",
            "images": [
                ImageUpload(data[f"image_{n}"], alt_text=data.get(f"image_{n}_alt") or "")
                for n in range(1, MAX_IMAGES + 1)
                if data.get(f"image_{n}")
            ],
            "documents": [
                DocumentUpload(data[f"document_{n}"], title=data.get(f"document_{n}_title") or "")
                for n in range(1, MAX_DOCUMENTS + 1)
                if data.get(f"document_{n}")
            ],
        }


class UpdateEditForm(forms.Form):
    text = forms.CharField(
        label=_("Text der Neuigkeit"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Markdown. Fotos, Dokumente und der gemeldete Status bleiben."),
    )


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


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.goal.title})"


class FromOriginForm(forms.Form):
    """A contribution of another module becomes a new measure under a goal, or joins an
    existing measure: exactly one of the two."""

    goal = GoalChoiceField(
        label=_("Neue Maßnahme unter dem Ziel"),
        queryset=Goal.objects.none(),
        required=False,
        empty_label=_("– keine neue Maßnahme –"),
    )
    title = forms.CharField(
        label=_("Titel der neuen Maßnahme"),
        max_length=TITLE_MAX_LENGTH,
        required=False,
        help_text=_("Leer: der Titel des Beitrags."),
    )
    description = forms.CharField(
        label=_("Beschreibung der neuen Maßnahme"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("Leer: der Text des Beitrags. Markdown."),
    )
    published = forms.BooleanField(
        label=_("gleich veröffentlichen (und die Beteiligten benachrichtigen)"),
        required=False,
        initial=True,
    )
    measure = MeasureChoiceField(
        label=_("Oder: mit der bestehenden Maßnahme verknüpfen"),
        queryset=Measure.objects.none(),
        required=False,
        empty_label=_("– keine –"),
    )

    def __init__(self, *args: Any, goals: Any, measures: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals  # type: ignore[attr-defined]
        self.fields["measure"].queryset = measures  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        goal, measure = cleaned.get("goal"), cleaned.get("measure")
        if "goal" not in self.fields:  # it became a measure already: only linking is left
            if measure is None:
                self.add_error("measure", _("Bitte wählen Sie eine Maßnahme."))
        elif goal is None and measure is None:
            self.add_error(
                "goal", _("Bitte wählen Sie ein Ziel für die neue Maßnahme oder eine bestehende.")
            )
        elif goal is not None and measure is not None:
            self.add_error(
                "measure", _("Bitte wählen Sie entweder ein Ziel oder eine bestehende Maßnahme.")
            )
        return cleaned
