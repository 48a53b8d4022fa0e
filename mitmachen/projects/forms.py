"""Forms of the projects app (the project list's filter is in filters.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mitmachen.core.images import SanitisedImagesMixin
from mitmachen.projects import modules
from mitmachen.projects.models import Phase, Project, find_overlap, publish_refusal


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
            "support_quorum",
            "support_eligibility",
        ]


class PhaseInlineFormSet(forms.BaseInlineFormSet):
    """Checks the project's phases together: they must not overlap, and a published
    project keeps at least one."""

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
        # The admin builds the formset on the project as its form would save it: the
        # same rule as the set-up's publish step
        # (``projects.setup_services.project_set_visibility``).
        refusal = publish_refusal(self.instance.visibility, bool(phases))
        if refusal:
            raise forms.ValidationError(refusal)


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
