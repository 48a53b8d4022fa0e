from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitmachen.events.models import (
    ALT_TEXT_MAX_LENGTH,
    ANSWER_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    MAX_PARTICIPANTS,
    NO,
    SUMMARY_MAX_LENGTH,
    WEEKDAY_NAMES,
    YES,
    Kind,
    Question,
    QuestionKind,
)
from mitmachen.events.services import ALT_TEXT_REQUIRED, IMAGE_MISSING, answer_key
from mitmachen.organisations.models import District, Organisation
from mitmachen.projects.models import Project

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


class DocumentationForm(forms.Form):
    """ "Was dabei herauskam" (staff). The service checks everything again and stores
    nothing on bad input (``services.documentation_save``)."""

    summary = forms.CharField(
        label=_("Was dabei herauskam"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Ergebnisse, Verabredungen, nächste Schritte. Markdown; höchstens 20.000 Zeichen."
        ),
        error_messages={"required": _("Bitte schreiben Sie, was bei der Veranstaltung herauskam.")},
    )
    participants = forms.IntegerField(
        label=_("Zahl der Teilnehmenden"),
        required=False,
        min_value=0,
        max_value=MAX_PARTICIPANTS,
        help_text=_("Wie viele Menschen da waren, gezählt oder geschätzt."),
        error_messages={
            "invalid": _("Bitte geben Sie eine ganze Zahl an."),
            "min_value": _("Die Zahl kann nicht negativ sein."),
            "max_value": _("Höchstens 100.000, bitte."),
        },
    )
    protocol = forms.FileField(
        label=_("Protokoll als PDF"),
        required=False,
        help_text=_("Eine PDF-Datei, höchstens 10 MB; ersetzt ein schon hochgeladenes Protokoll."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    remove_protocol = forms.BooleanField(label=_("Protokoll entfernen"), required=False)
    image = forms.FileField(
        label=_("Ein Foto hinzufügen"),
        required=False,
        help_text=_(
            "JPEG, PNG oder WebP, höchstens 10 MB. Ortsdaten und Kameradaten werden entfernt."
        ),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(
        label=_("Bildbeschreibung"),
        required=False,
        max_length=ALT_TEXT_MAX_LENGTH,
        help_text=_("Pflicht zu jedem Foto: was darauf zu sehen ist, in einem Satz."),
    )
    remove_images = forms.MultipleChoiceField(
        label=_("Fotos entfernen"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, images: Iterable[Any] = (), *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(i.pk), i.alt_text) for i in images]
        if choices:
            cast(forms.MultipleChoiceField, self.fields["remove_images"]).choices = choices
        else:
            del self.fields["remove_images"]

    def clean(self) -> dict[str, Any]:
        """A photo needs its description, a description its photo – said together with
        the other fields' errors, not only after they are fixed."""
        data = super().clean() or {}
        has_alt = bool((data.get("alt_text") or "").strip())
        if data.get("image") and not has_alt and "alt_text" not in self.errors:
            self.add_error("alt_text", ALT_TEXT_REQUIRED)
        if has_alt and not data.get("image") and "image" not in self.errors:
            self.add_error("image", IMAGE_MISSING)
        return data

    def removed_image_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("remove_images", [])]


class OpeningHoursFormSet(forms.BaseInlineFormSet):
    """An office's weekly hours: intervals of one weekday must not overlap (each row's
    own end-after-start check is the model's ``clean`` and a database check)."""

    def clean(self) -> None:
        super().clean()
        seen: dict[int, list[tuple[Any, Any]]] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            weekday, opens, closes = data.get("weekday"), data.get("opens"), data.get("closes")
            if weekday is None or opens is None or closes is None or closes <= opens:
                continue
            for other_opens, other_closes in seen.get(int(weekday), []):
                if opens < other_closes and other_opens < closes:
                    raise forms.ValidationError(
                        _(
                            "Die Öffnungszeiten am %(day)s überschneiden sich. Bitte fassen "
                            "Sie sie zu einer zusammen."
                        )
                        % {"day": WEEKDAY_NAMES[int(weekday)]}
                    )
            seen.setdefault(int(weekday), []).append((opens, closes))


class PastEventForm(forms.Form):
    """ "Vergangene Veranstaltung nachtragen" (staff): the meeting – on one day, in
    Europe/Berlin – and what came out of it. Choices are narrowed to the municipalities
    the person plans events for; ``services.past_event_record`` checks everything again."""

    organisation = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": NOT_OFFERED, "required": NOT_OFFERED},
    )
    kind = forms.ChoiceField(
        label=_("Art"),
        choices=Kind.choices,
        initial=Kind.WORKSHOP_MEETING,
        error_messages={"invalid_choice": NOT_OFFERED},
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        error_messages={"required": _("Bitte geben Sie der Veranstaltung einen Titel.")},
    )
    day = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={
            "required": _("Bitte geben Sie an, wann die Veranstaltung war."),
            "invalid": _("Bitte geben Sie ein gültiges Datum an."),
        },
    )
    start_time = forms.TimeField(
        label=_("Beginn – Uhrzeit"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Bitte geben Sie an, wann die Veranstaltung begann."),
            "invalid": _("Bitte geben Sie eine Uhrzeit an, zum Beispiel 18:00."),
        },
    )
    end_time = forms.TimeField(
        label=_("Ende – Uhrzeit"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Bitte geben Sie an, wann die Veranstaltung endete."),
            "invalid": _("Bitte geben Sie eine Uhrzeit an, zum Beispiel 20:00."),
        },
    )
    place_name = forms.CharField(
        label=_("Ort"),
        max_length=200,
        required=False,
        help_text=_("Zum Beispiel „Rathaus, Saal 1“. Leer nur bei einer Online-Veranstaltung."),
    )
    address = forms.CharField(label=_("Adresse"), max_length=300, required=False)
    district = forms.ModelChoiceField(
        label=_("Ortsteil"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("kein bestimmter Ortsteil"),
        error_messages={"invalid_choice": NOT_OFFERED},
    )
    online_url = forms.URLField(
        label=_("Link zur Online-Teilnahme"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Nur bei einer Online- oder Hybrid-Veranstaltung."),
        error_messages={"invalid": _("Bitte geben Sie eine gültige Adresse an (https://…).")},
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Beteiligungsprozesse"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NOT_OFFERED, "invalid_pk_value": NOT_OFFERED},
    )
    description = forms.CharField(
        label=_("Beschreibung"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Worum es ging. Markdown; höchstens 10.000 Zeichen."),
    )
    summary = DocumentationForm.base_fields["summary"]
    participants = DocumentationForm.base_fields["participants"]

    def __init__(self, organisations: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["district"].queryset = (  # type: ignore[attr-defined]
            District.objects.filter(organisation__in=organisations)
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
        self.fields["projects"].queryset = (  # type: ignore[attr-defined]
            Project.objects.filter(organisation__in=organisations)
            .select_related("organisation")
            .order_by("title")
        )
        if organisations.count() > 1:  # a superuser or staff of both: say whose it is
            for name in ("district", "projects"):
                self.fields[name].label_from_instance = (  # type: ignore[attr-defined]
                    lambda row: f"{row} ({row.organisation.name})"
                )

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as ``services.past_event_record`` takes them (start and end
        as aware times of the day in Europe/Berlin)."""
        data = self.cleaned_data
        day = data["day"]
        return {
            "organisation": data["organisation"],
            "projects": list(data["projects"]),
            "kind": data["kind"],
            "title": data["title"],
            "description": data["description"],
            "starts_at": timezone.make_aware(datetime.combine(day, data["start_time"])),
            "ends_at": timezone.make_aware(datetime.combine(day, data["end_time"])),
            "place_name": data["place_name"],
            "address": data["address"],
            "district": data["district"],
            "online_url": data["online_url"],
            "summary": data["summary"],
            "participants": data["participants"],
        }


# A service's message for a model field, shown at the form's field that stands for it.
PAST_EVENT_FIELDS = {"starts_at": "start_time", "ends_at": "end_time"}


class ContributionLinkForm(forms.Form):
    """Staff link a contribution handed in offline to the event afterwards: one of the
    event's municipality's offline contributions from the event's day on, linked to no
    event yet (``services.contributions.linkable``; anything else fails the choice)."""

    contribution = forms.ChoiceField(
        label=_("Beitrag"),
        help_text=_(
            "Offline eingegangene Beiträge der Kommune ab dem Tag der Veranstaltung, die "
            "noch mit keiner Veranstaltung verknüpft sind."
        ),
        error_messages={
            "required": _("Bitte wählen Sie einen Beitrag."),
            "invalid_choice": _(
                "Bitte wählen Sie einen Beitrag aus der Liste: offline eingegangen, in der "
                "Kommune der Veranstaltung und noch nicht verknüpft."
            ),
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "beitrag-%s")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["contribution"]).choices = [
            ("", _("Bitte wählen")),
            *choices,
        ]
