"""Climate data as a module (``projects.modules``): its pages hang off the municipality
(``/kommunen/<slug>/klima/``), it has no phase action, and the municipality page links
its dashboard."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mitmachen.climate.models import Indicator
from mitmachen.core.sections import Section
from mitmachen.organisations.models import Organisation
from mitmachen.projects.modules import ParticipationModule


def municipality_section(request: HttpRequest, organisation: Organisation) -> dict[str, Any] | None:
    indicators = list(
        Indicator.objects.published()
        .filter(organisation=organisation)
        .values_list("is_example_data", flat=True)
    )
    if not indicators:
        return None
    return {"count": len(indicators), "example_data": any(indicators)}


def demo(report: Any) -> None:
    from mitmachen.climate.demo import seed

    seed(report)


MODULE = ParticipationModule(
    label="climate",
    urls="mitmachen.climate.urls",
    sections=(
        Section(
            "municipality",
            "climate",
            "climate/sections/municipality.html",
            municipality_section,
            40,
        ),
    ),
    # The climate pages (dashboard, indicator pages, downloads) and the municipality page
    # are not in the page cache (``core.page_cache`` caches the home page and the project
    # pages), so no climate row makes a cached page stale.
    not_on_public_pages=(
        "climate.Indicator",
        "climate.Value",
        "climate.Target",
        # A staff member's uploaded file between preview and import: never public.
        "climate.PendingImport",
    ),
    demo=demo,
)
