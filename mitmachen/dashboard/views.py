from __future__ import annotations

from typing import cast

import rules
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from mitmachen.accounts.models import User
from mitmachen.core.sections import draw
from mitmachen.organisations.models import Membership, Role
from mitmachen.projects import setup_services
from mitmachen.projects.models import Project


@login_required
@require_http_methods(["GET"])
def my_projects(request: HttpRequest) -> HttpResponse:
    """Staff start page: the projects this person runs or looks after."""
    user = cast(User, request.user)  # login_required
    memberships = list(Membership.objects.filter(user=user).select_related("organisation"))
    projects = Project.objects.none()
    if user.is_superuser:
        projects = Project.objects.all()
    elif memberships:
        staff_orgs = [m.organisation_id for m in memberships]
        projects = Project.objects.filter(
            Q(organisation__in=staff_orgs) | Q(pk__in=user.managed_projects.values("pk"))
        )
    projects = projects.for_listing().order_by("-ends_at", "title")
    managed = set(user.managed_projects.values_list("pk", flat=True))
    listed = list(projects)
    # "bearbeiten" opens the set-up (setup_views) for the projects this person may change.
    editable = {p.pk for p in listed if rules.has_perm("projects.change_project", user, p)}
    context = {
        "memberships": memberships,
        # What the modules add (projects.modules): their tools, and links per project.
        "tools": draw(request, "dashboard.tools"),
        "rows": [(project, draw(request, "dashboard.project", project)) for project in listed],
        "managed": managed,
        "editable": editable,
        "may_create": setup_services.organisations_for_new_projects(user).exists(),
        "is_staff_member": bool(memberships) or user.is_superuser,
        # "Rollen und Zugänge" (roles_views) for administration and project management.
        "manages_roles": user.is_superuser
        or any(m.role in (Role.ADMIN, Role.PROJECT_MANAGER) for m in memberships),
    }
    return render(request, "dashboard/my_projects.html", context)
