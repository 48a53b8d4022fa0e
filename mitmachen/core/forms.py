"""Form helpers shared by the apps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


def attach_errors(form: Any, error: ValidationError, *, not_on: Iterable[str] = ()) -> None:
    """Show a service's ValidationError on ``form``: each message at its field when the form
    shows that field (and it is not in ``not_on``, e.g. hidden inputs), else at the top."""
    hidden = set(not_on)
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
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
