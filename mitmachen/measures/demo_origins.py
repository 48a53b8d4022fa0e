"""Demo: the winners of the finished Bürgerhaushalt become measures, through the origins
contract (``projects.origins``; the same ``services.measure_from_origin`` staff use on the
"Maßnahme daraus machen" page). Their status and progress are invented, the measures
are marked ``is_demo`` and their pages say so.

The modules' demos run in the order of ``INSTALLED_APPS``, where measures come before
budgets: the budgets module's demo (idempotent) runs first, through the registry.
"""

from __future__ import annotations

from typing import Any

from mitmachen.measures import services
from mitmachen.measures.models import FieldOfAction, Goal, Measure, MeasureOrigin, StatusKind
from mitmachen.measures.origins import content_type
from mitmachen.organisations.models import Organisation
from mitmachen.projects import modules, origins

ORGANISATION = "bad-belzig"
FIELD = "Bürgerhaushalt"
GOAL = "Die gewählten Ideen des Bürgerhaushalts umsetzen"
# Invented: status and progress of the winners in the order of their ideas.
PROGRESS = (
    (StatusKind.DONE, 100),
    (StatusKind.IN_PROGRESS, 60),
    (StatusKind.IN_PROGRESS, 25),
    (StatusKind.PREPARING, 10),
    (StatusKind.PLANNED, 0),
)
# One winner stays without a measure, so the results page shows "noch keine Maßnahme".
LEFT_OPEN = 1


def budget_winners(admin: Any, report: Any) -> None:
    try:
        kind = origins.kind("buergerhaushalt")
    except KeyError:  # budgets not installed
        return
    for module in modules.registered():
        if module.label == "budgets" and module.demo is not None:
            module.demo(report)
    organisation = Organisation.objects.filter(slug=ORGANISATION).first()
    if organisation is None:
        return
    linked = MeasureOrigin.objects.filter(content_type=content_type(kind)).exists()
    rows = [
        row
        for row in kind.rows().order_by("pk")
        if kind.organisation_id(row) == organisation.pk and kind.is_ready(row)
    ]
    if not rows or linked:
        return  # no finished budget, or made already (idempotent)
    field = FieldOfAction.objects.filter(organisation=organisation, title=FIELD).first()
    if field is None:
        field = services.field_of_action_save(
            user=admin, field=FieldOfAction(organisation=organisation, title=FIELD)
        )
        report.add("Handlungsfeld", field.title)
    goal = Goal.objects.filter(field=field, title=GOAL).first()
    if goal is None:
        goal = services.goal_save(user=admin, goal=Goal(field=field, title=GOAL))
        report.add("Ziel", goal.title)
    for n, row in enumerate(rows[: len(rows) - LEFT_OPEN]):
        status, progress = PROGRESS[n % len(PROGRESS)]
        measure = services.measure_from_origin(user=admin, origin=row, goal=goal)
        Measure.objects.filter(pk=measure.pk).update(is_demo=True)
        measure.is_demo = True
        measure.status = services.default_status(status)
        measure.progress_manual = progress
        services.measure_save(user=admin, measure=measure)
        report.add("Maßnahme aus dem Bürgerhaushalt", measure.title)
