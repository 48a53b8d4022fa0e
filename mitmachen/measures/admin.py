"""Staff run the catalogue here, scoped to their municipality; every write goes through
``services`` (``save_model``/``save_formset``/``delete_model`` call them), so a milestone
changed here recomputes the measure's progress like one changed anywhere else."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mitmachen.measures import services
from mitmachen.measures.models import FieldOfAction, Goal, Measure, MeasureStatus, Milestone
from mitmachen.measures.permissions import manages_in
from mitmachen.organisations.admin_mixins import (
    OrganisationScopedAdmin,
    OwnRowsInline,
    organisation_ids,
)
from mitmachen.organisations.models import District, Role
from mitmachen.projects.models import Project
from mitmachen.proposals.models import Proposal

EDIT_ROLES = (Role.ADMIN, Role.PROJECT_MANAGER)


@admin.register(MeasureStatus)
class MeasureStatusAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    """A municipality's own statuses; the default set (no municipality) only superusers
    change."""

    edit_roles = EDIT_ROLES
    list_display = ["name", "kind", "organisation", "requires_reason", "order"]
    list_filter = ["kind"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.status_save(user=request.user, status=obj)


class CataloguePartInline(OwnRowsInline):
    """Goals of a field, milestones of a measure: whoever may change the parent may change
    them (staff roles carry no Django model permissions)."""

    def _may_edit(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None:
            return request.user.is_superuser or bool(organisation_ids(request, EDIT_ROLES))
        return manages_in(request.user, obj.organisation_id)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return request.user.is_superuser or bool(organisation_ids(request))
        return request.user.is_superuser or obj.organisation_id in organisation_ids(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)


class GoalInline(CataloguePartInline, admin.TabularInline):
    model = Goal
    extra = 1
    fields = ["title", "weight", "order"]


@admin.register(FieldOfAction)
class FieldOfActionAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    edit_roles = EDIT_ROLES
    list_display = ["title", "organisation", "project", "order"]
    list_filter = ["organisation"]
    search_fields = ["title"]
    inlines = [GoalInline]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "project" and not request.user.is_superuser:
            kwargs["queryset"] = Project.objects.filter(
                organisation__memberships__user=request.user.pk,
                organisation__memberships__role__in=EDIT_ROLES,
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.field_of_action_save(user=request.user, field=obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for goal in formset.save(commit=False):
            services.goal_save(user=request.user, goal=goal)
        for goal in formset.deleted_objects:
            services.goal_delete(user=request.user, goal=goal)


class MilestoneInline(CataloguePartInline, admin.TabularInline):
    model = Milestone
    extra = 1
    fields = ["title", "due", "done", "weight"]


class MeasureForm(forms.ModelForm):
    """The measure belongs to the municipality of its goal: set before the model's own
    validation runs, so a project, status or Ortsteil of another municipality is an
    error at its field, not a failure on saving."""

    class Meta:
        model = Measure
        fields = [
            "goal",
            "project",
            "title",
            "description",
            "published",
            "responsible",
            "status",
            "status_reason",
            "priority",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "progress_mode",
            "progress_manual",
            "weight",
            "districts",
            "latitude",
            "longitude",
            "area",
            "cost",
            "funding_source",
            "proposals",
            "climate_targets",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        goal = cleaned.get("goal")
        if goal is not None:
            self.instance.organisation_id = goal.field.organisation_id
            for name in ("districts", "proposals", "climate_targets"):
                rows = cleaned.get(name) or []
                if name == "districts":
                    foreign = [d for d in rows if d.organisation_id != goal.field.organisation_id]
                elif name == "climate_targets":
                    foreign = [
                        t for t in rows if t.indicator.organisation_id != goal.field.organisation_id
                    ]
                else:
                    foreign = [
                        p for p in rows if p.project.organisation_id != goal.field.organisation_id
                    ]
                if foreign:
                    self.add_error(name, _("Nur aus der Kommune des Ziels."))
        return cleaned


@admin.register(Measure)
class MeasureAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    form = MeasureForm
    edit_roles = EDIT_ROLES
    list_display = ["title", "goal", "status", "progress", "published", "organisation"]
    list_filter = ["status__kind", "published", "priority"]
    list_select_related = ["goal", "status", "organisation"]
    search_fields = ["title", "description", "responsible"]
    raw_id_fields = ["proposals"]
    filter_horizontal = ["districts", "climate_targets"]
    readonly_fields = ["progress"]
    inlines = [MilestoneInline]
    fieldsets = [
        (None, {"fields": ["goal", "project", "title", "description", "published"]}),
        (
            _("Umsetzung"),
            {
                "fields": [
                    "responsible",
                    "status",
                    "status_reason",
                    "priority",
                    ("planned_start", "planned_end"),
                    ("actual_start", "actual_end"),
                    ("progress_mode", "progress_manual", "progress"),
                    "weight",
                ]
            },
        ),
        (
            _("Ort und Kosten"),
            {
                "fields": [
                    "districts",
                    ("latitude", "longitude"),
                    "area",
                    "cost",
                    "funding_source",
                ]
            },
        ),
        (_("Herkunft"), {"fields": ["proposals"]}),
        (_("Klimaschutz"), {"fields": ["climate_targets"]}),
    ]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not request.user.is_superuser:
            own = {
                "organisation__memberships__user": request.user.pk,
                "organisation__memberships__role__in": EDIT_ROLES,
            }
            if db_field.name == "goal":
                kwargs["queryset"] = Goal.objects.filter(
                    **{f"field__{k}": v for k, v in own.items()}
                ).select_related("field")
            elif db_field.name == "project":
                kwargs["queryset"] = Project.objects.filter(**own).distinct()
            elif db_field.name == "status":
                kwargs["queryset"] = MeasureStatus.objects.filter(
                    organisation__isnull=True
                ) | MeasureStatus.objects.filter(**own)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "districts" and not request.user.is_superuser:
            kwargs["queryset"] = District.objects.filter(
                organisation__memberships__user=request.user.pk,
                organisation__memberships__role__in=EDIT_ROLES,
            ).distinct()
        if db_field.name == "proposals" and not request.user.is_superuser:
            kwargs["queryset"] = Proposal.objects.filter(
                project__organisation__memberships__user=request.user.pk,
                project__organisation__memberships__role__in=EDIT_ROLES,
            ).distinct()
        if db_field.name == "climate_targets":
            targets = db_field.related_model.objects.select_related("indicator")
            if not request.user.is_superuser:
                targets = targets.filter(
                    indicator__organisation__memberships__user=request.user.pk,
                    indicator__organisation__memberships__role__in=EDIT_ROLES,
                ).distinct()
            kwargs["queryset"] = targets
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if obj.goal_id:
            obj.organisation_id = obj.goal.field.organisation_id
        services.measure_save(
            user=request.user,
            measure=obj,
            districts=form.cleaned_data.get("districts"),
            proposals=form.cleaned_data.get("proposals"),
            climate_targets=form.cleaned_data.get("climate_targets"),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.measure_delete(user=request.user, measure=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for measure in queryset:
            services.measure_delete(user=request.user, measure=measure)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The relations were set by ``measure_save``; the inlines go through the services.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    @transaction.atomic
    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for milestone in formset.save(commit=False):
            services.milestone_save(user=request.user, milestone=milestone)
        for milestone in formset.deleted_objects:
            services.milestone_delete(user=request.user, milestone=milestone)
