"""Form helpers shared by the apps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet


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
