from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mitmachen.core.admin_mixins import (
    OrganisationScopedAdmin,
    RelatedLinksByPermission,
    organisation_ids,
)
from mitmachen.core.admin_widgets import LabelledDateTimeAdmin
from mitmachen.organisations.models import Role
from mitmachen.projects.forms import PhaseAdminForm, PhaseInlineFormSet, ProjectAdminForm
from mitmachen.projects.models import Phase, Project, ProjectMembership, Topic
from mitmachen.proposals.models import CustomStatus


class ProjectPartInline(RelatedLinksByPermission, LabelledDateTimeAdmin):
    """Phases and invitations are part of the project: whoever may edit the project may
    edit them (staff roles carry no Django model permissions)."""

    def _may_edit(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None:
            return request.user.has_perm("projects.add_project")
        return request.user.has_perm("projects.change_project", obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or request.user.has_perm("projects.view_project", obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)


class PhaseInline(ProjectPartInline, admin.StackedInline):
    model = Phase
    form = PhaseAdminForm
    formset = PhaseInlineFormSet
    extra = 0


class ProjectMembershipInline(ProjectPartInline, admin.TabularInline):
    model = ProjectMembership
    extra = 0
    autocomplete_fields = ["user"]


class CustomStatusInline(ProjectPartInline, admin.TabularInline):
    """Statuses a project adds to the standard ones (e.g. "An den Ortsbeirat weitergeleitet")."""

    model = CustomStatus
    extra = 0
    fields = ["name", "base", "description", "position"]


@admin.register(Project)
class ProjectAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    """Org admins edit all projects of their municipality, project managers those they lead."""

    edit_roles = (Role.ADMIN, Role.PROJECT_MANAGER)
    form = ProjectAdminForm
    list_display = ["title", "organisation", "visibility"]
    list_filter = ["visibility", "organisation", "topics"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics", "districts", "partner_organisations", "managers"]
    inlines = [PhaseInline, ProjectMembershipInline, CustomStatusInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "organisation",
                    "partner_organisations",
                    "title",
                    "slug",
                    "summary",
                    "description",
                ]
            },
        ),
        (_("Leichte Sprache"), {"fields": ["easy_language"]}),
        (_("Bild"), {"fields": ["image", "image_alt"]}),
        (_("Einordnung"), {"fields": ["topics", "districts"]}),
        (_("Zugang"), {"fields": ["visibility", "managers"]}),
        (_("Vorschläge"), {"fields": ["support_quorum", "support_eligibility"]}),
    ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return super().has_change_permission(request, obj)
        return request.user.has_perm("projects.change_project", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return super().has_delete_permission(request, obj)
        return request.user.has_perm("projects.delete_project", obj)

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        return qs.filter(
            Q(organisation__in=organisation_ids(request))
            | Q(pk__in=request.user.managed_projects.values("pk"))
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        project = form.instance
        if not request.user.is_superuser and not project.managers.filter(pk=request.user.pk):
            # A project manager who creates a project leads it.
            if project.organisation_id in organisation_ids(request, (Role.PROJECT_MANAGER,)):
                project.managers.add(request.user)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or bool(organisation_ids(request))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser or bool(organisation_ids(request, (Role.ADMIN,)))

    has_add_permission = has_change_permission  # type: ignore[assignment]
    has_delete_permission = has_change_permission  # type: ignore[assignment]
