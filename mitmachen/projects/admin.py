from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mitmachen.accounts.models import User
from mitmachen.core.admin_widgets import LabelledDateTimeAdmin
from mitmachen.organisations.admin_mixins import (
    OrganisationScopedAdmin,
    OwnRowsInline,
    RelatedLinksByPermission,
    UserByEmailInline,
    organisation_ids,
)
from mitmachen.organisations.models import District, Organisation, Role
from mitmachen.projects.forms import PhaseAdminForm, PhaseInlineFormSet, ProjectAdminForm
from mitmachen.projects.models import Phase, Project, ProjectMembership, Topic


class ScopedProjectAdminForm(ProjectAdminForm):
    """Ortsteile must belong to the project's municipality (or a partner), also when the
    person works for several municipalities."""

    def clean(self) -> dict[str, Any]:
        cleaned = cast(dict[str, Any], super().clean())
        instance = self.instance
        organisation = cleaned.get("organisation") or (
            instance.organisation if instance.organisation_id else None
        )
        if organisation is None:
            return cleaned
        if "partner_organisations" in cleaned:
            partners = list(cleaned["partner_organisations"] or [])
        else:
            partners = list(instance.partner_organisations.all()) if instance.pk else []
        allowed = {organisation.pk, *(p.pk for p in partners)}
        foreign = [
            d.name for d in cleaned.get("districts") or [] if d.organisation_id not in allowed
        ]
        if foreign:
            self.add_error(
                "districts",
                _("Diese Ortsteile gehören nicht zu den Kommunen des Prozesses: %(names)s")
                % {"names": ", ".join(foreign)},
            )
        return cleaned


class ProjectPartInline(OwnRowsInline, RelatedLinksByPermission, LabelledDateTimeAdmin):
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


class ProjectMembershipInline(UserByEmailInline, ProjectPartInline, admin.TabularInline):
    """Who was invited into a private project, shown by e-mail address. Invitations are
    sent on the set-up's invitation page (``projects.invitation_services.project_invite``: it checks
    the address and mails the person); here a membership can only be ended."""

    model = ProjectMembership
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Project)
class ProjectAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    """Org admins edit all projects of their municipality, project managers those they lead."""

    edit_roles = (Role.ADMIN, Role.PROJECT_MANAGER)
    form = ScopedProjectAdminForm
    list_display = ["title", "organisation", "visibility"]
    list_filter = ["visibility", "organisation", "topics"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics", "districts", "partner_organisations"]
    inlines = [PhaseInline, ProjectMembershipInline]  # and the modules' (get_inlines)
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
        (_("Zugang"), {"fields": ["visibility", "managers_on_site"]}),
        (_("Vorschläge"), {"fields": ["support_quorum", "support_eligibility"]}),
    ]

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        from mitmachen.projects import modules

        return [*self.inlines, *modules.project_admin_inlines()]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return super().has_change_permission(request, obj)
        return request.user.has_perm("projects.change_project", obj)

    @admin.display(description=_("Projektleitung"))
    def managers_on_site(self, obj: Project | None) -> str:
        """Project managers are assigned on the site's roles page (``roles.services``:
        checked against the person's own role, and logged), never here."""
        if obj is None or not obj.pk:
            return str(_("Nach dem Anlegen unter „Projektleitung“ in der Verwaltung vergeben."))
        names = ", ".join(str(u) for u in obj.managers.order_by("display_name", "email")) or "–"
        url = reverse("dashboard:project_managers", args=[obj.slug])
        return format_html(
            '{} <a href="{}">{}</a>', names, url, _("Projektleitung in der Verwaltung ändern")
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = [*super().get_readonly_fields(request, obj), "managers_on_site"]
        if obj is not None:
            # Moving a project would leave its Ortsteile, staff and contributions behind.
            readonly.append("organisation")
        if not request.user.is_superuser:
            # A partner municipality shows the project on its own pages: the platform
            # operator sets partners, with the consent of both municipalities.
            readonly.append("partner_organisations")
        return readonly

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            organisations = [
                obj.organisation_id,
                *obj.partner_organisations.values_list("pk", flat=True),
            ]
        elif request.user.is_superuser:
            organisations = list(Organisation.objects.values_list("pk", flat=True))
        else:
            organisations = organisation_ids(request, self.edit_roles)
        fields = form.base_fields
        if "districts" in fields:
            cast(forms.ModelChoiceField, fields["districts"]).queryset = District.objects.filter(
                organisation__in=organisations
            ).select_related("organisation")
        return form

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
            | Q(pk__in=cast(User, request.user).managed_projects.values("pk"))
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or bool(organisation_ids(request, (Role.ADMIN,)))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Topics are shared by all municipalities: an administrator changes or deletes
        only topics that no other municipality's project uses."""
        if request.user.is_superuser:
            return True
        own = organisation_ids(request, (Role.ADMIN,))
        if not own:
            return False
        return obj is None or not obj.projects.exclude(organisation__in=own).exists()

    has_delete_permission = has_change_permission
