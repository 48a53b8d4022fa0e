"""Form helpers shared by the apps."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitmachen.core.channels import Channel


def attach_errors(
    form: Any,
    error: ValidationError,
    *,
    not_on: Iterable[str] = (),
    rename: Mapping[str, str] | None = None,
) -> None:
    """Show a service's ValidationError on ``form``: each message at its field when the form
    shows that field (and it is not in ``not_on``, e.g. hidden inputs), else at the top.
    ``rename``: the form's name of a field the service names otherwise."""
    hidden = set(not_on)
    names = rename or {}
    if hasattr(error, "error_dict"):
        for service_name, errors in error.message_dict.items():
            field = names.get(service_name, service_name)
            form.add_error(field if field in form.fields and field not in hidden else None, errors)
    else:
        form.add_error(None, error)


def model_choices(form: forms.BaseForm, name: str) -> QuerySet[Any]:
    """The rows the model choice field ``name`` of ``form`` offers (its ``queryset``, as the
    form's ``__init__`` narrowed it)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
        raise TypeError(f"{name!r} is not a model choice field with a queryset")
    return field.queryset


class MapPointForm(forms.Form):
    """A form with an optional point on the map: the hidden ``lon``/``lat`` inputs that the
    point picker (``includes/point_picker.html``) fills, and the check that both or neither
    are given. Forms of contributions with a place inherit from it."""

    lon = forms.FloatField(
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Der Punkt auf der Karte ist ungültig.")},
    )
    lat = forms.FloatField(
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Der Punkt auf der Karte ist ungültig.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lon") is None) != (data.get("lat") is None):
            raise forms.ValidationError(_("Der Punkt auf der Karte ist unvollständig."))
        return data


# ``events(around)``: (id, label) of the events a contribution handed in on the day
# ``around`` may have been collected at – supplied by the caller, from the module that
# links contributions to events (``projects.contributions.event_options``).
EventChoices = Callable[[datetime.date], Sequence[tuple[int, str]]]
EVENT_REFUSED = _(
    "Bitte wählen Sie eine Veranstaltung aus der Liste: eine Veranstaltung der Kommune "
    "aus den Wochen bis zum angegebenen Datum."
)


class EventFieldMixin(forms.Form):
    """The optional field "Veranstaltung" of a form for contributions collected offline:
    present only when the caller offers events (``offer_events``), placed after the field
    ``event_after``. Its choices depend on the day entered in ``event_date_field`` (today
    when none is given yet); an id not offered – another municipality's event, a forged
    one – fails the field with a German message."""

    event_date_field = "submitted_on"
    event_after = "offline_place"

    def offer_events(self, events: EventChoices | None) -> None:
        if events is None:
            return
        field = forms.TypedChoiceField(
            label=_("Veranstaltung"),
            required=False,
            coerce=int,
            empty_value=None,
            # Read when the form is drawn or checked (once per day entered), so a date
            # the view sets after building the form (a batch's day) counts too.
            choices=lambda: [("", _("keine Veranstaltung")), *self._events_on(events)],
            help_text=_(
                "Die Veranstaltung, bei der der Beitrag gesammelt wurde; zur Wahl stehen die "
                "Veranstaltungen der Kommune aus den Wochen bis zum angegebenen Datum."
            ),
            error_messages={"invalid_choice": EVENT_REFUSED},
        )
        fields = {}
        for name, each in self.fields.items():
            fields[name] = each
            if name == self.event_after:
                fields["event"] = field
        fields.setdefault("event", field)
        self.fields = fields

    def _events_on(self, events: EventChoices) -> Sequence[tuple[int, str]]:
        day = self._entered_day()
        found: dict[datetime.date, Sequence[tuple[int, str]]] = self.__dict__.setdefault(
            "_event_choices", {}
        )
        if day not in found:
            found[day] = events(day)
        return found[day]

    def _entered_day(self) -> datetime.date:
        date_field = self.fields[self.event_date_field]
        if self.is_bound:
            value: Any = self.data.get(self.add_prefix(self.event_date_field))
        else:
            value = self.initial.get(self.event_date_field, date_field.initial)
        if isinstance(value, datetime.date):
            return value
        try:
            day = date_field.clean(value)
        except ValidationError:
            day = None
        return day if isinstance(day, datetime.date) else timezone.localdate()


OFFLINE_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.ONLINE]
OFFLINE_PLACE_MAX_LENGTH = 200
OFFLINE_NAME_MAX_LENGTH = 120


class OfflineEntryForm(EventFieldMixin, forms.Form):
    """The fields with which staff enter a contribution handed in offline (workshop, market
    stand, letter …): channel, date, place, and the name only where the person agreed to be
    named. A contribution form's offline variant inherits from it and from the online form,
    and may name its kind of contribution in the three German messages below.

    ``events``: the events the contribution may have been collected at
    (``EventFieldMixin``); the caller passes ``projects.contributions.event_options``, and
    without it the form has no field "Veranstaltung"."""

    channel_required: Any = _("Bitte wählen Sie, wo der Beitrag einging.")
    date_required: Any = _("Bitte geben Sie an, wann der Beitrag einging.")
    place_required: Any = _("Bitte geben Sie an, wo der Beitrag abgegeben wurde.")

    channel = forms.ChoiceField(
        label=_("Eingegangen über"),
        # No preselection: a forgotten choice must not silently become "Workshop".
        choices=[("", _("Bitte wählen")), *OFFLINE_CHANNELS],
    )
    submitted_on = forms.DateField(
        label=_("Eingegangen am"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={
            "invalid": _("Bitte geben Sie ein gültiges Datum an."),
        },
    )
    offline_place = forms.CharField(
        label=_("Veranstaltung / Ort der Abgabe"),
        max_length=OFFLINE_PLACE_MAX_LENGTH,
        help_text=_("Zum Beispiel „Marktstand auf dem Wochenmarkt“ oder „Mitmachmobil in Lüsse“."),
        error_messages={
            "max_length": _("Der Ort ist zu lang (höchstens 200 Zeichen)."),
        },
    )
    offline_name = forms.CharField(
        label=_("Name der einreichenden Person"),
        max_length=OFFLINE_NAME_MAX_LENGTH,
        required=False,
        help_text=_("Nur ausfüllen, wenn die Person genannt werden möchte."),
        error_messages={"max_length": _("Der Name ist zu lang (höchstens 120 Zeichen).")},
    )
    offline_consent = forms.BooleanField(
        label=_("Die Person ist einverstanden, dass ihr Name öffentlich genannt wird."),
        required=False,
    )

    offline_fields = ["channel", "submitted_on", "offline_place", "offline_name", "offline_consent"]

    def __init__(self, *args: Any, events: EventChoices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer_events(events)
        self.fields["channel"].error_messages.update(
            required=self.channel_required, invalid_choice=self.channel_required
        )
        self.fields["submitted_on"].error_messages["required"] = self.date_required
        self.fields["offline_place"].error_messages["required"] = self.place_required

    def clean_submitted_on(self) -> Any:
        value = self.cleaned_data["submitted_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Das Datum liegt in der Zukunft."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("offline_consent") and not (data.get("offline_name") or "").strip():
            self.add_error("offline_name", _("Bitte den Namen angeben, der genannt werden darf."))
        return data
