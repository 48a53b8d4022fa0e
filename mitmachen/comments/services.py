"""Every write on comments and their ratings. Views, the admin and the demo call these.

Counting is exact under concurrency without application locks:
- ``Proposal.comment_count`` (visible comments), a registered target's counters
  (``comments.targets``: a debate's ``comment_count`` and stance counters, kept by
  its ``shift_counts``) and the parent's ``reply_count`` change only with ``F()``
  updates in the same transaction as the comment row (``shift_comment_counters``;
  moderation uses it too);
- one lock order everywhere, so parallel writers wait for each other instead of
  deadlocking: **comments** (several in id order) **before proposals before
  debates**. Replying locks the comments it answers before the debate's row;
  deleting, hiding, restoring, reporting, blocking and unblocking change the
  comments before the counters; closing, reopening, editing and hiding a debate
  touch only the debate's row;
- a delete counts only for the transaction whose conditional
  ``UPDATE … WHERE deleted_at IS NULL`` wins;
- ``CommentRating`` rows are unique per (comment, person) in the database; a change
  of vote locks the person's row (``SELECT … FOR UPDATE``) and moves
  ``up_count``/``down_count`` with ``F()`` in the same transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mitmachen.comments import targets
from mitmachen.comments.models import NEW_COMMENT, STANCE_REQUIRED, Comment, CommentRating, Stance
from mitmachen.comments.permissions import Discussion, can
from mitmachen.comments.targets import Commentable
from mitmachen.core.channels import Channel
from mitmachen.core.permissions import decide
from mitmachen.notifications.models import ACTOR
from mitmachen.notifications.services import notify
from mitmachen.projects import modules
from mitmachen.projects.models import Project
from mitmachen.proposals.models import Proposal

COUNTER = {1: "up_count", -1: "down_count"}
# A comment with the same text by the same person on the same target within this time
# is a resent form (a retry after an error page, a double click), not a new comment.
DUPLICATE_WINDOW = timedelta(minutes=10)
# What a comment counts towards: (proposal_id, target key, target id, stance) – its keys
# on ``Comment``: the proposal, and the registered target (``comments.targets``: the key
# ``debate`` or ``paragraph``, "" for none), whose counters its registration keeps.
CountedRow = tuple[int | None, str, int | None, str]
# The columns of ``Comment`` a counted row is read from (``counted_rows``).
_TARGET_COLUMNS = tuple(f"{key}_id" for key in targets.KEYS)


def counted_row(comment: Comment) -> CountedRow:
    for key in targets.KEYS:
        target_id = getattr(comment, f"{key}_id")
        if target_id is not None:
            return (comment.proposal_id, key, target_id, comment.stance)
    return (comment.proposal_id, "", None, comment.stance)


def _counted_rows(values: Iterable[tuple[Any, ...]]) -> list[CountedRow]:
    """Counted rows from ``(proposal_id, *<target key ids>, stance)`` tuples."""
    rows: list[CountedRow] = []
    for proposal_id, *ids, stance in values:
        key, target_id = next(
            ((k, i) for k, i in zip(targets.KEYS, ids, strict=True) if i is not None),
            ("", None),
        )
        rows.append((proposal_id, key, target_id, stance))
    return rows


def shift_comment_counters(rows: Iterable[CountedRow], delta: int) -> None:
    """Comments start (``delta=+1``) or stop (``-1``) counting: move their targets' counters.

    ``rows`` holds one ``(proposal_id, target key, target id, stance)`` per comment (see
    ``counted_row``). The caller decides, in its transaction, exactly which comments
    changed state (conditional updates); this writes one ``F()`` update per proposal,
    then each registered target's ``CommentTarget.shift_counts`` one per target row
    (in the order of ``targets.KEYS``: debates before paragraphs), each in id order so
    parallel transactions lock rows in the same order.
    """
    per_proposal: Counter[int] = Counter()
    # per target key and row: comments per stance ("": none)
    per_target: dict[str, dict[int, Counter[str]]] = {}
    for proposal_id, key, target_id, stance in rows:
        if proposal_id is not None:
            per_proposal[proposal_id] += 1
        if target_id is not None:
            per_target.setdefault(key, {}).setdefault(target_id, Counter())[stance] += 1
    for proposal_id in sorted(per_proposal):
        Proposal.objects.filter(pk=proposal_id).update(
            comment_count=F("comment_count") + delta * per_proposal[proposal_id]
        )
    for key in targets.KEYS:
        if key not in per_target:
            continue
        shift = targets.get(key).shift_counts
        for target_id in sorted(per_target[key]):
            counts = per_target[key][target_id]
            shift(target_id, delta, counts.total(), {s: n for s, n in counts.items() if s})


@transaction.atomic
def comments_set_hidden(*, rows: QuerySet[Comment], values: dict[str, Any], hiding: bool) -> int:
    """Moderation hides (``hiding``) or shows ``rows``: the ``set_hidden`` hook of the
    comments' moderation target (``comments.module``). Returns how many rows changed.

    ``rows`` holds exactly the comments whose state changes (moderation narrows them by
    ``hidden_at``). They are locked first, in id order – the lock order of this module:
    comments before proposals before debates –, and only those not deleted count, so
    only they move their proposal's or debate's counters, in this transaction. A delete
    in parallel (``comment_delete``) waits for the lock and then finds the comment
    hidden, so a comment hidden and deleted at once is uncounted once.
    """
    counted = list(
        rows.select_for_update(no_key=True, of=("self",))
        .filter(deleted_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "proposal_id", *_TARGET_COLUMNS, "stance")
    )
    changed = Comment.objects.filter(pk__in=[row[0] for row in counted]).update(**values)
    shift_comment_counters(_counted_rows(row[1:] for row in counted), -1 if hiding else +1)
    # Deleted comments are hidden too (their place in the thread), without a count.
    return changed + rows.filter(deleted_at__isnull=False).update(**values)


@transaction.atomic
def comment_create(
    *,
    author: Any,
    project: Project,
    text: str,
    proposal: Proposal | None = None,
    debate: Commentable | None = None,
    target: Commentable | None = None,
    stance: str = "",
    reply_to: Comment | None = None,
    offline_channel: str | None = None,
    entered_by: Any = None,
    name_in_report: bool = False,
) -> Comment:
    """Write a comment on ``proposal`` or a registered ``target`` (a debate, a draft
    paragraph; ``debate`` is the older name of ``target``), or on ``project`` itself.

    ``reply_to`` answers a comment of the same target; the reply joins the thread of
    its top-level comment (two levels). In a debate, a top-level comment needs a
    ``stance`` (``Stance`` value); replies take none. Online, the rule
    ``comments.write_comment`` decides whether ``author`` may comment now. Offline
    (``offline_channel`` given), a member of staff (``entered_by``) who may change the
    project enters it on behalf of a resident, in any phase
    (``comments.enter_offline_comment``); ``author`` may then be ``None``. Closed or
    hidden debates take no comments at all (their registration, ``comments.targets``,
    says so, in both rules): the debate's row is locked and read again here, so a
    comment never lands after a parallel close has committed. Likewise the comment
    answered (and the top-level comment of its thread) is locked first and read again,
    so no reply lands under a comment whose deletion or hiding has committed.

    ``name_in_report``: the author agrees to be named where the target's module lists
    contributions by name; kept only online and where the target asks
    (``CommentTarget.name_consent``).

    Resending the same online comment (same person, target, reply and text) within
    ``DUPLICATE_WINDOW`` returns the stored one instead of a second copy.
    """
    obj = target if target is not None else debate
    commented = _target_of(project, proposal, obj)
    if reply_to is not None:
        _lock_answered(reply_to)
    if commented is not None:
        commented.kind.lock(commented.obj)
    stance = _clean_stance(stance, commented, reply_to)
    _may_write(
        author,
        Discussion(project, proposal, obj),
        offline_channel=offline_channel,
        entered_by=entered_by,
    )
    parent = _thread_of(reply_to)
    comment = Comment(
        project=project,
        proposal=proposal,
        **targets.key_of(obj),
        stance=stance,
        parent=parent,
        reply_to=reply_to,
        author=author,
        text=text.strip(),
        name_in_report=(
            name_in_report
            and offline_channel is None
            and commented is not None
            and bool(commented.kind.name_consent)
        ),
    )
    if offline_channel is None:
        duplicate = _resent(comment)
        if duplicate is not None:
            return duplicate  # already stored: a resent form changes nothing
    else:
        comment.channel = offline_channel
        comment.entered_by = entered_by
    comment.full_clean()
    comment.save()
    if parent is not None:
        Comment.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + 1)
    shift_comment_counters([counted_row(comment)], +1)
    transaction.on_commit(lambda: notify_new_comment(comment))
    return comment


def _target_of(
    project: Project, proposal: Proposal | None, debate: Commentable | None
) -> targets.Commented | None:
    """The registered target commented on (a debate, a draft paragraph), checked to belong
    to ``project``."""
    if proposal is not None and proposal.project_id != project.pk:
        raise ValidationError(
            {"proposal": _("Der Vorschlag gehört nicht zu diesem Beteiligungsprozess.")}
        )
    target = targets.commented_object(debate)
    if target is not None and (target.obj.project_id != project.pk or proposal is not None):
        raise ValidationError({target.kind.field: str(target.kind.foreign_project)})
    return target


def _lock_answered(reply_to: Comment) -> None:
    """Lock the comment answered and its thread's top-level comment, and read their state
    again. Lock order (everywhere): comments first, in id order, then proposals and
    debates (see the module docstring): a parallel delete or hide has committed before,
    or waits for this reply."""
    locked = (
        Comment.objects.select_for_update(no_key=True)
        .filter(pk__in={reply_to.pk, reply_to.parent_id or reply_to.pk})
        .order_by("pk")
        .values_list("pk", "deleted_at", "hidden_at")
    )
    for pk, deleted_at, hidden_at in locked:
        if pk == reply_to.pk:
            reply_to.deleted_at, reply_to.hidden_at = deleted_at, hidden_at


def _clean_stance(stance: str, target: targets.Commented | None, reply_to: Comment | None) -> str:
    """A top-level comment on a target that takes stances needs one; nothing else has one."""
    stance = (stance or "").strip()
    takes_stances = target is not None and target.kind.takes_stances
    if not takes_stances or reply_to is not None:
        if stance:
            raise ValidationError(
                {
                    "stance": _("Antworten haben keine eigene Haltung.")
                    if takes_stances
                    else _("Eine Haltung gibt es nur bei Kommentaren in Debatten.")
                }
            )
    elif stance not in Stance.values:
        raise ValidationError({"stance": STANCE_REQUIRED})
    return stance


def _may_write(
    author: Any, discussion: Discussion, *, offline_channel: str | None, entered_by: Any
) -> None:
    """Online, the person's own comment (``comments.write_comment``); offline, staff enter
    one that came in at a workshop or a market stand (``comments.enter_offline_comment``)."""
    if offline_channel is None:
        decide(author, "comments.write_comment", discussion).raise_if_refused()
        return
    staff = entered_by if entered_by is not None else AnonymousUser()
    decide(staff, "comments.enter_offline_comment", discussion).raise_if_refused()
    if offline_channel not in Channel.values or offline_channel == Channel.ONLINE:
        raise ValidationError({"channel": _("Bitte wählen Sie, wo der Kommentar einging.")})


def _thread_of(reply_to: Comment | None) -> Comment | None:
    """The top-level comment a reply joins (two levels); refused under a deleted or hidden
    comment."""
    if reply_to is None:
        return None
    if reply_to.is_deleted or reply_to.is_hidden:
        raise ValidationError(
            {"reply_to": _("Auf gelöschte oder ausgeblendete Kommentare kann man nicht antworten.")}
        )
    return reply_to.parent if reply_to.parent_id else reply_to


def _resent(comment: Comment) -> Comment | None:
    """The same online comment stored by this person within ``DUPLICATE_WINDOW``."""
    return (
        Comment.objects.filter(
            author=comment.author,
            project=comment.project,
            proposal=comment.proposal,
            **{f"{key}_id": getattr(comment, f"{key}_id") for key in targets.KEYS},
            reply_to=comment.reply_to,
            stance=comment.stance,
            text=comment.text,
            deleted_at__isnull=True,
            created_at__gte=timezone.now() - DUPLICATE_WINDOW,
        )
        .order_by("-pk")
        .first()
    )


def notify_new_comment(comment: Comment) -> None:
    """Followers of the proposal, and the person answered, hear about a new comment (app)."""
    from django.contrib.auth import get_user_model

    excerpt = comment.text[:300]
    answered = comment.reply_to.author if comment.reply_to is not None else None
    if answered is not None and answered.pk != comment.author_id:
        # The name is filled in when shown, so it goes when the author's account does.
        author = comment.author
        notify(
            recipients=[answered],
            kind=NEW_COMMENT,
            title=_("%(name)s hat auf Ihren Kommentar geantwortet")
            % {"name": ACTOR if author is not None else comment.public_author()},
            text=excerpt,
            url=comment.get_absolute_url(),
            actor=author,
        )
    if comment.proposal is None:
        return
    followers = get_user_model().objects.filter(proposal_follows__proposal=comment.proposal_id)
    if answered is not None:
        followers = followers.exclude(pk=answered.pk)
    notify(
        recipients=followers,
        kind=NEW_COMMENT,
        title=_("Neuer Kommentar zu „%(title)s“") % {"title": comment.proposal.title},
        text=excerpt,
        url=comment.get_absolute_url(),
        exclude=comment.author,
    )


def comment_update(*, user: Any, comment: Comment, text: str) -> Comment:
    """The author changes the text while the comment phase runs."""
    if not can(user, "change", comment):
        raise PermissionDenied(_("Dieser Kommentar kann nicht mehr bearbeitet werden."))
    text = text.strip()
    if text == comment.text:
        return comment
    comment.text = text
    comment.full_clean()
    now = timezone.now()
    # Conditional, so a delete in a parallel request is never overwritten with text.
    updated = Comment.objects.filter(pk=comment.pk, deleted_at__isnull=True).update(
        text=comment.text, edited_at=now, updated_at=now
    )
    comment.refresh_from_db()
    if not updated:
        raise PermissionDenied(_("Dieser Kommentar wurde gelöscht."))
    modules.changed(project_id=comment.project_id)  # an UPDATE: no signal
    return comment


def comment_delete(*, user: Any, comment: Comment) -> bool:
    """Delete softly: the text goes, the place in the thread stays (shown as "gelöscht").

    Returns False when the comment was already deleted (e.g. by a parallel request).
    """
    if not can(user, "delete", comment):
        raise PermissionDenied(_("Sie können diesen Kommentar nicht löschen."))
    now = timezone.now()
    values = {"deleted_at": now, "text": "", "updated_at": now}
    with transaction.atomic():
        # A comment hidden by moderation is no longer counted; only the transaction
        # that finds it neither deleted nor hidden lowers the count (see moderation).
        counted = Comment.objects.filter(
            pk=comment.pk, deleted_at__isnull=True, hidden_at__isnull=True
        ).update(**values)
        if counted:
            shift_comment_counters([counted_row(comment)], -1)
        won = counted or Comment.objects.filter(pk=comment.pk, deleted_at__isnull=True).update(
            **values
        )
    comment.refresh_from_db()
    if won:
        modules.changed(project_id=comment.project_id)  # an UPDATE: no signal
    return bool(won)


def comment_rate(*, user: Any, comment: Comment, value: int) -> int:
    """Agree (+1), disagree (−1) or take the rating back (0). Returns the person's rating now.

    Sending the same value twice changes nothing; switching moves one count from
    ``up_count`` to ``down_count`` or back.
    """
    if value not in (1, -1, 0):
        raise ValidationError({"value": _("Bitte stimmen Sie zu oder lehnen Sie ab.")})
    decide(user, "comments.rate_comment", comment).raise_if_refused()
    for _attempt in range(3):
        with transaction.atomic():
            # Locks this person's rating (if any) until commit: their parallel
            # requests for the same comment take turns from here on.
            rating = (
                CommentRating.objects.select_for_update().filter(comment=comment, user=user).first()
            )
            if rating is None:
                if value == 0:
                    return 0
                try:
                    with transaction.atomic():
                        CommentRating.objects.create(comment=comment, user=user, value=value)
                except IntegrityError:
                    # A parallel first vote of the same person won; start over with its row.
                    continue
                _count(comment, value, +1)
                return value
            if rating.value == value:
                return value
            _count(comment, rating.value, -1)
            if value == 0:
                rating.comment = comment  # the deletion's page-cache signal reads its project
                rating.delete()
            else:
                CommentRating.objects.filter(pk=rating.pk).update(
                    value=value, updated_at=timezone.now()
                )
                _count(comment, value, +1)
                modules.changed(project_id=comment.project_id)  # an UPDATE: no signal
            return value
    raise PermissionDenied(_("Bitte versuchen Sie es noch einmal."))  # pragma: no cover


def _count(comment: Comment, value: int, delta: int) -> None:
    field = COUNTER[value]
    Comment.objects.filter(pk=comment.pk).update(**{field: F(field) + delta})
