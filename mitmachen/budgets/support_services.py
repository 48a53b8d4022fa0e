"""Every write of selecting by supports (the phase action ``SUPPORT``): residents support
ideas, staff then fix which ideas of a group go to the ballot. Views, the demo and the
bench call these; ``services.py`` holds the other writes of the Bürgerhaushalt.

Exactly once under concurrency: one support per person and idea is the database's
(``budget_support_one_per_person_and_idea``); the request whose insert wins moves
``Idea.support_count`` with an ``F()`` update in the same transaction, a parallel one
finds the row and changes nothing. Taking a support back moves the counter only for
the request whose delete removed the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mitmachen.budgets.models import (
    BudgetGroup,
    Feasibility,
    Idea,
    IdeaSupport,
    SelectionRule,
)
from mitmachen.core.permissions import Decision, decide
from mitmachen.projects import modules

# More than any small town's ballot holds; a larger figure is a typing error.
MAX_SELECTION = 1000
MAX_THRESHOLD = 1_000_000


def _locked_idea(idea: Idea) -> Idea:
    return (
        Idea.objects.select_related("budget__project__organisation", "group")
        .prefetch_related("group__districts", "budget__project__phases")
        .get(pk=idea.pk)
    )


def idea_support(*, user: Any, idea: Idea) -> bool:
    """``user`` supports ``idea``; True when this request stored the support (False: it
    was there already). Refused with the rule's German reason."""
    idea = _locked_idea(idea)
    decide(user, "budgets.support_idea", idea).raise_if_refused()
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: the parallel insert may win
                IdeaSupport.objects.create(idea=idea, user=user)
        except IntegrityError:
            return False
        Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
        modules.changed(project_id=idea.project_id)
    return True


def idea_unsupport(*, user: Any, idea: Idea) -> bool:
    """``user`` takes their support back while supports are collected; True when this
    request removed it."""
    idea = _locked_idea(idea)
    decide(user, "budgets.support_idea", idea).raise_if_refused()
    with transaction.atomic():
        deleted, _rows = IdeaSupport.objects.filter(idea=idea, user=user).delete()
        if not deleted:
            return False
        Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - 1)
        modules.changed(project_id=idea.project_id)
    return True


@dataclass(frozen=True)
class SupportState:
    """What an idea's page shows about supports to the visitor."""

    shown: bool  # the budget has a phase of supports
    decision: Decision  # may the visitor support (or take back) now
    supported: bool  # the visitor supports it


def support_state(user: Any, idea: Idea) -> SupportState:
    """For the idea's page: one query for the visitor's own support, none otherwise."""
    if not idea.budget.support_phases():
        return SupportState(shown=False, decision=Decision(False), supported=False)
    decision = decide(user, "budgets.support_idea", idea)
    supported = bool(
        user.is_authenticated and IdeaSupport.objects.filter(idea=idea, user=user).exists()
    )
    return SupportState(shown=True, decision=decision, supported=supported)


def ranked(group: BudgetGroup) -> list[Idea]:
    """The group's feasible ideas the moderation has not hidden, most supported first;
    ties: the cheaper idea first, at equal cost the one submitted earlier (as the
    results' tie-break, ``results.TIE_BREAKING``)."""
    return list(
        Idea.objects.filter(
            group=group, feasibility=Feasibility.FEASIBLE, hidden_at__isnull=True
        ).order_by("-support_count", "official_cost", "created_at", "pk")
    )


def chosen_by(rule: str, value: int, candidates: list[Idea]) -> list[Idea]:
    """The ideas a selection rule takes from ``candidates`` (ranked)."""
    if rule == SelectionRule.TOP:
        return candidates[:value]
    return [i for i in candidates if i.support_count >= value]


def group_select(*, user: Any, group: BudgetGroup, rule: str, value: Any) -> list[Idea]:
    """Staff fix which ideas of ``group`` go to the ballot after the phase of supports:
    the ``value`` most supported (``SelectionRule.TOP``) or all with at least ``value``
    supports (``THRESHOLD``). May be fixed again until the ballot begins; who and when
    are recorded. Returns the selected ideas."""
    errors: dict[str, str] = {}
    if rule not in SelectionRule.values:
        errors["rule"] = _("Bitte wählen Sie, wie ausgewählt wird.")
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    limit = MAX_SELECTION if rule == SelectionRule.TOP else MAX_THRESHOLD
    if not 1 <= number <= limit:
        errors["value"] = _("Bitte geben Sie eine ganze Zahl zwischen 1 und %(max)s an.") % {
            "max": f"{limit:,}".replace(",", ".")
        }
    with transaction.atomic():
        group = (
            BudgetGroup.objects.select_for_update(of=("self",))
            .select_related("budget__project__organisation")
            .prefetch_related("budget__project__phases")
            .get(pk=group.pk)
        )
        decide(user, "budgets.select_for_ballot", group).raise_if_refused()
        if errors:
            raise ValidationError(errors)
        chosen = chosen_by(rule, number, ranked(group))
        if not chosen:
            raise ValidationError(
                {
                    "value": _(
                        "So käme keine Idee auf den Stimmzettel. "
                        "Bitte wählen Sie weniger streng aus."
                    )
                }
            )
        Idea.objects.filter(group=group).update(selected=False)
        Idea.objects.filter(pk__in=[i.pk for i in chosen]).update(selected=True)
        group.selection_rule = rule
        group.selection_value = number
        group.selected_at = timezone.now()
        group.selected_by = user
        group.save(
            update_fields=["selection_rule", "selection_value", "selected_at", "selected_by"]
        )
        modules.changed(project_id=group.budget.project_id)
    return chosen
