"""What projects adds to the pages below it (``core.sections``): the home page, a
municipality, an Ortsteil and the Leichte-Sprache overview list projects."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mitmachen.core.sections import Section, register
from mitmachen.projects.models import Project, ProjectState


def _visible(request: HttpRequest) -> Any:
    return Project.objects.visible_to(request.user).for_listing()


def home(request: HttpRequest, _obj: Any = None) -> dict[str, Any]:
    projects = _visible(request).order_by("ends_at", "title")
    return {
        "running": list(projects.in_state(ProjectState.RUNNING)[:6]),
        "upcoming": list(projects.in_state(ProjectState.UPCOMING).order_by("starts_at")[:6]),
    }


def municipality(request: HttpRequest, organisation: Any) -> dict[str, Any]:
    projects = _visible(request).for_organisation(organisation).order_by("-ends_at", "title")
    return {
        "running": list(projects.in_state(ProjectState.RUNNING)),
        "upcoming": list(projects.in_state(ProjectState.UPCOMING)),
    }


def district(request: HttpRequest, district: Any) -> dict[str, Any]:
    projects = _visible(request).filter(districts=district).order_by("-ends_at", "title")
    return {"projects": list(projects)}


def easy_language(request: HttpRequest, _obj: Any = None) -> dict[str, Any] | None:
    projects = list(
        Project.objects.visible_to(request.user)
        .exclude(easy_language="")
        .select_related("organisation")
        .order_by("title")
    )
    return {"projects": projects} if projects else None


def register_all() -> None:
    for page, loader, order in (
        ("home", home, 10),
        ("municipality", municipality, 10),
        ("district", district, 10),
        ("easy_language", easy_language, 10),
    ):
        register(Section(page, "projects", f"projects/sections/{page}.html", loader, order))
