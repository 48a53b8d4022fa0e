"""Staff set up budgets and their groups here (scoped to their municipality).

Adding goes through the services (``budget_create``, ``group_create``); a group can be
deleted and added again while it has no ideas, never changed under the voters. Ideas
are listed read-only: the review, with its public explanation and the author's
notification, is the idea's own page ("Idee prüfen"). Ballots are not in the admin:
who voted how is nobody's business.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mitmachen.budgets import services
from mitmachen.budgets.models import Budget, BudgetGroup, Idea
from mitmachen.core.admin_readonly import ReadOnlyAdminMixin
from mitmachen.organisations.admin_mixins import OrganisationScopedAdmin, organisation_ids
from mitmachen.organisations.models import District, Role
from mitmachen.projects.admin_mixins import managed_projects

EDIT_ROLES = (Role.ADMIN, Role.PROJECT_MANAGER)


@admin.register(Budget)
class BudgetAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    organisation_path = "project__organisation"
    edit_roles = EDIT_ROLES
    list_display = ["title", "project", "result_rule", "result_rule_set_at"]
    list_select_related = ["project"]
    fields = ["project", "title", "description", "result_rule"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "project":  # only projects this person may change
            kwargs["queryset"] = managed_projects(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The rule changes on the budget's page (recorded, refused once the ballot began).
        return ["project", "title", "description", "result_rule"] if obj else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        created = services.budget_create(
            project=form.cleaned_data["project"],
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            result_rule=form.cleaned_data["result_rule"],
            user=request.user,
        )
        obj.pk = created.pk


@admin.register(BudgetGroup)
class BudgetGroupAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    organisation_path = "budget__project__organisation"
    edit_roles = EDIT_ROLES
    list_display = ["name", "budget", "amount", "ballot_rule", "max_choices", "ballot_count"]
    list_select_related = ["budget"]
    fields = ["budget", "name", "amount", "ballot_rule", "max_choices", "districts", "order"]
    filter_horizontal = ["districts"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "budget":  # budgets of projects this person may change
            kwargs["queryset"] = Budget.objects.filter(project__in=managed_projects(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "districts" and not request.user.is_superuser:
            kwargs["queryset"] = District.objects.filter(
                organisation__in=organisation_ids(request, EDIT_ROLES)
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting would take the residents' ideas (and any ballots) with it.
        if obj is not None and (obj.budget.ballot_started() or obj.ideas.exists()):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        created = services.group_create(
            budget=data["budget"],
            name=data["name"],
            amount=data["amount"],
            ballot_rule=data["ballot_rule"],
            max_choices=data["max_choices"],
            districts=list(data["districts"]),
            order=data["order"],
        )
        obj.pk = created.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The service has set the Ortsteile already."""


@admin.register(Idea)
class IdeaAdmin(ReadOnlyAdminMixin, OrganisationScopedAdmin, admin.ModelAdmin):
    organisation_path = "project__organisation"
    edit_roles = EDIT_ROLES
    list_display = [
        "title",
        "budget",
        "group",
        "estimated_cost",
        "official_cost",
        "feasibility",
        "review_link",
    ]
    list_filter = ["feasibility", "channel", "budget"]
    list_select_related = ["budget", "group"]
    search_fields = ["title", "description"]
    readonly_fields = [
        "budget",
        "group",
        "title",
        "description",
        "estimated_cost",
        "district",
        "feasibility",
        "explanation",
        "official_cost",
        "reviewed_at",
        "channel",
        "submitted_on",
        "offline_place",
        "offline_name",
        "created_at",
    ]
    exclude = ["project", "author", "reviewed_by", "entered_by"]

    @admin.display(description=_("Prüfung"))
    def review_link(self, obj: Idea) -> str:
        return format_html(
            '<a href="{}">{}</a>', obj.get_absolute_url() + "pruefen/", _("Idee prüfen")
        )
