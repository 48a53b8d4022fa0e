"""The link to a project's council report on "Meine Projekte" (``dashboard.project``),
for whoever the rule ``dashboard.council_report`` allows."""

from __future__ import annotations

from typing import Any

import rules
from django.http import HttpRequest

from mitmachen.core.sections import Section, register


def project_link(request: HttpRequest, project: Any) -> dict[str, Any] | None:
    # The roles are read once per request (``projects.permissions``): no query per row.
    if not rules.has_perm("dashboard.council_report", request.user, project):
        return None
    return {}


def register_all() -> None:
    register(
        Section(
            "dashboard.project",
            "council_report",
            "dashboard/report/project_link.html",
            project_link,
            order=20,
        )
    )
