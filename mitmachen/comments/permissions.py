"""Who may comment, enter offline comments, edit, delete and rate (phase-aware).

Commenting (``comments.write_comment``), entering an offline comment
(``comments.enter_offline_comment``) and rating (``comments.rate_comment``) are rules
of ``core.permissions``: each check with the German sentence a person reads when it
fails, in the order they should read them; ``decide`` gives the decision and the
reason, ``rules.has_perm`` the same answer. Commenting is asked of a ``Discussion``:
the project itself, a proposal in it, or a registered target (a debate, a draft
paragraph, ``comments.targets``). It needs the proposal to be neither withdrawn nor
hidden, the registered target to take comments (its registration says why not: a debate
is closed or hidden), and the project's current phase to allow "comment"
(``can_take_part``) – or, for a target that names its own phase action
(``CommentTarget.phase_action``: a draft paragraph, "comment_text"), that one.
Staff who may change the project enter comments from offline formats
(``comments.enter_offline_comment``) in any phase, while the proposal or target takes
comments. Editing and rating follow the same phase; deleting one's own comment is
always possible. Offline comments may also be deleted by staff who may change the
project.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from mitmachen.comments import targets
from mitmachen.comments.models import COMMENT, Comment
from mitmachen.comments.targets import Commentable
from mitmachen.core.channels import Channel
from mitmachen.core.permissions import Check, Rule, add_rule, allowed_by, decide
from mitmachen.projects.models import Project
from mitmachen.projects.permissions import can_take_part, is_blocked_in
from mitmachen.proposals.models import Proposal


@dataclass(frozen=True)
class Discussion:
    """Where a comment goes: the project itself, a proposal in it, or a registered target.

    ``project`` is the one the caller loaded (with its phases), also when the comment
    goes on a proposal or a debate: the phase decides, and reading it there again
    would cost queries.
    """

    project: Project
    proposal: Proposal | None = None
    # The registered target (a debate or a draft paragraph); the field keeps its old name.
    debate: Commentable | None = None

    @classmethod
    def of(cls, comment: Comment) -> Discussion:
        """The discussion ``comment`` belongs to."""
        target = targets.of_comment(comment)
        return cls(comment.project, comment.proposal, target.obj if target else None)

    @property
    def target(self) -> targets.Commented | None:
        return targets.commented_object(self.debate)

    @property
    def phase_action(self) -> str:
        """The phase action that lets residents comment here."""
        target = self.target
        return (target.kind.phase_action if target is not None else "") or COMMENT


def _target_refusal(user: Any, discussion: Discussion) -> str:
    """The registered target's own reason why it takes no comments (empty when it does)."""
    target = discussion.target
    return target.refusal if target is not None else ""


# Whether the proposal or registered target takes comments at all, whoever writes them.
_TAKES_COMMENTS = (
    Check(
        lambda user, d: d.proposal is None or not d.proposal.is_withdrawn,
        _("Der Vorschlag wurde zurückgezogen; Kommentare sind nicht mehr möglich."),
    ),
    Check(
        lambda user, d: d.proposal is None or not d.proposal.is_hidden,
        _("Der Vorschlag wurde ausgeblendet; Kommentare sind nicht möglich."),
    ),
    Check(lambda user, d: not _target_refusal(user, d), _target_refusal),
)


def _taking_part_refusal(user: Any, discussion: Discussion) -> str:
    # ``can_take_part`` also refuses a person blocked in the municipality; that is what
    # they should read, whatever the phase. Asked here, after the phase has refused,
    # rather than as a check of its own before it: a block costs a query to look up.
    if is_blocked_in(user, discussion.project.organisation_id):
        return str(_("Ihr Konto ist für Beteiligungen in dieser Kommune gesperrt."))
    return str(_("In dieser Phase sind keine Kommentare möglich."))


add_rule(
    "comments.write_comment",
    Rule(
        *_TAKES_COMMENTS,
        Check(
            lambda user, d: user.is_authenticated,
            _("Bitte melden Sie sich an, um zu kommentieren."),
        ),
        Check(lambda user, d: can_take_part(user, d.phase_action, d.project), _taking_part_refusal),
    ),
)


def may_enter_offline(user: Any, project: Project) -> bool:
    """Staff who may change the project enter comments from offline formats."""
    return user.is_authenticated and user.has_perm("projects.change_project", project)


