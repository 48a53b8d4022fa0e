"""Measures in a process template (``projects.modules.TemplatePart``): the structure of a
project's catalogue – its fields of action (Handlungsfelder) with their goals (Ziele) –
that another town can start its own catalogue from. The measures themselves, their
progress, updates and origins are one town's implementation, not the set-up, and stay
out."""

from __future__ import annotations

from typing import Annotated, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from mitmachen.measures import services
from mitmachen.measures.models import TITLE_MAX_LENGTH, FieldOfAction, Goal
from mitmachen.processtemplates.schema import Item
from mitmachen.projects.modules import TemplatePart

TEXT_LIMIT = 5000


class GoalEntry(Item):
    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX_LENGTH)]
    description: Annotated[str, Field(max_length=TEXT_LIMIT)] = ""
    weight: Annotated[int, Field(ge=1, le=1000)] = 1


class FieldEntry(Item):
    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX_LENGTH)]
    description: Annotated[str, Field(max_length=TEXT_LIMIT)] = ""
    goals: Annotated[list[GoalEntry], Field(max_length=50)] = []


def export(project: Any, phase_index: dict[int, int]) -> list[dict[str, Any]]:
    """The project's fields of action with their goals, in their order (two queries)."""
    fields = list(FieldOfAction.objects.filter(project=project).order_by("order", "title", "pk"))
    goals: dict[int, list[Goal]] = {}
    for goal in Goal.objects.filter(field__in=fields).order_by("order", "title", "pk"):
        goals.setdefault(goal.field_id, []).append(goal)
    return [
        {
            "title": field.title,
            "description": field.description,
            "goals": [
                {"title": g.title, "description": g.description, "weight": g.weight}
                for g in goals.get(field.pk, [])
            ],
        }
        for field in fields
    ]


@transaction.atomic
def create(*, user: Any, project: Any, entries: list[Any], phases: list[Any]) -> int:
    """The fields of action and goals of a new draft project, in its municipality,
    through the catalogue's services (the importer must run the municipality's
    catalogue); in the importer's transaction."""
    written = 0
    for order, entry in enumerate(entries):
        field = services.field_of_action_save(
            user=user,
            field=FieldOfAction(
                organisation=project.organisation,
                project=project,
                title=" ".join(entry.title.split()),
                description=entry.description.strip(),
                order=order,
            ),
        )
        written += 1
        for goal_order, goal in enumerate(entry.goals):
            services.goal_save(
                user=user,
                goal=Goal(
                    field=field,
                    title=" ".join(goal.title.split()),
                    description=goal.description.strip(),
                    weight=goal.weight,
                    order=goal_order,
                ),
            )
            written += 1
    return written


def describe(entry: Any) -> str:
    return _("Handlungsfeld „%(title)s“ mit %(count)s Zielen") % {
        "title": entry.title,
        "count": len(entry.goals),
    }


TEMPLATE_PART = TemplatePart(
    key="measures",
    label=gettext_lazy("Handlungsfelder und Ziele der Umsetzung"),
    item=FieldEntry,
    export=export,
    create=create,
    describe=describe,
)
