from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AccessibilityFeedbackForm(forms.Form):
    message = forms.CharField(
        label=_("Ihre Nachricht"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Welche Barriere ist Ihnen begegnet? Höchstens 5.000 Zeichen."),
    )
    page_url = forms.CharField(
        label=_("Betroffene Seite"),
        max_length=500,
        required=False,
        help_text=_("Zum Beispiel die Adresse oder der Titel der Seite."),
    )
    name = forms.CharField(label=_("Ihr Name"), max_length=120, required=False)
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        required=False,
        help_text=_("Nur wenn Sie eine Antwort wünschen."),
    )
