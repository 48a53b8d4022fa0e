"""A debate as a comment target (``comments.targets``): what commenting on a debate means.

comments lies below debates and imports nothing of it; debates registers this in its
``AppConfig.ready()``. A debate takes comments while it is neither closed nor hidden;
its comments are hidden with it; its top-level comments take a stance, and the debate
keeps ``comment_count`` and one counter per stance (``STANCE_COUNTERS``), moved with
``F()`` updates in the transaction that changes the comments (``shift_comment_counts``).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mitmachen.comments import targets
from mitmachen.comments.targets import CommentTarget
from mitmachen.debates.models import STANCE_COUNTERS, Debate


def comment_refusal(debate: Debate) -> str:
    """Why nobody may comment on ``debate`` now, in German (empty when it takes comments)."""
    if debate.is_hidden:
        return _("Die Debatte wurde ausgeblendet; Kommentare sind nicht möglich.")
    if debate.is_closed:
        return _("Diese Debatte ist abgeschlossen; neue Kommentare sind nicht mehr möglich.")
    return ""


def comments_hidden(debate: Debate) -> bool:
    """A hidden debate's comments are hidden with it (staff still see them)."""
    return debate.is_hidden


def comment_count(debate: Debate) -> int:
    return debate.comment_count


def stance_counts(debate: Debate) -> Mapping[str, int]:
    return debate.stance_counts()


def shift_comment_counts(
    debate_id: int, delta: int, comments: int, stances: Mapping[str, int]
) -> None:
    """``comments`` comments of the debate (``stances``: the top-level ones per stance)
    start (``delta=+1``) or stop (``-1``) counting: one ``F()`` update of its row."""
    counts = {"comment_count": comments}
    for stance, n in stances.items():
        if stance in STANCE_COUNTERS:
            counts[STANCE_COUNTERS[stance]] = n
    Debate.objects.filter(pk=debate_id).update(
        **{name: F(name) + delta * n for name, n in counts.items()}
    )


COMMENT_TARGET = CommentTarget(
    field=targets.DEBATE,
    path="debatten",
    refusal=comment_refusal,
    state_fields=("closed_at", "hidden_at"),
    hidden=comments_hidden,
    shift_counts=shift_comment_counts,
    comment_count=comment_count,
    counter_fields=("comment_count", *STANCE_COUNTERS.values()),
    stance_counts=stance_counts,
    title_field="question",
    foreign_project=gettext_lazy("Die Debatte gehört nicht zu diesem Beteiligungsprozess."),
    gone=gettext_lazy("Diese Debatte gibt es nicht mehr."),
    list_view="debates:list",
    list_label=gettext_lazy("Debatten"),
    heading=gettext_lazy("Kommentare zur Debatte"),
    back_label=gettext_lazy("Zur Debatte"),
    csv_column="debatte",
    summary_template="debates/partials/stance_summary_oob.html",
)
