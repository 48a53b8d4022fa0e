"""Admin widgets with an accessible label on every input (audit issue 18, finding 21).

Django's ``AdminSplitDateTime`` shows "Datum:" and "Uhrzeit:" as plain text beside two
inputs; only the first input is labelled (by the field's label), the time input has
no label at all. ``LabelledSplitDateTime`` renders both as ``<label>`` elements that
also name the field for screen readers ("Beginn – Datum:", "Beginn – Uhrzeit:").
``LabelledDateTimeAdmin`` puts it on every date-and-time field of an admin or inline.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.widgets import AdminSplitDateTime
from django.http import HttpRequest


class LabelledSplitDateTime(AdminSplitDateTime):
    """``AdminSplitDateTime`` whose date and time inputs each have a ``<label>``."""

    template_name = "admin/widgets/labelled_split_datetime.html"

    def __init__(self, attrs: dict[str, Any] | None = None, *, field_label: str = "") -> None:
        super().__init__(attrs)
        self.field_label = field_label

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["field_label"] = self.field_label
        return context


class LabelledDateTimeAdmin:
    """Mixin for a ModelAdmin or an inline: date-and-time fields get ``LabelledSplitDateTime``."""

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        widget = getattr(formfield, "widget", None)
        if isinstance(widget, AdminSplitDateTime) and not isinstance(widget, LabelledSplitDateTime):
            formfield.widget = LabelledSplitDateTime(widget.attrs, field_label=formfield.label)
        return formfield
