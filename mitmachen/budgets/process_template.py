"""Participatory budgets in a process template (``projects.modules.TemplatePart``): each
budget with its binding result rule and its groups (money, ballot rule). No ideas or
ballots, and no Ortsteile of a group (they belong to the municipality: staff choose
them in the new project)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field, model_validator

from mitmachen.budgets.models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Budget, BudgetGroup, Idea
from mitmachen.processtemplates.schema import Item
from mitmachen.projects.modules import TemplatePart


class GroupEntry(Item):
    name: Annotated[str, Field(min_length=1, max_length=TITLE_MAX_LENGTH)]
    amount: Annotated[int, Field(ge=1, le=2_000_000_000)]
    ballot_rule: Literal["knapsack", "approval"] = "knapsack"
    max_choices: Annotated[int, Field(ge=1, le=1000)] | None = None

    @model_validator(mode="after")
    def _rule(self) -> GroupEntry:
        if self.ballot_rule == "approval" and self.max_choices is None:
            raise ValueError(_("Bei Zustimmung zu höchstens N Vorschlägen fehlt „max_choices“."))
        if self.ballot_rule == "knapsack" and self.max_choices is not None:
            raise ValueError(_("„max_choices“ gilt nur für die Zustimmung („approval“)."))
        return self


class BudgetEntry(Item):
    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX_LENGTH)]
    description: Annotated[str, Field(max_length=TEXT_MAX_LENGTH)] = ""
    result_rule: Literal["greedy", "mes"] = "mes"
    groups: Annotated[list[GroupEntry], Field(min_length=1, max_length=50)]


def export(project: Any, phase_index: dict[int, int]) -> list[dict[str, Any]]:
    budgets = (
        Budget.objects.filter(project=project)
        .prefetch_related("groups")
        .order_by("created_at", "pk")
    )
    entries = []
    for budget in budgets:
        groups = [
            {
                "name": g.name,
                "amount": g.amount,
                "ballot_rule": g.ballot_rule,
                "max_choices": g.max_choices,
            }
            for g in sorted(budget.groups.all(), key=lambda g: (g.order, g.pk))
        ]
        if groups:
            entries.append(
                {
                    "title": budget.title,
                    "description": budget.description,
                    "result_rule": budget.result_rule,
                    "groups": groups,
                }
            )
    return entries


@transaction.atomic
def create(*, user: Any, project: Any, entries: list[Any], phases: list[Any]) -> int:
    """The budgets of a new draft project with their groups (the importer's transaction).
    The result rule is the template's; as for a new budget, nobody has fixed it yet."""
    rows = 0
    for entry in entries:
        budget = Budget(
            project=project,
            title=entry.title,
            description=entry.description,
            result_rule=entry.result_rule,
        )
        budget.full_clean()
        budget.save()
        rows += 1
        for order, spec in enumerate(entry.groups):
            group = BudgetGroup(
                budget=budget,
                name=spec.name,
                amount=spec.amount,
                ballot_rule=spec.ballot_rule,
                max_choices=spec.max_choices,
                order=order,
            )
            group.full_clean()
            group.save()
            rows += 1
    return rows


def describe(entry: Any) -> str:
    total = sum(g.amount for g in entry.groups)
    return _("%(title)s (%(groups)s Budgetgruppen, zusammen %(total)s €)") % {
        "title": entry.title,
        "groups": len(entry.groups),
        "total": f"{total:,}".replace(",", "."),
    }


def results(project: Any) -> dict[str, int]:
    return {_("Ideen im Bürgerhaushalt"): Idea.objects.filter(project=project).count()}


TEMPLATE_PART = TemplatePart(
    key="budgets",
    label=gettext_lazy("Bürgerhaushalte"),
    item=BudgetEntry,
    export=export,
    create=create,
    describe=describe,
    results=results,
)
