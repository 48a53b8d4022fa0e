from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class GuestForm(forms.Form):
    """Registering without an account: name and e-mail address (checked by the service,
    which says what is wrong in German)."""

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
