"""Shared form helpers."""

from django import forms
from django.core.exceptions import ValidationError

from mitmachen.core.forms import attach_errors


class Form(forms.Form):
    title = forms.CharField(required=False)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)


def test_attach_errors_puts_messages_at_shown_fields_and_the_rest_on_top():
    form = Form(data={})
    assert form.is_valid()
    attach_errors(
        form,
        ValidationError({"title": "Zu kurz.", "lon": "Außerhalb.", "status": "Unbekannt."}),
        not_on=("lon",),
    )
    assert form.errors["title"] == ["Zu kurz."]
    assert sorted(form.non_field_errors()) == ["Außerhalb.", "Unbekannt."]


def test_attach_errors_without_fields_go_on_top():
    form = Form(data={})
    form.is_valid()
    attach_errors(form, ValidationError("Geht gerade nicht."))
    assert form.non_field_errors() == ["Geht gerade nicht."]


def test_attach_errors_renames_the_services_fields_to_the_forms():
    form = Form(data={})
    form.is_valid()
    attach_errors(
        form,
        ValidationError({"name": "Bitte einen Titel.", "other": "Unbekannt."}),
        rename={"name": "title", "other": "missing"},
    )
    assert form.errors["title"] == ["Bitte einen Titel."]
    assert form.non_field_errors() == ["Unbekannt."]  # renamed to a field the form lacks
