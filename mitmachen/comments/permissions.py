"""Who may comment, edit, delete and rate (django-rules, phase-aware).

Commenting needs the project's current phase to allow "comment"
(``can_take_part``), on a proposal that the proposal is not withdrawn or hidden,
and on a registered target (a debate, ``comments.targets``) what its registration
says (a debate: neither closed nor hidden).
Editing and rating follow the same phase; deleting one's own comment is always
possible. Offline comments (entered by staff) may also be deleted by staff who
may change the project.
"""

from __future__ import annotations

from typing import Any

import rules

from mitmachen.comments import targets
from mitmachen.comments.models import COMMENT, Comment
from mitmachen.comments.targets import Commentable
from mitmachen.core.channels import Channel
from mitmachen.projects.models import Project
from mitmachen.projects.permissions import blocked_organisations, can_take_part
from mitmachen.proposals.models import Proposal


def target_open(proposal: Proposal | None = None, debate: Commentable | None = None) -> bool:
    """Does the proposal or debate itself take comments (whoever writes them)?"""
    if proposal is not None and (proposal.is_withdrawn or proposal.is_hidden):
        return False
    return not (debate is not None and targets.get(targets.DEBATE).refusal(debate))


def can_comment(
    user: Any,
    project: Project,
    proposal: Proposal | None = None,
    debate: Commentable | None = None,
) -> bool:
    """May ``user`` write a comment on ``proposal``, ``debate`` (or ``project`` itself) now?"""
    if not target_open(proposal, debate):
        return False
    return can_take_part(user, COMMENT, project)


def target_refusal(proposal: Proposal | None = None, debate: Commentable | None = None) -> str:
    """Why the proposal or debate takes no comments, in German (empty when it does)."""
    from django.utils.translation import gettext as _

    if proposal is not None and proposal.is_withdrawn:
        return _("Der Vorschlag wurde zurückgezogen; Kommentare sind nicht mehr möglich.")
    if proposal is not None and proposal.is_hidden:
        return _("Der Vorschlag wurde ausgeblendet; Kommentare sind nicht möglich.")
    if debate is not None:
        return targets.get(targets.DEBATE).refusal(debate)
    return ""


def comment_refusal(
    user: Any,
    project: Project,
    proposal: Proposal | None = None,
    debate: Commentable | None = None,
) -> str:
    """Why ``user`` may not comment here, in German (empty when they may)."""
    from django.utils.translation import gettext as _

    if can_comment(user, project, proposal, debate):
        return ""
    refusal = target_refusal(proposal, debate)
    if refusal:
        return refusal
    if not user.is_authenticated:
        return _("Bitte melden Sie sich an, um zu kommentieren.")
    if project.organisation_id in blocked_organisations(user):
        return _("Ihr Konto ist für Beteiligungen in dieser Kommune gesperrt.")
    return _("In dieser Phase sind keine Kommentare möglich.")


def may_enter_offline(user: Any, project: Project) -> bool:
    """Staff who may change the project enter comments from offline formats."""
    return user.is_authenticated and user.has_perm("projects.change_project", project)


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
    return comment is not None and can_comment(
        user, comment.project, comment.proposal, comment.debate
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
rules.add_perm("comments.rate_comment", ~is_deleted & ~is_hidden & ~is_author & commenting_open)


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
    alive = not comment.is_deleted
    shown = alive and not comment.is_hidden
    return {
        "change": own and shown and commenting_open,
        "delete": alive and (own or (comment.channel != Channel.ONLINE and manages_project)),
        "rate": shown and not own and commenting_open,
    }
