from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitmachen.core.channels import Channel
from mitmachen.organisations.models import Organisation
from mitmachen.processtemplates.models import METHOD_MAX_LENGTH


class ImportForm(forms.Form):
    """Choose a template (a file, or a library entry) and where and when it starts.

    After the check, the preview sends the file's text back in ``document`` (hidden):
    the import checks it again in full, it is not trusted for having been checked."""

    file = forms.FileField(
        label=_("Vorlagendatei (JSON)"),
        required=False,
        help_text=_("Die Datei, die eine Kommune mit Mitmachen exportiert hat (höchstens 1 MB)."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Kommune"), queryset=Organisation.objects.none(), empty_label=None
    )
    start = forms.DateField(
        label=_("Beginn der ersten Phase"),
        help_text=_("Die Phasen folgen im Abstand, den die Vorlage vorsieht."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    document = forms.CharField(required=False, widget=forms.HiddenInput)
    vorlage = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
        self.fields["start"].initial = timezone.localdate() + timedelta(days=14)


class ShareForm(forms.Form):
    method = forms.CharField(
        label=_("So haben wir's gemacht"),
        max_length=METHOD_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Für andere Kommunen: Wie sind Sie vorgegangen, was hat sich bewährt, was würden "
            "Sie anders machen? Markdown, höchstens 5.000 Zeichen."
        ),
    )
    channels = forms.MultipleChoiceField(
        label=_("Genutzte Beteiligungswege"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
