from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from mitmachen.events.models import (
    ALT_TEXT_MAX_LENGTH,
    ANSWER_MAX_LENGTH,
    MAX_PARTICIPANTS,
    NO,
    SUMMARY_MAX_LENGTH,
    WEEKDAY_NAMES,
    YES,
    Question,
    QuestionKind,
)
from mitmachen.events.services import ALT_TEXT_REQUIRED, IMAGE_MISSING, answer_key

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
