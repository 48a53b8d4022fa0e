"""Contribution of the Bürgerhaushalt to "Meine Daten": ideas, supports and ballots, and
– for staff – what the budgets record of their work: the rules and selections they
fixed, the ideas assigned to them, reviewed or entered by them, the stacks of paper
ballots they entered or confirmed.

No eraser: all of these point at the account with ``SET_NULL``. A deleted account's
ballot and supports stay and still count, without the person; its ideas show
"gelöschtes Konto"; the staff's work stays without their name.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from mitmachen.budgets.models import (
    Ballot,
    BallotChoice,
    Budget,
    BudgetGroup,
    Idea,
    IdeaSupport,
    PaperBatch,
)
from mitmachen.core.registry import register


@register("buergerhaushalt")
def export_budgets(user: Any) -> dict[str, Any]:
    ballots = list(Ballot.objects.filter(voter=user).select_related("group__budget"))
    chosen: dict[int, list[str]] = {}
    for ballot_id, title in BallotChoice.objects.filter(ballot__in=ballots).values_list(
        "ballot_id", "idea__title"
    ):
        chosen.setdefault(ballot_id, []).append(title)
    return {
        "ideen": [
            {
                "titel": i.title,
                "beschreibung": i.description,
                "geschaetzte_kosten_euro": i.estimated_cost,
                "ortsteil": i.district.name if i.district else None,
                "punkt_auf_der_karte": [i.lon, i.lat] if i.has_point else None,
                "bilder": [img.image.name for img in i.images.all()],
                "buergerhaushalt": i.budget.title,
                "pruefung": i.get_feasibility_display(),
                "eingereicht_am": i.created_at.isoformat(),
            }
            for i in Idea.objects.filter(author=user)
            .select_related("budget", "district")
            .prefetch_related("images")
        ],
        "unterstuetzungen": [
            {
                "idee": s.idea.title,
                "buergerhaushalt": s.idea.budget.title,
                "unterstuetzt_am": s.created_at.isoformat(),
            }
            for s in IdeaSupport.objects.filter(user=user).select_related("idea__budget")
        ],
        "stimmzettel": [
            {
                "buergerhaushalt": b.group.budget.title,
                "gruppe": b.group.name,
                "gewaehlte_vorschlaege": sorted(chosen.get(b.pk, [])),
                "abgegeben_am": b.created_at.isoformat(),
                "geaendert_am": b.updated_at.isoformat(),
            }
            for b in ballots
        ],
    }


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


@register("buergerhaushalt_verwaltung")
def export_budget_staff_work(user: Any) -> dict[str, Any]:
    """What the budgets store about a member of staff's work (empty for residents)."""
    ideas = Idea.objects.filter(Q(reviewer=user) | Q(reviewed_by=user) | Q(entered_by=user))
    batches = (
        PaperBatch.objects.filter(Q(entered_by=user) | Q(confirmed_by=user))
        .select_related("group__budget")
        .annotate(ballot_total=Count("ballots"))
        .order_by("created_at", "pk")
    )
    return {
        "festgelegte_auszaehlungsregeln": [
            {
                "buergerhaushalt": b.title,
                "regel": b.get_result_rule_display(),
                "festgelegt_am": _when(b.result_rule_set_at),
            }
            for b in Budget.objects.filter(result_rule_set_by=user).order_by("pk")
        ],
        "festgelegte_auswahlen": [
            {
                "buergerhaushalt": g.budget.title,
                "gruppe": g.name,
                "auswahl": g.get_selection_rule_display(),
                "festgelegt_am": _when(g.selected_at),
            }
            for g in BudgetGroup.objects.filter(selected_by=user)
            .select_related("budget")
            .order_by("pk")
        ],
        "ideen": [
            {
                "idee": i.title,
                "buergerhaushalt": i.budget.title,
                "zur_pruefung_zugewiesen": i.reviewer_id == user.pk,
                "geprueft": i.reviewed_by_id == user.pk,
                "geprueft_am": _when(i.reviewed_at) if i.reviewed_by_id == user.pk else None,
                "offline_erfasst": i.entered_by_id == user.pk,
            }
            for i in ideas.select_related("budget").order_by("pk")
        ],
        "papierstapel": [
            {
                "buergerhaushalt": b.group.budget.title,
                "gruppe": b.group.name,
                "gesammelt_am": b.collected_on.isoformat(),
                "ort": b.place,
                "stimmzettel": b.ballot_total,
                "erfasst": b.entered_by_id == user.pk,
                "angelegt_am": b.created_at.isoformat(),
                "bestaetigt": b.confirmed_by_id == user.pk,
                "bestaetigt_am": _when(b.confirmed_at) if b.confirmed_by_id == user.pk else None,
                "korrekturgrund": b.correction_reason,
            }
            for b in batches
        ],
    }
