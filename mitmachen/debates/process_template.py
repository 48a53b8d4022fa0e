"""Debates in a process template (``projects.modules.TemplatePart``): the questions the
administration put, with their explanation. Debates residents opened are their
contributions, not the set-up, and stay out; so do comments, stances and conclusions."""

from __future__ import annotations

from typing import Annotated, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from mitmachen.comments.models import Comment
from mitmachen.debates.models import QUESTION_MAX_LENGTH, TEXT_MAX_LENGTH, Debate
from mitmachen.processtemplates.schema import Item
from mitmachen.projects.modules import TemplatePart


class DebateEntry(Item):
    question: Annotated[str, Field(min_length=1, max_length=QUESTION_MAX_LENGTH)]
    description: Annotated[str, Field(max_length=TEXT_MAX_LENGTH)] = ""


def export(project: Any, phase_index: dict[int, int]) -> list[dict[str, Any]]:
    debates = Debate.objects.filter(project=project, opened_by_staff=True).order_by(
        "created_at", "pk"
    )
    return [{"question": d.question, "description": d.description} for d in debates]


@transaction.atomic
def create(*, user: Any, project: Any, entries: list[Any], phases: list[Any]) -> int:
    """The administration's debates of a new draft project, opened by the importing
    member of staff (they may open debates in it: ``debates.open_debate``); in the
    importer's transaction. Nobody is notified: the project is a draft."""
    debates = []
    for entry in entries:
        debate = Debate(
            project=project,
            author=user,
            opened_by_staff=True,
            question=" ".join(entry.question.split()),
            description=entry.description.strip(),
        )
        debate.full_clean()
        debate.save()
        debates.append(debate)
    return len(debates)


def describe(entry: Any) -> str:
    return str(entry.question)


def results(project: Any) -> dict[str, int]:
    return {
        _("Beiträge in Debatten"): Comment.objects.filter(
            project=project, debate__isnull=False
        ).count(),
    }


TEMPLATE_PART = TemplatePart(
    key="debates",
    label=gettext_lazy("Debatten"),
    item=DebateEntry,
    export=export,
    create=create,
    describe=describe,
    results=results,
)
