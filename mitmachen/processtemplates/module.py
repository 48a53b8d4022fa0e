"""Process templates as a module (``projects.modules``): its pages (the public library,
export and import in the staff workspace), a link per project and the import button on
the staff start page. It reads the other modules' ``template`` parts; it has none itself."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mitmachen.core.permissions import decide
from mitmachen.core.sections import Section
from mitmachen.processtemplates.bench import bench
from mitmachen.processtemplates.demo import seed_demo
from mitmachen.projects import setup_services
from mitmachen.projects.modules import ParticipationModule


def export_link(request: HttpRequest, project: Any) -> dict[str, Any] | None:
    if not decide(request.user, "processtemplates.export_template", project).allowed:
        return None
    return {"project": project}


def import_button(request: HttpRequest, _obj: Any = None) -> dict[str, Any] | None:
    if not setup_services.organisations_for_new_projects(request.user).exists():
        return None
    return {}


def municipality_section(request: HttpRequest, organisation: Any) -> dict[str, Any] | None:
    """ "So haben wir's gemacht": the processes the municipality shares (one query)."""
    from mitmachen.processtemplates.models import SharedTemplate

    shared = list(SharedTemplate.objects.filter(organisation=organisation).only("pk", "title"))
    return {"shared": shared} if shared else None


MODULE = ParticipationModule(
    label="processtemplates",
    urls="mitmachen.processtemplates.urls",
    sections=(
        Section(
            "dashboard.project",
            "processtemplates",
            "processtemplates/sections/export_link.html",
            export_link,
            order=200,
        ),
        Section(
            "municipality",
            "processtemplates",
            "processtemplates/sections/municipality.html",
            municipality_section,
            order=90,
        ),
        Section(
            "dashboard.tools",
            "processtemplates",
            "processtemplates/sections/import_button.html",
            import_button,
            order=200,
        ),
    ),
    # The library (views.library, .detail) and the municipality pages, cached for anonymous
    # visitors, show shared processes; sharing is rare: a change makes every page stale.
    stale_everywhere=("processtemplates.SharedTemplate",),
    demo=seed_demo,
    bench=bench,
)
