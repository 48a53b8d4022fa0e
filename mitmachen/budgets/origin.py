"""Winning ideas become measures (``projects.origins``): budget ideas are an origin kind.

The measures module sits above budgets in the layers, so budgets import none of it. The
declaration below lets the measures side turn a winning idea into a measure ("Maßnahme
daraus machen" in the box under the idea, drawn on ``budget_idea.footer``), and
``winner_outcomes`` reads, through the contract, what became of the winners for the
results page ("Daraus wurde die Maßnahme … (Stand, Fortschritt)").
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from mitmachen.budgets.models import GroupResult, Idea, ResultState
from mitmachen.projects.models import Project
from mitmachen.projects.origins import OriginKind, Outcome, outcomes


def won(data: dict[str, Any] | None, idea_id: int) -> bool:
    """Did ``idea_id`` win under the binding rule of a group's stored result ``data``?"""
    if not data:
        return False
    binding = data["binding"]
    return any(row["idea"] == idea_id and row[binding] for row in data["rows"])


def idea_won(idea: Idea) -> bool:
    """The idea is among the winners of its group's binding result (one query). Before
    the result is computed, nothing has won."""
    data = (
        GroupResult.objects.filter(group_id=idea.group_id, state=ResultState.DONE)
        .values_list("data", flat=True)
        .first()
    )
    return won(data, idea.pk)


def _visible_ideas(user: Any, rows: Any) -> Any:
    return rows.not_hidden().filter(project__in=Project.objects.visible_to(user))


def _idea_people(idea: Idea) -> Any:
    # The author (none for an idea handed in offline, or after the account was deleted).
    return get_user_model().objects.filter(pk__in=[idea.author_id] if idea.author_id else [])


ORIGIN = OriginKind(
    key="buergerhaushalt",  # in addresses (/massnahmen/aus/buergerhaushalt/<id>/): keep it
    model="budgets.Idea",
    label=_("Idee im Bürgerhaushalt"),
    visible=_visible_ideas,
    title=lambda idea: str(idea.title),
    text=lambda idea: str(idea.description),
    footer="budget_idea.footer",
    ready=idea_won,
    people=_idea_people,
)


def winner_outcomes(user: Any, idea_ids: list[int]) -> dict[int, list[Outcome]] | None:
    """What became of the winning ideas ``idea_ids`` (the measures ``user`` may see), in
    one query for all of them; ``None`` when no module makes anything of ideas."""
    return outcomes(user, ORIGIN, idea_ids)


def attach_outcomes(user: Any, sections: list[dict[str, Any]]) -> bool:
    """List each section's ``winners`` and give each its ``measures`` (one
    query for all groups); False when no module makes anything of ideas (then the page
    says nothing about implementation)."""
    for section in sections:
        section["winners"] = [row for row in section["rows"] if row["won"]]
    winners = [row for section in sections for row in section["winners"]]
    found = winner_outcomes(user, [row["idea"] for row in winners])
    if found is None:
        return False
    for row in winners:
        row["measures"] = found.get(row["idea"], [])
    return True
