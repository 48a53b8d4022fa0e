"""Correcting a confirmed stack of paper ballots: a second stack that replaces it.

A confirmed stack never changes. When it proves wrong (a ballot typed twice, a wrong
number), a member of staff starts a correction (``paper_batch_correct``): a new stack
``corrects`` the old one, with a required reason, starting as a copy of its ballots.
The person who started it fixes the ballots (delete and add, as in any open stack), and
another person confirms it (``services.paper_batch_confirm``, the same four-eyes rule).
On confirmation (``correction_apply``, in the confirmation's transaction and under the
group's lock) the old stack is ``superseded_at`` and stops counting; both stacks stay,
with who entered, confirmed and corrected them and why. If the group's result was
computed already, it is queued again and recomputed by the background task; the
results page names the correction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mitmachen.budgets.models import (
    Ballot,
    BallotChoice,
    BudgetGroup,
    GroupResult,
    PaperBatch,
    ResultState,
)
from mitmachen.core.permissions import decide
from mitmachen.projects import modules

REASON_MAX_LENGTH = 1000


def paper_batch_correct(*, user: Any, batch: PaperBatch, reason: str) -> PaperBatch:
    """Start the correction of the confirmed ``batch``: a new open stack with a copy of
    its ballots, entered by ``user`` (rule ``budgets.correct_paper_batch``)."""
    reason = reason.strip()
    with transaction.atomic():
        BudgetGroup.objects.select_for_update().filter(pk=batch.group_id).first()
        batch = (
            PaperBatch.objects.select_for_update(of=("self",))
            .select_related("group__budget__project")
            .get(pk=batch.pk)
        )
        decide(user, "budgets.correct_paper_batch", batch).raise_if_refused()
        if not reason:
            raise ValidationError(
                {"reason": _("Bitte begründen Sie die Korrektur (z. B. welche Zeile falsch war).")}
            )
        if len(reason) > REASON_MAX_LENGTH:
            raise ValidationError(
                {"reason": _("Die Begründung ist zu lang (höchstens 1.000 Zeichen).")}
            )
        correction = PaperBatch.objects.create(
            group=batch.group,
            collected_on=batch.collected_on,
            place=batch.place,
            entered_by=user,
            corrects=batch,
            correction_reason=reason,
        )
        old = list(Ballot.objects.filter(batch=batch).prefetch_related("choices").order_by("pk"))
        copies = Ballot.objects.bulk_create(
            Ballot(group=batch.group, batch=correction) for _ballot in old
        )
        BallotChoice.objects.bulk_create(
            BallotChoice(ballot=copy, idea_id=choice.idea_id)
            for original, copy in zip(old, copies, strict=True)
            for choice in original.choices.all()
        )
    return correction


def correction_apply(batch: PaperBatch) -> None:
    """Called by ``services.paper_batch_confirm`` inside its transaction, with the group
    locked, once ``batch`` is confirmed: the stack it corrects stops counting, and a
    result already computed is queued to be computed again."""
    if batch.corrects_id is None:
        return
    now = timezone.now()
    PaperBatch.objects.filter(pk=batch.corrects_id, superseded_at__isnull=True).update(
        superseded_at=now
    )
    result = GroupResult.objects.select_for_update().filter(group_id=batch.group_id).first()
    if result is not None:
        result.state = ResultState.QUEUED
        result.progress = 0
        result.data = None
        result.message = ""
        result.computed_at = None
        result.started_at = now
        result.save(
            update_fields=["state", "progress", "data", "message", "computed_at", "started_at"]
        )
        from mitmachen.budgets.tasks import compute_group_result

        pk = result.pk
        transaction.on_commit(lambda: compute_group_result.enqueue(result_id=pk))
    modules.changed(project_id=batch.group.budget.project_id)


def corrections_of(group: BudgetGroup) -> list[dict[str, Any]]:
    """The group's confirmed corrections, for the stored result (shown on its page)."""
    return [
        {
            "place": c.place,
            "collected_on": c.collected_on.isoformat(),
            "reason": c.correction_reason,
            "confirmed_at": c.confirmed_at.isoformat() if c.confirmed_at else None,
        }
        for c in PaperBatch.objects.filter(
            group=group, corrects__isnull=False, confirmed_at__isnull=False
        ).order_by("confirmed_at", "pk")
    ]
