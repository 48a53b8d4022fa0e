"""Who may see, open, comment in, change, close and moderate debates (django-rules).

The rules know the phase:

- **view**: whoever may see the project; a hidden debate only staff of the
  municipality (and superusers), who see it marked as hidden.
- **open** (``can_open``): staff who may change the project (superusers,
  administrators of the municipality, the project's assigned project managers)
  while the project is not finished – also in a draft, to prepare it; everyone
  else when the current phase allows "debate" (``debates.models.DEBATE``; signed in, the
  project visible and published, not blocked).
- **comment with a stance**: ``comments.permissions.can_comment`` with the debate:
  the current phase allows "comment" and the debate is neither closed nor hidden
  (``debates.comment_target.comment_refusal``, the debate's comment target).
- **change**: staff who may change the project; the person who opened it while
  the debate is open, not hidden, they are not blocked in the municipality and
  nobody has ever commented (also not if every comment was deleted or hidden
  since: the comments answered the question as it stood; as with proposals).
- **close** (and change the conclusion): staff who may change the project, also
  after the project has ended – the conclusion often comes later – but not while
  an open debate is hidden (closing tells everyone involved, with the question).
  The conclusion of a closed debate can be changed also when it is hidden.
  **reopen**: the same staff, for a closed debate of a project that is not finished.
- **hide / restore**: the municipality's moderators and administrators
  (``projects.permissions.moderates``); the moderation app has the pages and writes.
- **report**: the rule ``moderation.report`` decides, for the link the
  moderation module adds under the debate (section ``"debate.footer"``) and for the report.

``can``/``can_open`` ask the rules registry directly: Django's ModelBackend would
grant superusers everything, the phase rules included.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils.translation import gettext as _

from mitmachen.comments.models import Comment
from mitmachen.comments.permissions import can_comment
from mitmachen.debates.models import DEBATE, Debate
from mitmachen.projects.models import Project, ProjectState
from mitmachen.projects.permissions import (
    blocked_organisations,
    can_take_part,
    is_blocked_in,
    moderates,
    sees_hidden,
)


def is_finished(project: Project) -> bool:
    return project.state() == ProjectState.FINISHED


def manages(user: Any, project: Project) -> bool:
    """Staff who may change the project (``projects.change_project``).

    Remembered on the user object (one request): a debate page asks for change, close
    and reopen, and each would look up the project's managers again.
    """
    if not user.is_authenticated:
        return False
    memo: dict[int, bool] | None = getattr(user, "_mitmachen_manages", None)
    if memo is None:
        memo = {}
        user._mitmachen_manages = memo
    if project.pk not in memo:
        memo[project.pk] = rules.has_perm("projects.change_project", user, project)
    return memo[project.pk]


def can_open(user: Any, project: Project) -> bool:
    """May ``user`` open a debate in ``project`` now?"""
    if not user.is_authenticated or is_finished(project):
        return False
    return manages(user, project) or can_take_part(user, DEBATE, project)


def open_refusal(user: Any, project: Project) -> str:
    """Why ``user`` may not open a debate in ``project``, in German (empty when they may)."""
    if can_open(user, project):
        return ""
    if not user.is_authenticated:
        return _("Bitte melden Sie sich an, um eine Debatte zu eröffnen.")
    if is_finished(project):
        return _("Die Beteiligung ist abgeschlossen; neue Debatten sind nicht möglich.")
    if project.organisation_id in blocked_organisations(user):
        return _("Ihr Konto ist für Beteiligungen in dieser Kommune gesperrt.")
    return _("In dieser Phase können keine Debatten eröffnet werden.")


@rules.predicate
def may_view_project(user: Any, debate: Debate | None) -> bool:
    return debate is not None and rules.has_perm("projects.view_project", user, debate.project)


@rules.predicate
def is_hidden(user: Any, debate: Debate | None) -> bool:
    return debate is not None and debate.is_hidden


@rules.predicate
def sees_hidden_content(user: Any, debate: Debate | None) -> bool:
    return debate is not None and sees_hidden(user, debate.project)


@rules.predicate
def is_closed(user: Any, debate: Debate | None) -> bool:
    return debate is not None and debate.is_closed


@rules.predicate
def is_author(user: Any, debate: Debate | None) -> bool:
    return debate is not None and user.is_authenticated and debate.author_id == user.pk


def ever_commented(debate: Debate) -> bool:
    """Has anybody commented, including comments deleted or hidden since?

    ``comment_count`` counts visible comments only; when it is 0 a query decides.
    """
    return debate.comment_count > 0 or Comment.objects.filter(debate_id=debate.pk).exists()


@rules.predicate
def has_no_comments(user: Any, debate: Debate | None) -> bool:
    return debate is not None and not ever_commented(debate)


@rules.predicate
def is_blocked(user: Any, debate: Debate | None) -> bool:
    return debate is not None and is_blocked_in(user, debate.project.organisation_id)


@rules.predicate
def project_finished(user: Any, debate: Debate | None) -> bool:
    return debate is not None and is_finished(debate.project)


@rules.predicate
def manages_project(user: Any, debate: Debate | None) -> bool:
    return debate is not None and manages(user, debate.project)


@rules.predicate
def commenting_open(user: Any, debate: Debate | None) -> bool:
    return debate is not None and can_comment(user, debate.project, debate=debate)


@rules.predicate
def moderates_debate(user: Any, debate: Debate | None) -> bool:
    return debate is not None and moderates(user, debate.project.organisation_id)


rules.add_perm("debates.view_debate", may_view_project & (~is_hidden | sees_hidden_content))
rules.add_perm("debates.comment_debate", may_view_project & commenting_open)
rules.add_perm(
    "debates.change_debate",
    may_view_project
    & (
        manages_project
        | (
            is_author
            & ~is_closed
            & ~is_hidden
            & ~is_blocked
            & ~project_finished
            & has_no_comments  # last: it may cost a query
        )
    ),
)
rules.add_perm("debates.close_debate", manages_project & (is_closed | ~is_hidden))
rules.add_perm("debates.reopen_debate", manages_project & is_closed & ~project_finished)
rules.add_perm("debates.moderate_debate", moderates_debate)


def can(user: Any, permission: str, debate: Debate) -> bool:
    """Ask the rules registry directly (superusers follow the phase rules too)."""
    return rules.has_perm(f"debates.{permission}_debate", user, debate)


def edit_refusal(user: Any, debate: Debate) -> str:
    """Why ``user`` may not change ``debate`` (as loaded), in German (empty when they may)."""
    if can(user, "change", debate):
        return ""
    if is_author(user, debate):
        if debate.is_closed:
            return _("Diese Debatte ist abgeschlossen und kann nicht mehr bearbeitet werden.")
        if debate.is_hidden:
            return _("Diese Debatte wurde ausgeblendet und kann nicht bearbeitet werden.")
        if is_blocked_in(user, debate.project.organisation_id):
            return _("Ihr Konto ist für Beteiligungen in dieser Kommune gesperrt.")
        if not is_finished(debate.project) and ever_commented(debate):
            return _(
                "Diese Debatte kann nicht mehr bearbeitet werden, weil sie schon Kommentare hat."
            )
    return _("Diese Debatte kann nicht mehr bearbeitet werden.")


def close_refusal(user: Any, debate: Debate) -> str:
    """Why ``user`` may not close ``debate`` (or change its conclusion), in German."""
    if can(user, "close", debate):
        return ""
    if manages(user, debate.project) and debate.is_hidden:
        return hidden_close_refusal()
    return _("Nur die Verwaltung des Projekts kann Debatten abschließen.")


def hidden_close_refusal() -> str:
    return _(
        "Diese Debatte ist ausgeblendet und kann nicht abgeschlossen werden. "
        "Die Moderation kann sie wieder anzeigen."
    )
