"""Building polls in the admin: the poll with its questions, a question with its options.

Whoever may change the project may build its polls. The set-up pages
(``polls.setup_views`` through ``polls.services``) are the staff's way; the admin asks the
same rules of the services (an answered question is not deleted, its options are not
removed or renamed, an answered ranking gets no new ones) and deletes no poll with
answers. Responses are not edited here: online answers are the participants', paper
answers are corrected (and logged) on the staff pages.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mitmachen.core.admin_readonly import ReadOnlyAdminMixin
from mitmachen.organisations.admin_mixins import OwnRowsInline
from mitmachen.organisations.models import District
from mitmachen.polls.models import Correction, Option, Poll, Question, QuestionKind
from mitmachen.polls.services import (
    answered_options_refusal,
    ensure_preset_options,
    question_delete_refusal,
)
from mitmachen.projects.admin_mixins import ProjectScopedAdmin, managed_projects
from mitmachen.projects.models import Phase


class QuestionFormSet(forms.BaseInlineFormSet):
    """A question with answers is not deleted (``polls.services.question_delete_refusal``,
    the set-up's rule): its answers would go with it."""

    def clean(self) -> None:
        super().clean()
        refusals = [
            question_delete_refusal(form.instance)
            for form in self.deleted_forms
            if form.instance.pk is not None
        ]
        if any(refusals):
            raise forms.ValidationError([r for r in refusals if r])


class OptionFormSet(forms.BaseInlineFormSet):
    """Options of an answered question are neither removed nor renamed, and an answered
    ranking gets no new ones (``polls.services.answered_options_refusal``)."""

    def clean(self) -> None:
        super().clean()
        gone_pks = [
            form.instance.pk
            for form in self.forms
            if form.instance.pk is not None
            and (form in self.deleted_forms or "label" in form.changed_data)
        ]
        added = any(
            form.instance.pk is None and form.has_changed() and form not in self.deleted_forms
            for form in self.forms
        )
        gone = list(Option.objects.filter(pk__in=gone_pks).order_by("position", "pk"))
        refusal = answered_options_refusal(self.instance, gone, added)
        if refusal:
            raise forms.ValidationError(refusal)


class QuestionInline(OwnRowsInline, admin.TabularInline):
    model = Question
    formset = QuestionFormSet
    extra = 1
    fields = ["position", "kind", "text", "required", "edit_link"]
    readonly_fields = ["edit_link"]
    ordering = ["position", "pk"]

    @admin.display(description=_("Antworten und Details"))
    def edit_link(self, obj: Question) -> str:
        if not obj.pk:
            return "–"
        url = reverse("admin:polls_question_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("bearbeiten"))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


@admin.register(Poll)
class PollAdmin(ProjectScopedAdmin, admin.ModelAdmin):
    list_display = ["title", "project", "phase", "kind", "is_published", "eligibility"]
    list_filter = ["kind", "is_published", "eligibility", "project__organisation"]
    search_fields = ["title"]
    filter_horizontal = ["districts"]
    inlines = [QuestionInline]
    fieldsets = [
        (None, {"fields": ["project", "phase", "kind", "title", "intro", "closing_text"]}),
        (
            _("Teilnahme"),
            {"fields": ["eligibility", "districts", "anonymous", "allow_changes"]},
        ),
        (_("Veröffentlichung"), {"fields": ["is_published", "results_visibility"]}),
    ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting a poll would delete the residents' answers with it.
        if obj is not None and obj.responses.exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A poll stays in its project (its phase, Ortsteile and answers belong there).
        return ["project"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "project":
            kwargs["queryset"] = managed_projects(request)
        if db_field.name == "phase":
            kwargs["queryset"] = Phase.objects.filter(
                project__in=managed_projects(request)
            ).select_related("project")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "districts":
            kwargs["queryset"] = District.objects.filter(
                organisation__projects__in=managed_projects(request)
            ).distinct()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            # Only the phases and Ortsteile of the poll's own project.
            project = obj.project
            organisations = [project.organisation_id]
            organisations += project.partner_organisations.values_list("pk", flat=True)
            if "phase" in form.base_fields:
                cast(
                    forms.ModelChoiceField, form.base_fields["phase"]
                ).queryset = project.phases.all()
            if "districts" in form.base_fields:
                cast(
                    forms.ModelChoiceField, form.base_fields["districts"]
                ).queryset = District.objects.filter(organisation__in=organisations)
        return form

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Preset options are written in bulk; the poll saved in this request (the admin
        # wraps it in one transaction) makes the project's pages stale.
        for question in form.instance.questions.all():
            ensure_preset_options(question)


class OptionInline(OwnRowsInline, admin.TabularInline):
    """Options of a question. Once it has answers, options cannot be removed (that would
    delete answers), and a ranking gets no new ones (old rankings would miscount)."""

    model = Option
    formset = OptionFormSet
    extra = 2
    fields = ["position", "label", "image", "image_alt"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and obj.kind == QuestionKind.RANKING and obj.has_answers())

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and obj.has_answers())


@admin.register(Question)
class QuestionAdmin(ProjectScopedAdmin, admin.ModelAdmin):
    project_path = "poll__project"
    list_display = ["text", "poll", "kind", "position", "required"]
    list_filter = ["kind"]
    search_fields = ["text", "poll__title"]
    inlines = [OptionInline]
    fieldsets = [
        (None, {"fields": ["poll", "position", "kind", "text", "help_text", "required"]}),
        (_("Mehrfachauswahl"), {"fields": ["min_choices", "max_choices"]}),
        (
            _("Bewertungsskala"),
            {"fields": ["scale_min", "scale_max", "scale_min_label", "scale_max_label"]},
        ),
        (_("Freitext"), {"fields": ["max_length"]}),
    ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and question_delete_refusal(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.has_answers():
            return ["poll", "kind", "scale_min", "scale_max"]
        return []

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "poll":
            kwargs["queryset"] = Poll.objects.filter(project__in=managed_projects(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        ensure_preset_options(form.instance)  # see PollAdmin.save_related


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdminMixin, ProjectScopedAdmin, admin.ModelAdmin):
    """The log of corrections to paper questionnaires: read only."""

    project_path = "poll__project"
    list_display = ["response_number", "poll", "corrected_by", "created_at", "reason"]
    readonly_fields = [
        "poll",
        "response",
        "response_number",
        "corrected_by",
        "created_at",
        "reason",
        "before",
        "after",
    ]
