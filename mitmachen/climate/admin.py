"""Staff maintain the indicators and targets of their municipality here; every save goes
through ``climate.services``. Values come in through the import page of an indicator."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mitmachen.climate import services
from mitmachen.climate.models import Campaign, Indicator, Population, Target
from mitmachen.organisations.admin_mixins import OrganisationScopedAdmin
from mitmachen.organisations.models import Role
from mitmachen.projects.models import Project

EDIT_ROLES = (Role.ADMIN, Role.PROJECT_MANAGER)


@admin.register(Indicator)
class IndicatorAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    # A source link typed without "https://" gets it (Django 6's default, explicit now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    organisation_path = "organisation"
    edit_roles = EDIT_ROLES
    list_display = [
        "title",
        "organisation",
        "topic",
        "unit",
        "is_example_data",
        "is_published",
        "links",
    ]
    list_filter = ["organisation", "topic", "is_published", "is_example_data"]
    search_fields = ["title", "explanation", "source"]
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = [
        (None, {"fields": ["organisation", "title", "slug", "explanation", "topic", "unit"]}),
        (
            _("Daten"),
            {
                "fields": [
                    "resolution",
                    "aggregation",
                    "direction",
                    "spatial_level",
                    "station_lon",
                    "station_lat",
                    "is_example_data",
                    "is_published",
                ]
            },
        ),
        (
            _("Herkunft"),
            {"fields": ["source", "source_url", "licence", "update_rhythm", "responsible_body"]},
        ),
    ]

    @admin.display(description=_("Seiten"))
    def links(self, obj: Indicator) -> str:
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            obj.get_absolute_url(),
            _("ansehen"),
            obj.get_absolute_url() + "import/",
            _("Daten importieren"),
        )

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("organisation")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # An indicator stays with its municipality (its values name its Ortsteile).
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "organisation"] if obj is not None else readonly

    def save_model(self, request: HttpRequest, obj: Indicator, form: Any, change: bool) -> None:
        existing = Indicator.objects.get(pk=obj.pk) if change else None
        saved = services.indicator_save(
            user=request.user,
            organisation=obj.organisation,
            data={k: v for k, v in form.cleaned_data.items() if k in services.INDICATOR_FIELDS},
            indicator=existing,
        )
        obj.pk = saved.pk


@admin.register(Target)
class TargetAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    organisation_path = "indicator__organisation"
    edit_roles = EDIT_ROLES
    list_display = [
        "title",
        "indicator",
        "baseline_year",
        "baseline_value",
        "target_year",
        "target_value",
    ]
    list_select_related = ["indicator__organisation"]
    fields = [
        "indicator",
        "title",
        "baseline_year",
        "baseline_value",
        "target_year",
        "target_value",
        "agenda_url",
        "agenda_label",
    ]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "indicator" and not request.user.is_superuser:
            from mitmachen.organisations.admin_mixins import organisation_ids

            kwargs["queryset"] = Indicator.objects.filter(
                organisation_id__in=organisation_ids(request, self.edit_roles)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Target, form: Any, change: bool) -> None:
        existing = Target.objects.get(pk=obj.pk) if change else None
        saved = services.target_save(
            user=request.user,
            indicator=form.cleaned_data["indicator"],
            data={k: v for k, v in form.cleaned_data.items() if k in services.TARGET_FIELDS},
            target=existing,
        )
        obj.pk = saved.pk


@admin.register(Population)
class PopulationAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    """Inhabitants per municipality and year, for the comparison per inhabitant."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    organisation_path = "organisation"
    edit_roles = EDIT_ROLES
    list_display = ["organisation", "year", "inhabitants", "source", "is_example_data"]
    list_filter = ["organisation"]
    fields = list(services.POPULATION_FIELDS)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("organisation")

    def save_model(self, request: HttpRequest, obj: Population, form: Any, change: bool) -> None:
        existing = Population.objects.get(pk=obj.pk) if change else None
        saved = services.population_save(
            user=request.user,
            data={k: v for k, v in form.cleaned_data.items() if k in services.POPULATION_FIELDS},
            population=existing,
        )
        obj.pk = saved.pk


@admin.register(Campaign)
class CampaignAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    """Staff open campaigns of Mitmach-Daten in a project of their municipality; the
    observations are moderated in the moderation queue, not here."""

    organisation_path = "project__organisation"
    edit_roles = EDIT_ROLES
    list_display = ["title", "project", "value_kind", "starts_on", "ends_on", "is_example_data"]
    list_select_related = ["project__organisation"]
    fields = ["project", *services.CAMPAIGN_FIELDS]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "project" and not request.user.is_superuser:
            from mitmachen.organisations.admin_mixins import organisation_ids

            kwargs["queryset"] = Project.objects.filter(
                organisation_id__in=organisation_ids(request, self.edit_roles)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Its observations belong to the project's municipality (Ortsteile, moderation).
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "project"] if obj is not None else readonly

    def save_model(self, request: HttpRequest, obj: Campaign, form: Any, change: bool) -> None:
        existing = Campaign.objects.get(pk=obj.pk) if change else None
        saved = services.campaign_save(
            user=request.user,
            project=existing.project if existing else form.cleaned_data["project"],
            data={k: v for k, v in form.cleaned_data.items() if k in services.CAMPAIGN_FIELDS},
            campaign=existing,
        )
        obj.pk = saved.pk
