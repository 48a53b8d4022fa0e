from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mitmachen.climate.importers import DWD_PARAMETERS, MAX_IMPORT_BYTES
from mitmachen.climate.models import ImportKind


class ImportForm(forms.Form):
    """Upload for the preview: the format and, for CSV, which column holds what."""

    kind = forms.ChoiceField(
        label=_("Format der Datei"),
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        initial=ImportKind.CSV,
    )
    file = forms.FileField(
        label=_("Datei"),
        help_text=_(
            "CSV (Semikolon, Komma oder Tabulator; UTF-8 oder Latin-1), Excel (.xlsx, "
            "erste Tabelle), GeoJSON (WGS84) oder eine DWD-Datei produkt_klima_tag_….txt, "
            "höchstens 20 MB."
        ),
    )
    date = forms.CharField(
        label=_("Spalte mit dem Datum"),
        required=False,
        initial="datum",
        max_length=100,
        help_text=_(
            "Überschrift der Spalte (bei GeoJSON: Name der Eigenschaft), z. B. datum. "
            "Formate: 31.12.2024, 2024-12-31, 12.2024, 2024."
        ),
    )
    value = forms.CharField(
        label=_("Spalte mit dem Wert"),
        required=False,
        initial="wert",
        max_length=100,
        help_text=_("Dezimalkomma und Dezimalpunkt werden erkannt."),
    )
    district = forms.CharField(
        label=_("Spalte mit dem Ortsteil (optional)"), required=False, max_length=100
    )
    category = forms.CharField(
        label=_("Spalte mit der Kategorie (optional)"),
        required=False,
        max_length=100,
        help_text=_("z. B. der Sektor bei CO₂-Emissionen."),
    )
    note = forms.CharField(
        label=_("Spalte mit einem Hinweis (optional)"),
        required=False,
        max_length=100,
        help_text=_("z. B. „vorläufig“."),
    )
    parameter = forms.ChoiceField(
        label=_("Messgröße aus der DWD-Datei"),
        choices=list(DWD_PARAMETERS.items()),
        required=False,
        initial="TMK",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _(
                    "Die Datei ist zu groß (höchstens 20 MB). "
                    "Bitte teilen Sie sie, z. B. nach Jahren."
                )
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") in (ImportKind.CSV, ImportKind.XLSX, ImportKind.GEOJSON):
            for name in ("date", "value"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, _("Bitte geben Sie die Überschrift dieser Spalte an."))
        elif data.get("kind") == ImportKind.DWD and not data.get("parameter"):
            self.add_error("parameter", _("Bitte wählen Sie die Messgröße."))
        return data

    def options(self) -> dict[str, str]:
        data = self.cleaned_data
        if data["kind"] == ImportKind.DWD:
            return {"parameter": data["parameter"]}
        return {
            k: (data.get(k) or "").strip()
            for k in ("date", "value", "district", "category", "note")
        }
