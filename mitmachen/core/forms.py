"""Form helpers shared by the apps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError


def attach_errors(form: Any, error: ValidationError, *, not_on: Iterable[str] = ()) -> None:
    """Show a service's ValidationError on ``form``: each message at its field when the form
    shows that field (and it is not in ``not_on``, e.g. hidden inputs), else at the top."""
    hidden = set(not_on)
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields and field not in hidden else None, errors)
    else:
        form.add_error(None, error)
