from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mitmachen.events import services
from mitmachen.events.models import Event, Registration
from mitmachen.organisations.admin_mixins import OrganisationScopedAdmin, organisation_ids
from mitmachen.organisations.models import District, Role
from mitmachen.projects.models import Project

ORGANISER_ROLES = (Role.ADMIN, Role.PROJECT_MANAGER)


class EventAdminForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("Link zur Online-Teilnahme"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Event
        fields = [
            "organisation",
            "projects",
            "district",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "status",
            "status_note",
            "is_published",
            "place_name",
            "address",
            "lat",
            "lon",
            "online_url",
            "step_free",
            "hearing_loop",
            "sign_language",
            "childcare",
            "registration_enabled",
            "capacity",
            "online_url_registered_only",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation = data.get("organisation")
        projects = data.get("projects") or []
        if organisation is not None and any(p.organisation_id != organisation.pk for p in projects):
            raise ValidationError(
                {"projects": _("Diese Beteiligungsprozesse gehören zu einer anderen Kommune.")}
            )
        return data


@admin.register(Event)
class EventAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    """Staff of a municipality plan its events here; saving goes through
    ``services.event_save`` (validation, telling registered people of a cancellation,
    moving the waitlist up when places are added)."""

    form = EventAdminForm
    edit_roles = ORGANISER_ROLES
    list_display = ["title", "kind", "starts_at", "district", "status", "is_published"]
    list_filter = ["kind", "status", "is_published", "organisation"]
    list_select_related = ["district", "organisation"]
    search_fields = ["title", "description", "place_name"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["projects"]
    fieldsets = [
        (
            None,
            {"fields": ["organisation", "projects", "district", "kind", "title", "description"]},
        ),
        (_("Zeit"), {"fields": ["starts_at", "ends_at", "status", "status_note", "is_published"]}),
        (_("Ort"), {"fields": ["place_name", "address", "lat", "lon", "online_url"]}),
        (
            _("Barrierefreiheit"),
            {"fields": ["step_free", "hearing_loop", "sign_language", "childcare"]},
        ),
        (
            _("Anmeldung"),
            {"fields": ["registration_enabled", "capacity", "online_url_registered_only"]},
        ),
    ]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is District and not request.user.is_superuser:
            kwargs["queryset"] = District.objects.filter(
                organisation__in=organisation_ids(request, self.edit_roles)
            ).select_related("organisation")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is Project and not request.user.is_superuser:
            kwargs["queryset"] = Project.objects.filter(
                organisation__in=organisation_ids(request, self.edit_roles)
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Event, form: Any, change: bool) -> None:
        services.event_save(user=request.user, event=obj, projects=form.cleaned_data["projects"])

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The projects are saved by ``event_save``; other relations are none.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Registration)
class RegistrationAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    """Registrations to look up; people register and cancel on the event page (the
    services keep the capacity and move the waitlist up)."""

    organisation_path = "event__organisation"
    edit_roles = ORGANISER_ROLES
    list_display = ["event", "user", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["event", "user"]
    search_fields = ["event__title", "user__email", "user__display_name"]
    readonly_fields = ["event", "user", "status", "created_at", "updated_at"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
