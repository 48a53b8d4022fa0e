"""Forms of the staff workspace: setting up a project (basics, phases, visibility).

They check what a person typed; the rules a project's data must keep are checked once
more by ``projects.services`` when it writes (alt text, own Ortsteile, no overlaps).
Every choice list offers only the own municipality's rows.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from mitmachen.core.images import SanitisedImagesMixin
from mitmachen.core.text_checks import no_markup, no_script
from mitmachen.organisations.models import District, Organisation
from mitmachen.projects import modules
from mitmachen.projects.models import Project, Topic, Visibility

# Addresses the set-up's own pages use (/verwaltung/projekte/neu/).
RESERVED_SLUGS = frozenset({"neu"})


class ProjectBasicsForm(SanitisedImagesMixin, forms.Form):
    """Step 1: what the project is about, with image, topics and Ortsteile."""

    sanitised_image_fields = ("image",)

    organisation = forms.ModelChoiceField(
        label=_("Kommune"), queryset=Organisation.objects.none(), empty_label=None
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=Project._meta.get_field("title").max_length,
        validators=[no_markup],
    )
    slug = forms.SlugField(
        label=_("Adresse (Kurzbezeichnung)"),
        max_length=Project._meta.get_field("slug").max_length,
        required=False,
        help_text=_(
            "Erscheint in der Adresse der Projektseite (/projekte/…/). Leer lassen: wird aus "
            "dem Titel gebildet. Nur Kleinbuchstaben, Ziffern und Bindestriche."
        ),
    )
    summary = forms.CharField(
        label=_("Kurzbeschreibung"),
        max_length=Project._meta.get_field("summary").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[no_markup],
        help_text=_("Ein bis zwei Sätze für Listen und Vorschauen, höchstens 280 Zeichen."),
    )
    description = forms.CharField(
        label=_("Beschreibung"),
        max_length=Project._meta.get_field("description").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        validators=[no_script],
        help_text=_(
            "Markdown: ## für Überschriften, - für Listen, [Text](Adresse) für Links. "
            "Höchstens 20.000 Zeichen."
        ),
    )
    image = forms.ImageField(
        label=_("Bild"),
        required=False,
        help_text=_("JPEG, PNG oder WebP. Metadaten wie Ort und Kamera werden entfernt."),
    )
    remove_image = forms.BooleanField(label=_("Bild entfernen"), required=False)
    image_alt = forms.CharField(
        label=_("Alternativtext des Bildes"),
        max_length=Project._meta.get_field("image_alt").max_length,
        required=False,
        validators=[no_markup],
        help_text=_(
            "Beschreibt, was auf dem Bild zu sehen ist. Pflicht, wenn ein Bild gesetzt ist."
        ),
    )
    contact_name = forms.CharField(
        label=_("Ansprechperson"),
        max_length=Project._meta.get_field("contact_name").max_length,
        required=False,
        validators=[no_markup],
        help_text=_(
            "Wen Bewohnerinnen und Bewohner zum Prozess fragen können, z. B. „Frau Meier, Bauamt“."
        ),
    )
    contact_phone = forms.CharField(
        label=_("Telefon der Ansprechperson"),
        max_length=Project._meta.get_field("contact_phone").max_length,
        required=False,
        validators=Project._meta.get_field("contact_phone").validators,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    contact_email = forms.EmailField(
        label=_("E-Mail der Ansprechperson"),
        max_length=Project._meta.get_field("contact_email").max_length,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Themen"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Ortsteile"),
        queryset=District.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nur Ortsteile Ihrer Kommune."),
    )

    def __init__(
        self, *args: Any, organisations: Any, project: Project | None = None, **kwargs: Any
    ) -> None:
        self.project = project
        if project is not None:
            kwargs.setdefault(
                "initial",
                {
                    "organisation": project.organisation_id,
                    "title": project.title,
                    "slug": project.slug,
                    "summary": project.summary,
                    "description": project.description,
                    "image_alt": project.image_alt,
                    "contact_name": project.contact_name,
                    "contact_phone": project.contact_phone,
                    "contact_email": project.contact_email,
                    "topics": [t.pk for t in project.topics.all()],
                    "districts": [d.pk for d in project.districts.all()],
                },
            )
        super().__init__(*args, **kwargs)
        fields = self.fields
        if project is not None:
            # The municipality of a project is fixed once it exists.
            del fields["organisation"]
            own = [project.organisation_id]
        else:
            organisation_field: Any = fields["organisation"]
            organisation_field.queryset = organisations
            own = [o.pk for o in organisations]
            if len(own) == 1:
                organisation_field.widget = forms.HiddenInput()
                organisation_field.initial = own[0]
            del fields["remove_image"]
        districts: Any = fields["districts"]
        districts.queryset = (
            District.objects.filter(organisation__in=own)
            .only("pk", "name", "organisation_id")
            .order_by("name")
        )
        if project is not None and project.image:
            fields["image"].help_text = _("Ein Bild ist gesetzt. Eine neue Datei ersetzt es.")
        elif project is not None:
            del fields["remove_image"]

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data.get("slug") or slugify(self.data.get("title", ""))[:120]
        return slug.strip("-")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        slug = cleaned.get("slug")
        if "title" in cleaned and not slug:
            self.add_error(
                "slug", _("Bitte geben Sie eine Adresse aus Buchstaben oder Ziffern an.")
            )
        elif slug in RESERVED_SLUGS:
            self.add_error("slug", _("Diese Adresse ist reserviert. Bitte wählen Sie eine andere."))
        elif slug:
            taken = Project.objects.filter(slug=slug)
            if self.project is not None:
                taken = taken.exclude(pk=self.project.pk)
            if taken.exists():
                self.add_error(
                    "slug", _("Diese Adresse hat schon ein anderer Beteiligungsprozess.")
                )
        organisation = cleaned.get("organisation") or (
            self.project.organisation if self.project else None
        )
        if organisation is not None:
            foreign = [
                d.name
                for d in cleaned.get("districts") or []
                if d.organisation_id != organisation.pk
            ]
            if foreign:
                self.add_error(
                    "districts",
                    _("Diese Ortsteile gehören nicht zur Kommune des Prozesses: %(names)s")
                    % {"names": ", ".join(foreign)},
                )
        has_image = bool(cleaned.get("image")) or bool(
            self.project and self.project.image and not cleaned.get("remove_image")
        )
        if has_image and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Bitte beschreiben Sie das Bild (Alternativtext)."))
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as ``projects.services`` takes them."""
        data = self.cleaned_data
        image = data.get("image")
        if image is None and data.get("remove_image"):
            image = False
        return {
            "title": data["title"],
            "slug": data["slug"],
            "summary": data["summary"],
            "description": data.get("description", ""),
            "image": image,
            "image_alt": data.get("image_alt", ""),
            "contact_name": data.get("contact_name", ""),
            "contact_phone": data.get("contact_phone", ""),
            "contact_email": data.get("contact_email", ""),
            "topics": list(data.get("topics") or []),
            "districts": list(data.get("districts") or []),
        }


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def _time_field(label: Any, initial: time) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        initial=initial,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class PhaseForm(forms.Form):
    """Step 2: one phase – name, dates and what participants may do in it."""

    name = forms.CharField(label=_("Name der Phase"), max_length=120, validators=[no_markup])
    description = forms.CharField(
        label=_("Beschreibung"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[no_script],
        help_text=_("Was in dieser Phase geschieht (Markdown, freiwillig)."),
    )
    start_date = _date_field(_("Beginn – Datum"))
    start_time = _time_field(_("Beginn – Uhrzeit"), time(0, 0))
    end_date = _date_field(_("Ende – Datum"))
    end_time = _time_field(_("Ende – Uhrzeit"), time(23, 59))
    actions = forms.MultipleChoiceField(
        label=_("Was Teilnehmende in dieser Phase tun dürfen"),
        choices=modules.action_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm = forms.BooleanField(
        label=_("Ich habe die Hinweise gelesen und möchte trotzdem speichern."),
        required=False,
    )

    def __init__(self, *args: Any, phase: Any = None, **kwargs: Any) -> None:
        if phase is not None:
            start, end = timezone.localtime(phase.start), timezone.localtime(phase.end)
            kwargs.setdefault(
                "initial",
                {
                    "name": phase.name,
                    "description": phase.description,
                    "start_date": start.date(),
                    "start_time": start.time().replace(second=0, microsecond=0),
                    "end_date": end.date(),
                    "end_time": end.time().replace(second=0, microsecond=0),
                    "actions": list(phase.actions),
                },
            )
        super().__init__(*args, **kwargs)

    def action_rows(self) -> list[dict[str, Any]]:
        """The action checkboxes with their explanations (template)."""
        explanations = {a.key: a.explanation for a in modules.phase_actions()}
        return [
            {"widget": option, "explanation": explanations.get(option.data["value"], "")}
            for option in self["actions"]
        ]

    @staticmethod
    def _moment(day: Any, clock: Any) -> datetime:
        return timezone.make_aware(datetime.combine(day, clock))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        parts = [cleaned.get(k) for k in ("start_date", "start_time", "end_date", "end_time")]
        if all(part is not None for part in parts):
            start = self._moment(parts[0], parts[1])
            end = self._moment(parts[2], parts[3])
            if end <= start:
                self.add_error("end_date", _("Das Ende muss nach dem Beginn liegen."))
            cleaned["start"], cleaned["end"] = start, end
        return cleaned


class VisibilityForm(forms.Form):
    """Step 3: who sees the project."""

    visibility = forms.ChoiceField(
        label=_("Sichtbarkeit"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
    )
