"""Forms of the projects app, including the GET filter of the project list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mitmachen.core.forms import FilterFormMixin
from mitmachen.core.images import SanitisedImagesMixin
from mitmachen.organisations.models import District, Organisation
from mitmachen.projects import modules
from mitmachen.projects.models import Phase, Project, ProjectState, Topic, find_overlap


class ProjectFilterForm(FilterFormMixin, forms.Form):
    """Filters of the project list. Values live in the URL so a filtered list can be shared.

    Invalid values are reported and ignored; they never cause an error page.
    """

    kommune = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("alle Kommunen"),
    )
    thema = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("alle Themen"),
    )
    ortsteil = forms.ModelChoiceField(
        label=_("Ortsteil"),
        queryset=District.objects.select_related("organisation").order_by("name"),
        required=False,
        empty_label=_("alle Ortsteile"),
    )
    status = forms.ChoiceField(
        label=_("Zeitraum"),
        choices=[("", _("alle")), *ProjectState.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A per-field label function; fields are typed as plain Field, so mypy does not know it.
        self.fields["ortsteil"].label_from_instance = lambda d: (  # type: ignore[attr-defined]
            f"{d.name} ({d.organisation.display_name})"
        )


class ProjectAdminForm(SanitisedImagesMixin, forms.ModelForm):
    sanitised_image_fields = ("image",)

    class Meta:
        model = Project
        fields = [
            "organisation",
            "partner_organisations",
            "title",
            "slug",
            "summary",
            "description",
            "easy_language",
            "image",
            "image_alt",
            "topics",
            "districts",
            "visibility",
            "managers",
            "support_quorum",
            "support_eligibility",
        ]


class PhaseInlineFormSet(forms.BaseInlineFormSet):
    """Checks the project's phases together: they must not overlap."""

    def clean(self) -> None:
        super().clean()
        phases = [
            form.instance
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and not form.errors
        ]
        overlap = find_overlap(phases)
        if overlap:
            raise forms.ValidationError(
                _("Die Phasen „%(a)s“ und „%(b)s“ überschneiden sich.")
                % {"a": overlap[0].name, "b": overlap[1].name}
            )


class PhaseAdminForm(forms.ModelForm):
    """Admin form that shows a phase's actions as checkboxes."""

    actions = forms.MultipleChoiceField(
        label=_("Erlaubte Beteiligung"),
        choices=modules.action_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Was Teilnehmende in dieser Phase tun dürfen."),
    )

    class Meta:
        model = Phase
        fields = ["name", "description", "start", "end", "actions"]
