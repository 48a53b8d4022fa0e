"""Forms of the moderation app. The services validate again and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mitmachen.moderation.models import ReportReason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Grund der Meldung"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Bitte wählen Sie einen Grund."),
            "invalid_choice": _("Bitte wählen Sie einen Grund."),
        },
    )
    text = forms.CharField(
        label=_("Erläuterung"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Nötig bei „Anderer Grund“. Höchstens 1.000 Zeichen."),
        error_messages={"max_length": _("Bitte fassen Sie sich kürzer (höchstens 1.000 Zeichen).")},
    )


class DecisionForm(forms.Form):
    """A moderation decision with its reason (required for hiding, restoring and blocking)."""

    reason = forms.CharField(
        label=_("Begründung"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Die Begründung ist zu lang (höchstens 500 Zeichen).")},
    )


class BlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Die Person erhält diese Begründung. Höchstens 500 Zeichen."),
        error_messages={
            "required": _("Bitte begründen Sie die Entscheidung."),
            "max_length": _("Die Begründung ist zu lang (höchstens 500 Zeichen)."),
        },
    )


class ShortModerationForm(forms.Form):
    """Hide a contribution, or show it again, with the reason (the short page a kind's own
    page links, e.g. a debate's)."""

    reason = forms.CharField(
        label=_("Begründung"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Die verfassende Person erhält diese Begründung."),
        error_messages={
            "required": _("Bitte begründen Sie die Entscheidung."),
            "max_length": _("Die Begründung ist zu lang (höchstens 500 Zeichen)."),
        },
    )

    def __init__(self, *args: Any, restore: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if restore:
            # Shown again: the person is told that, the reason goes to the log.
            self.fields["reason"].help_text = _("Die Begründung steht im Moderationsprotokoll.")
