"""Campaigns of Mitmach-Daten in a process template (``projects.modules.TemplatePart``):
what a process asked residents to observe – title, question, explanation, the kind of
answer (unit, choices), whether a photo may come with it, and the days it runs (counted
from the process's first day, like the phases). Observations, the campaign's indicator
and the example-data mark are one town's and stay out."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from mitmachen.climate import services
from mitmachen.climate.models import Campaign, Observation
from mitmachen.processtemplates.schema import Item
from mitmachen.processtemplates.services import day_zero
from mitmachen.projects.modules import TemplatePart

# A campaign may start before the first phase (observing the summer before): up to a year.
EARLIEST_DAY = -365
TEXT_LIMIT = 5000


class CampaignEntry(Item):
    title: Annotated[str, Field(min_length=1, max_length=160)]
    question: Annotated[str, Field(min_length=1, max_length=300)]
    description: Annotated[str, Field(min_length=1, max_length=TEXT_LIMIT)]
    # ``ValueKind``'s values (a test keeps the two equal).
    value_kind: Literal["zahl", "auswahl", "janein"]
    unit: Annotated[str, Field(max_length=30)] = ""
    choices: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=100)]], Field(max_length=50)
    ] = []
    photo_allowed: bool = True
    start_day: Annotated[int, Field(ge=EARLIEST_DAY, le=3650)]
    end_day: Annotated[int, Field(ge=EARLIEST_DAY, le=3650)]


def export(project: Any, phase_index: dict[int, int]) -> list[dict[str, Any]]:
    """The project's campaigns, earliest first (two queries)."""
    first = day_zero(project.phases.all())
    return [
        {
            "title": c.title,
            "question": c.question,
            "description": c.description,
            "value_kind": c.value_kind,
            "unit": c.unit,
            "choices": c.choice_list(),
            "photo_allowed": c.photo_allowed,
            "start_day": (c.starts_on - first).days,
            "end_day": (c.ends_on - first).days,
        }
        for c in Campaign.objects.filter(project=project).order_by("starts_on", "title", "pk")
    ]


def check(entries: list[Any], phases: list[Any]) -> list[str]:
    """An end before the start is named before anything is stored."""
    return [
        _("Kampagne „%(title)s“: Das Ende darf nicht vor dem Beginn liegen.") % {"title": e.title}
        for e in entries
        if e.end_day < e.start_day
    ]


@transaction.atomic
def create(*, user: Any, project: Any, entries: list[Any], phases: list[Any]) -> int:
    """The campaigns of a new draft project through the climate services (the importer
    must work on the municipality's climate data); in the importer's transaction. A
    campaign's own rules (a unit only for numbers, at least two choices) are refused
    naming the campaign."""
    first = day_zero(phases)
    for entry in entries:
        data = {
            "title": " ".join(entry.title.split()),
            "question": " ".join(entry.question.split()),
            "description": entry.description.strip(),
            "value_kind": entry.value_kind,
            "unit": entry.unit.strip(),
            "choices": "\n".join(choice.strip() for choice in entry.choices),
            "photo_allowed": entry.photo_allowed,
            "starts_on": first + timedelta(days=entry.start_day),
            "ends_on": first + timedelta(days=entry.end_day),
        }
        try:
            services.campaign_save(user=user, project=project, data=data)
        except ValidationError as error:
            raise ValidationError(
                [
                    _("Kampagne „%(title)s“: %(problem)s")
                    % {"title": entry.title, "problem": message}
                    for message in error.messages
                ]
            ) from None
    return len(entries)


def describe(entry: Any) -> str:
    return _("%(title)s: %(question)s") % {"title": entry.title, "question": entry.question}


def results(project: Any) -> dict[str, int]:
    return {
        _("Beobachtungen (Mitmach-Daten)"): Observation.objects.filter(
            campaign__project=project
        ).count(),
    }


TEMPLATE_PART = TemplatePart(
    key="climate",
    label=gettext_lazy("Mitmach-Daten"),
    item=CampaignEntry,
    export=export,
    check=check,
    create=create,
    describe=describe,
    results=results,
)
