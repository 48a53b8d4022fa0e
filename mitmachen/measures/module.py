"""Measures as a participation module (``projects.modules``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mitmachen.core.permissions import decide
from mitmachen.core.sections import Section
from mitmachen.measures import council_report
from mitmachen.measures.models import (
    MEASURE_FROM_ORIGIN,
    MEASURE_FROM_PROPOSAL,
    MEASURE_UPDATED,
    Measure,
)
from mitmachen.measures.process_template import TEMPLATE_PART
from mitmachen.measures.selectors import catalogue
from mitmachen.projects.models import Project
from mitmachen.projects.modules import ParticipationModule


def _listed(request: HttpRequest) -> Any:
    return (
        Measure.objects.visible_to(request.user)
        .select_related("status")
        .prefetch_related("districts")
    )


def project_section(request: HttpRequest, project: Project) -> dict[str, Any] | None:
    """The measures of the project (two queries with the Ortsteile; none: nothing shown)."""
    measures = list(_listed(request).filter(project=project).order_by("title", "pk")[:50])
    return {"measures": measures} if measures else None


def municipality_section(request: HttpRequest, organisation: Any) -> dict[str, Any] | None:
    """The municipality's fields of action with their roll-up (the overview's first part)."""
    rows = [
        row for row in catalogue(request.user, organisation, load_measures=False) if row.total_count
    ]
    return {"fields": rows} if rows else None


def district_section(request: HttpRequest, district: Any) -> dict[str, Any] | None:
    measures = list(_listed(request).filter(districts=district).order_by("title", "pk")[:50])
    return {"measures": measures} if measures else None


def proposal_section(request: HttpRequest, proposal: Any) -> dict[str, Any] | None:
    """ "Daraus wurde die Maßnahme …": the measures this proposal fed (one query when none
    did, two when some did, and one for staff who may turn it into a measure when none
    came from it yet).

    The link table is asked first: nearly no proposal became a measure, and the query
    with the visibility rule costs about 3 ms of CPU on every signed-in proposal page
    (Django compiles its nested subqueries slowly), the link table's 0.4 ms (issue 16,
    docs/performance.md)."""
    linked = list(
        Measure.proposals.through.objects.filter(proposal_id=proposal.pk).values_list(
            "measure_id", flat=True
        )
    )
    measures = (
        list(
            Measure.objects.visible_to(request.user)
            .filter(pk__in=linked)
            .select_related("status")
            .order_by("pk")
        )
        if linked
        else []
    )
    can_convert = (
        not measures and decide(request.user, "measures.measure_from_proposal", proposal).allowed
    )
    if not (measures or can_convert):
        return None
    return {"measures": measures, "can_convert": can_convert}


# Measures listed under a climate target at most (the rest are counted).
TARGET_LISTED = 30


def climate_target_section(request: HttpRequest, target: Any) -> dict[str, Any] | None:
    """The measures that work towards a target of the climate agenda, under the target
    on its indicator's page (two queries with the Ortsteile, a third to count more than
    ``TARGET_LISTED``; climate imports no measures)."""
    serving = Measure.objects.visible_to(request.user).filter(climate_targets=target)
    measures = list(
        serving.select_related("status")
        .prefetch_related("districts")
        .order_by("title", "pk")[:TARGET_LISTED]
    )
    if not measures:
        return None
    total = len(measures) if len(measures) < TARGET_LISTED else serving.count()
    return {"measures": measures, "total": total}


def _bench(context: Any) -> Any:
    from mitmachen.measures.bench import bench

    return bench(context)


def _demo(report: Any) -> None:
    from mitmachen.measures.demo import demo

    demo(report)


MODULE = ParticipationModule(
    label="measures",
    urls="mitmachen.measures.urls",
    sections=(
        Section("project", "measures", "measures/sections/project.html", project_section, 40),
        Section(
            "municipality",
            "measures",
            "measures/sections/municipality.html",
            municipality_section,
            20,
        ),
        Section("district", "measures", "measures/sections/district.html", district_section, 20),
        Section(
            "proposal.footer", "measures", "measures/sections/proposal.html", proposal_section, 5
        ),
        Section(
            "climate.target",
            "measures",
            "measures/sections/climate_target.html",
            climate_target_section,
            10,
        ),
    ),
    # A measure shows on the pages of its project, on the pages of the proposals it came
    # from (any project) and on pages of no project (municipality, Ortsteil): a change
    # makes every cached page stale. Staff change the catalogue seldom.
    stale_everywhere=(
        "measures.Measure",
        "measures.MeasureStatus",
        "measures.Milestone",
        "measures.Goal",
        "measures.FieldOfAction",
        # Shown under the contributions of other modules ("Daraus wurde …").
        "measures.MeasureOrigin",
    ),
    not_on_public_pages=(
        # Updates show on the measure's page and feed, which are never cached.
        "measures.MeasureUpdate",
        # An update's photos and documents show only with it (page and feed, not cached).
        "measures.MeasureUpdateImage",
        "measures.MeasureUpdateDocument",
        # Who follows a measure shows only to that person (signed in: never cached).
        "measures.MeasureFollow",
        # An uploaded list shows only to the staff member who uploaded it (never cached);
        # its import writes measures with bulk writes and calls ``changed()``.
        "measures.MeasureImport",
    ),
    notification_kinds=(
        (MEASURE_UPDATED, _("Neues zu einer Maßnahme")),
        (MEASURE_FROM_PROPOSAL, _("Aus einem Vorschlag wird eine Maßnahme")),
        (MEASURE_FROM_ORIGIN, _("Aus einem Beitrag wird eine Maßnahme")),
    ),
    demo=_demo,
    bench=_bench,
    template=TEMPLATE_PART,
    report=council_report.report,
)
