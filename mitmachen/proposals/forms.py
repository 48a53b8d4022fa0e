"""Forms for proposals: create/edit, offline entry, status, withdrawal (the list's
filter is in filters.py)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mitmachen.core.forms import MapPointForm, OfflineEntryForm
from mitmachen.core.image_slots import ImageSlotsMixin
from mitmachen.core.upload_checks import MAX_ATTACHMENTS, AttachmentUpload
from mitmachen.organisations.models import District
from mitmachen.projects.models import Project, Topic
from mitmachen.projects.selectors import districts_for
from mitmachen.proposals.models import (
    CustomStatus,
    Proposal,
    ProposalStatus,
)


class ProposalForm(ImageSlotsMixin, MapPointForm):
    title = forms.CharField(
        label=_("Titel"), max_length=120, help_text=_("Kurz und klar, höchstens 120 Zeichen.")
    )
    text = forms.CharField(
        label=_("Beschreibung"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Was schlagen Sie vor, und warum? Höchstens 5.000 Zeichen. "
            "Absätze, **fett** und Listen mit - sind möglich."
        ),
    )
    topic = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=Topic.objects.none(),
        required=False,
        empty_label=_("– kein bestimmtes Thema –"),
    )
    district = forms.ModelChoiceField(
        label=_("Ortsteil"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("– ganzes Gebiet –"),
        help_text=_(
            "Wenn Sie einen Punkt auf der Karte setzen, wird der Ortsteil daraus bestimmt."
        ),
    )
    place_description = forms.CharField(
        label=_("Ort (Beschreibung)"),
        max_length=200,
        required=False,
        help_text=_("Zum Beispiel „Marktplatz vor dem Rathaus“."),
    )

    def __init__(
        self, *args: Any, project: Project, proposal: Proposal | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self._add_media_fields(proposal)
        cast(forms.ModelChoiceField, self.fields["topic"]).queryset = project.topics.all()
        cast(forms.ModelChoiceField, self.fields["district"]).queryset = districts_for(
            project
        ).order_by("name")

    def _add_media_fields(self, proposal: Proposal | None) -> None:
        """Three image and three PDF slots: plain file inputs that work without JavaScript."""
        self.add_image_fields()
        for n in range(1, MAX_ATTACHMENTS + 1):
            self.fields[f"attachment_{n}"] = forms.FileField(
                label=_("PDF-Datei %(n)s") % {"n": n},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
                help_text=_("Zum Beispiel ein Lageplan. Höchstens 10 MB."),
            )
            self.fields[f"attachment_{n}_title"] = forms.CharField(
                label=_("Titel der PDF-Datei %(n)s") % {"n": n}, max_length=200, required=False
            )
        if proposal is not None and proposal.has_point:
            # Without JavaScript the hidden point cannot be cleared on the map.
            self.fields["remove_point"] = forms.BooleanField(
                label=_("Markierung auf der Karte entfernen"),
                required=False,
                help_text=_("Dann zählt der gewählte Ortsteil."),
            )
        if proposal is not None:
            self.fields["remove_images"] = forms.ModelMultipleChoiceField(
                label=_("Diese Bilder entfernen"),
                queryset=proposal.images.all(),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields["remove_attachments"] = forms.ModelMultipleChoiceField(
                label=_("Diese PDF-Dateien entfernen"),
                queryset=proposal.attachments.all(),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def attachment_slots(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"attachment_{n}"], self[f"attachment_{n}_title"])
            for n in range(1, MAX_ATTACHMENTS + 1)
        ]

    def service_data(self) -> dict[str, Any]:
        """cleaned_data in the shape the services take (uploads grouped, slots dropped)."""
        data = {
            key: value
            for key, value in self.cleaned_data.items()
            if not key.startswith(("image_", "attachment_", "remove_"))
        }
        if self.cleaned_data.get("remove_point"):
            data["lon"] = data["lat"] = None
        data["images"] = self.image_uploads()
        data["attachments"] = [
            AttachmentUpload(
                self.cleaned_data[f"attachment_{n}"],
                title=self.cleaned_data.get(f"attachment_{n}_title") or "",
            )
            for n in range(1, MAX_ATTACHMENTS + 1)
            if self.cleaned_data.get(f"attachment_{n}")
        ]
        if "remove_images" in self.fields:
            data["remove_images"] = [i.pk for i in self.cleaned_data.get("remove_images") or []]
            data["remove_attachments"] = [
                a.pk for a in self.cleaned_data.get("remove_attachments") or []
            ]
        return data


CUSTOM_PREFIX = "eigen-"


def status_choices(project: Project) -> list[tuple[str | Promise, Any]]:
    """Standard statuses, then the project's own (as ``eigen-<id>``), for forms and filters."""
    choices: list[tuple[str | Promise, Any]] = list(ProposalStatus.choices)
    custom = [(f"{CUSTOM_PREFIX}{c.pk}", c.name) for c in project.custom_statuses.all()]
    if custom:
        choices.append((_("Eigene Status dieses Projekts"), custom))
    return choices


def custom_status_of(project: Project, value: str) -> CustomStatus | None:
    """The project's custom status a choice value names, or None for a standard status."""
    if not value.startswith(CUSTOM_PREFIX):
        return None
    pk = value.removeprefix(CUSTOM_PREFIX)
    return next((c for c in project.custom_statuses.all() if str(c.pk) == pk), None)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ProposalStatus.choices)
    response = forms.CharField(
        label=_("Rückmeldung der Verwaltung"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Öffentlich sichtbar. Wer den Vorschlag online eingereicht hat oder ihm folgt, "
            "wird benachrichtigt und erhält eine E-Mail. Höchstens 5.000 Zeichen."
        ),
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        cast(forms.ChoiceField, self.fields["status"]).choices = status_choices(project)

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())
        value = data.get("status") or ""
        data["custom_status"] = custom_status_of(self.project, value)
        if data["custom_status"] is not None:
            data["status"] = data["custom_status"].base
        return data

    @staticmethod
    def initial_for(proposal: Proposal) -> dict[str, str]:
        if proposal.custom_status_id:
            return {"status": f"{CUSTOM_PREFIX}{proposal.custom_status_id}"}
        return {"status": proposal.status}


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Warum ziehen Sie den Vorschlag zurück?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Der Grund wird beim Vorschlag angezeigt."),
    )


class OfflineProposalForm(OfflineEntryForm, ProposalForm):
    """Staff enter a proposal handed in at a workshop, market stand, by letter …"""

    channel_required = _("Bitte wählen Sie, wo der Vorschlag einging.")
    date_required = _("Bitte geben Sie an, wann der Vorschlag einging.")
    place_required = _("Bitte geben Sie an, wo der Vorschlag abgegeben wurde.")

    field_order = [
        "channel",
        "submitted_on",
        "offline_place",
        "offline_name",
        "offline_consent",
        "title",
        "text",
        "topic",
        "district",
        "place_description",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # This form has no map: the Ortsteil is chosen directly.
        self.fields["district"].help_text = _("Der Ortsteil, den der Vorschlag betrifft.")
