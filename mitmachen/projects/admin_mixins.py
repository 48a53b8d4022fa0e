"""Admin mixins for rows that belong to a project (a module's polls, drafts …)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Q
from django.http import HttpRequest

from mitmachen.accounts.models import User
from mitmachen.core.admin_widgets import LabelledDateTimeAdmin
from mitmachen.organisations.admin_mixins import ScopedListFilters, organisation_ids
from mitmachen.organisations.models import Role
from mitmachen.projects.models import Project


def managed_projects(request: HttpRequest) -> Any:
    """The projects whose polls the person may build."""
    if request.user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(
        Q(organisation__in=organisation_ids(request, (Role.ADMIN,)))
        | Q(
            pk__in=cast(User, request.user).managed_projects.values("pk"),
            organisation__in=organisation_ids(request, (Role.PROJECT_MANAGER,)),
        )
    )


def manages_any_project(request: HttpRequest) -> bool:
    """Whether ``managed_projects`` finds any, asked once per request (an admin page asks
    every registered admin whether to list it)."""
    user = request.user
    found: bool | None = getattr(user, "_mitmachen_manages_any", None)
    if found is None:
        found = managed_projects(request).exists()
        user._mitmachen_manages_any = found  # type: ignore[union-attr]
    return found


class ProjectScopedAdmin(ScopedListFilters, LabelledDateTimeAdmin):
    """Limits an admin to rows of the projects the person may change (superusers: all).

    ``project_path`` is the lookup from the model to its Project.
    """

    project_path = "project"

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = super().get_queryset(request)  # type: ignore[misc]
        return qs.filter(**{f"{self.project_path}__in": managed_projects(request)})

    def _may(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None:
            return request.user.is_superuser or manages_any_project(request)
        project = obj
        for part in self.project_path.split("__"):
            project = getattr(project, part)
        return request.user.has_perm("projects.change_project", project)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request, None)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._may(request, None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)
