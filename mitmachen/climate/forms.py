from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from mitmachen.climate.importers import DWD_PARAMETERS, MAX_IMPORT_BYTES
from mitmachen.climate.models import Campaign, ImportKind, Topic, ValueKind
from mitmachen.core.forms import MapPointForm
from mitmachen.core.images import sanitise_image
from mitmachen.organisations.models import District


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
            "Formate: 31.12.2024, 2024-12-31, 12.2024, 2024; bei Stundenwerten mit "
            "Uhrzeit: 31.12.2024 13:00 oder 2024-12-31T13:00+01:00."
        ),
    )
    value = forms.CharField(
        label=_("Spalte mit dem Wert"),
        required=False,
        initial="wert",
        max_length=100,
        help_text=_("Dezimalkomma und Dezimalpunkt werden erkannt."),
    )
    time = forms.CharField(
        label=_("Spalte mit der Uhrzeit (nur bei Stundenwerten, optional)"),
        required=False,
        max_length=100,
        help_text=_(
            "Wenn Datum und Uhrzeit in getrennten Spalten stehen, z. B. uhrzeit mit 13:00. "
            "Ohne Zeitzone gilt die Uhrzeit in Deutschland (MEZ/MESZ); die Stunde, die es "
            "Ende Oktober zweimal gibt, braucht die Zeitzone: 02:00+02:00 oder 02:00+01:00."
        ),
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
            for k in ("date", "value", "time", "district", "category", "note")
        }


class IsoDateInput(forms.DateInput):
    """``<input type="date">``: a value that is no ISO date (typed into a browser without
    date picker and refused) is not written back, which would be invalid HTML; the
    field's error says what to enter."""

    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return None
        return super().format_value(value)


class ObservationForm(MapPointForm):
    """A resident's observation. The map sets ``lon``/``lat`` (hidden fields, filled by
    the point picker); without JavaScript the Ortsteil and a description name the place.
    The answer field depends on the campaign's kind; a photo is re-encoded without
    EXIF before anything stores it (``core.images.sanitise_image``)."""

    observed_on = forms.DateField(
        label=_("Tag der Beobachtung"),
        widget=IsoDateInput(format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={
            "invalid": _("Bitte geben Sie den Tag als Datum an, z. B. 2026-07-14."),
            "required": _("Bitte geben Sie den Tag an."),
        },
    )
    district = forms.ModelChoiceField(
        label=_("Ortsteil"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("– bitte wählen –"),
        help_text=_(
            "Wenn Sie einen Punkt auf der Karte setzen, wird der Ortsteil daraus bestimmt."
        ),
    )
    place_description = forms.CharField(
        label=_("Ort (Beschreibung)"),
        max_length=200,
        required=False,
        help_text=_("Zum Beispiel „Bushaltestelle am Markt, ohne Schatten“."),
    )
    photo = forms.ImageField(
        label=_("Foto"),
        required=False,
        help_text=_("JPEG, PNG oder WebP, höchstens 10 MB. Ort und Kameradaten werden entfernt."),
    )
    photo_alt = forms.CharField(
        label=_("Was ist auf dem Foto zu sehen?"),
        max_length=250,
        required=False,
        help_text=_(
            "Für Menschen, die das Foto nicht sehen können; nötig, wenn Sie eines hochladen."
        ),
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        cast(forms.ModelChoiceField, self.fields["district"]).queryset = District.objects.filter(
            organisation_id=campaign.project.organisation_id
        ).order_by("name")
        if campaign.value_kind == ValueKind.NUMBER:
            self.fields["number_value"] = forms.FloatField(
                label=_("%(question)s (in %(unit)s)")
                % {"question": campaign.question, "unit": campaign.unit},
                # Text, not type=number: browsers drop a decimal comma ("35,5" → 355).
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                error_messages={
                    "invalid": _("Bitte geben Sie eine Zahl an, z. B. 34,5."),
                    "required": _("Bitte geben Sie eine Zahl an."),
                },
                localize=True,
            )
        elif campaign.value_kind == ValueKind.CHOICE:
            self.fields["choice_value"] = forms.ChoiceField(
                label=campaign.question,
                choices=[("", _("– bitte wählen –")), *((c, c) for c in campaign.choice_list())],
                error_messages={"required": _("Bitte wählen Sie eine der Möglichkeiten.")},
            )
        else:
            self.fields["yes_no"] = forms.TypedChoiceField(
                label=campaign.question,
                choices=[("", _("– bitte wählen –")), ("ja", _("Ja")), ("nein", _("Nein"))],
                coerce=lambda v: v == "ja",
                error_messages={"required": _("Bitte antworten Sie mit Ja oder Nein.")},
            )
        if not campaign.photo_allowed:
            del self.fields["photo"], self.fields["photo_alt"]

    def answer_field(self) -> forms.BoundField:
        for name in ("number_value", "choice_value", "yes_no"):
            if name in self.fields:
                return self[name]
        raise KeyError("answer")

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo:
            return sanitise_image(photo)
        return photo

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("lon") is None and not data.get("district"):
            self.add_error(
                "district",
                _("Bitte wählen Sie den Ortsteil (oder setzen Sie einen Punkt auf der Karte)."),
            )
        if data.get("photo") and not (data.get("photo_alt") or "").strip():
            self.add_error("photo_alt", _("Bitte beschreiben Sie, was auf dem Foto zu sehen ist."))
        return data


class CampaignIndicatorForm(forms.Form):
    """What staff choose when a campaign's observations first become an indicator."""

    title = forms.CharField(label=_("Titel des Indikators"), max_length=160)
    slug = forms.SlugField(
        label=_("Kurzbezeichnung in der Adresse"),
        max_length=80,
        help_text=_("Kleinbuchstaben, Ziffern und Bindestriche, z. B. hitzeorte-meldungen"),
    )
    topic = forms.ChoiceField(label=_("Thema"), choices=Topic.choices)
    responsible_body = forms.CharField(label=_("Zuständige Stelle"), max_length=200)
    is_published = forms.BooleanField(
        label=_("gleich veröffentlichen"),
        required=False,
        help_text=_("Sonst sehen den Indikator nur Mitarbeitende der Kommune."),
    )