add_rule(
    "comments.enter_offline_comment",
    Rule(
        Check(
            lambda user, d: may_enter_offline(user, d.project),
            _("Nur Mitarbeitende des Projekts können Kommentare erfassen."),
        ),
        *_TAKES_COMMENTS,
    ),
)


@rules.predicate
def is_author(user: Any, comment: Comment | None) -> bool:
    return comment is not None and user.is_authenticated and comment.author_id == user.pk


@rules.predicate
def is_deleted(user: Any, comment: Comment | None) -> bool:
    return comment is not None and comment.is_deleted


@rules.predicate
def is_hidden(user: Any, comment: Comment | None) -> bool:
    return comment is not None and comment.is_hidden


@rules.predicate
def is_offline(user: Any, comment: Comment | None) -> bool:
    return comment is not None and comment.channel != Channel.ONLINE


@rules.predicate
def may_view_project(user: Any, comment: Comment | None) -> bool:
    return comment is not None and rules.has_perm("projects.view_project", user, comment.project)


@rules.predicate
def commenting_open(user: Any, comment: Comment | None) -> bool:
    """The comment's proposal, debate or project takes comments from ``user`` now."""
    return comment is not None and rules.has_perm(
        "comments.write_comment", user, Discussion.of(comment)
    )


@rules.predicate
def manages_project(user: Any, comment: Comment | None) -> bool:
    return comment is not None and may_enter_offline(user, comment.project)


rules.add_perm("comments.view_comment", may_view_project)
rules.add_perm("comments.change_comment", is_author & ~is_deleted & ~is_hidden & commenting_open)
rules.add_perm(
    "comments.delete_comment",
    ~is_deleted & may_view_project & (is_author | (is_offline & manages_project)),
)


def _hidden_rating_refusal(user: Any, comment: Comment) -> str:
    # While commenting here is closed, that is the reason to read, hidden or not; the
    # cheap check comes first all the same, so a hidden comment costs no phase lookup.
    return decide(user, "comments.write_comment", Discussion.of(comment)).reason or str(
        _("Sie können diesen Kommentar nicht bewerten.")
    )


add_rule(
    "comments.rate_comment",
    Rule(
        Check(
            lambda user, c: user.is_authenticated,
            _("Bitte melden Sie sich an, um Kommentare zu bewerten."),
        ),
        Check(lambda user, c: not c.is_deleted, _("Gelöschte Kommentare kann man nicht bewerten.")),
        Check(
            lambda user, c: c.author_id != user.pk,
            _("Eigene Kommentare können Sie nicht bewerten."),
        ),
        Check(lambda user, c: not c.is_hidden, _hidden_rating_refusal),
        allowed_by("comments.write_comment", Discussion.of),
    ),
)


def can(user: Any, permission: str, comment: Comment) -> bool:
    """Ask the rules registry directly (superusers follow the phase rules too)."""
    return rules.has_perm(f"comments.{permission}_comment", user, comment)


def comment_permissions(
    user: Any, comment: Comment, *, commenting_open: bool, manages_project: bool
) -> dict[str, bool]:
    """The rules above for one comment, given the facts that hold for its whole thread.

    A thread page shows up to 80 comments; asking the rules registry for each would
    repeat the same project checks (and their queries) 80 times. The selector works
    the target-level facts out once and calls this; the permission tests check that
    both give the same answers.
    """
    own = user.is_authenticated and comment.author_id == user.pk
    return permissions_of_comment(
        comment, own=own, commenting_open=commenting_open, manages_project=manages_project
    )


def permissions_of_comment(
    comment: Any, *, own: bool, commenting_open: bool, manages_project: bool
) -> dict[str, bool]:
    """``comment_permissions`` for a viewer who wrote ``comment`` (``own``) or not: what
    the cached thread (``comments.fragments``) prepares for both kinds of viewer.
    ``comment`` is a ``Comment`` or anything with its ``is_deleted``, ``is_hidden`` and
    ``channel``."""
    alive = not comment.is_deleted
    shown = alive and not comment.is_hidden
    return {
        "change": own and shown and commenting_open,
        "delete": alive and (own or (comment.channel != Channel.ONLINE and manages_project)),
        "rate": shown and not own and commenting_open,
    }
