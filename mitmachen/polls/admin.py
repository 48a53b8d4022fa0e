"""Building polls in the admin: the poll with its questions, a question with its options.

Whoever may change the project may build its polls. Responses are not edited here:
online answers are the participants', paper answers are corrected (and logged) on the
staff pages.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mitmachen.organisations.admin_mixins import OwnRowsInline
from mitmachen.organisations.models import District
from mitmachen.polls.models import Correction, Option, Poll, Question, QuestionKind
from mitmachen.polls.services import ensure_preset_options
from mitmachen.projects.admin_mixins import ProjectScopedAdmin, managed_projects
from mitmachen.projects.models import Phase


class QuestionInline(OwnRowsInline, admin.TabularInline):
    model = Question
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
class CorrectionAdmin(ProjectScopedAdmin, admin.ModelAdmin):
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

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
