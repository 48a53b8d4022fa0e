"""Links to the statistics on "Meine Projekte": per project (``dashboard.project``) and,
for a municipality's administration, the municipality's (``dashboard.tools``). Drawn
through the page's sections, for whoever the rules allow (``dashboard.permissions``)."""

from __future__ import annotations

from typing import Any

import rules
from django.http import HttpRequest

from mitmachen.core.sections import Section, register
from mitmachen.organisations.models import Organisation, Role
from mitmachen.projects.permissions import staff_roles


def project_link(request: HttpRequest, project: Any) -> dict[str, Any] | None:
    # The roles are read once per request (``projects.permissions``): no query per row.
    if not rules.has_perm("dashboard.view_project_statistics", request.user, project):
        return None
    return {}


def municipality_links(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    user = request.user
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        found = Organisation.objects.all()
    else:
        admin_of = [org for org, roles in staff_roles(user).items() if Role.ADMIN in roles]
        if not admin_of:
            return None
        found = Organisation.objects.filter(pk__in=admin_of)
    organisations = list(found.order_by("name"))
    return {"organisations": organisations} if organisations else None


def register_all() -> None:
    register(
        Section(
            "dashboard.project",
            "statistics",
            "dashboard/statistics/project_link.html",
            project_link,
            order=10,
        )
    )
    register(
        Section(
            "dashboard.tools",
            "statistics",
            "dashboard/statistics/municipality_links.html",
            municipality_links,
            order=20,
        )
    )
