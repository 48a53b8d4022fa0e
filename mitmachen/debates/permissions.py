"""Who may see, open, comment in, change, close and moderate debates (phase-aware).

Opening, changing, closing and reopening are rules of ``core.permissions``: each check
with the German sentence a person reads when it fails, in the order they should read
them. ``decide(user, "debates.change_debate", debate)`` gives the decision with its
reason; ``rules.has_perm`` (and ``can`` here) the same answer.

- **view** (``debates.view_debate``): whoever may see the project; a hidden debate
  only staff of the municipality (and superusers), who see it marked as hidden.
- **open** (``debates.open_debate``, asked of the project): staff who may change the
  project (superusers, administrators of the municipality, the project's assigned
  project managers) while the project is not finished – also in a draft, to prepare
  it; everyone else when the current phase allows "debate" (``debates.models.DEBATE``;
  signed in, the project visible and published, not blocked).
- **comment with a stance** (``debates.comment_debate``): who may see the project, when
  ``comments.write_comment`` allows it for the debate: the current phase allows
  "comment" and the debate is neither closed nor hidden
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
- **hide / restore** (``debates.moderate_debate``): the municipality's moderators and
  administrators (``projects.permissions.moderates``); the moderation app has the
  pages and writes.
- **report**: the rule ``moderation.report`` decides, for the link the
  moderation module adds under the debate (section ``"debate.footer"``) and for the report.

Everything asks the rules registry directly: Django's ModelBackend would grant
superusers everything, the phase rules included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from mitmachen.comments.models import Comment
from mitmachen.comments.permissions import Discussion
from mitmachen.core.permissions import Check, Rule, add_rule
from mitmachen.debates.models import DEBATE, Debate
from mitmachen.projects.models import Project, ProjectState
from mitmachen.projects.permissions import can_take_part, is_blocked_in, moderates, sees_hidden


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


def ever_commented(debate: Debate) -> bool:
    """Has anybody commented, including comments deleted or hidden since?

    ``comment_count`` counts visible comments only; when it is 0 a query decides.
    """
    return debate.comment_count > 0 or Comment.objects.filter(debate_id=debate.pk).exists()


# Reasons also given when a conditional UPDATE found the debate changed in between.
NOT_EDITABLE = _("Diese Debatte kann nicht mehr bearbeitet werden.")
HIDDEN_NOT_CLOSED = _(
    "Diese Debatte ist ausgeblendet und kann nicht abgeschlossen werden. "
    "Die Moderation kann sie wieder anzeigen."
)
NOT_REOPENED = _("Diese Debatte kann nicht wieder geöffnet werden.")
BLOCKED = _("Ihr Konto ist für Beteiligungen in dieser Kommune gesperrt.")

_Test = Callable[[Any, Debate], bool]


def _unless_managing(test: _Test) -> _Test:
    """``test``, passed anyway by staff who may change the debate's project."""
    return lambda user, debate: manages(user, debate.project) or test(user, debate)


add_rule(
    "debates.open_debate",
    Rule(
        Check(
            lambda user, project: user.is_authenticated,
            _("Bitte melden Sie sich an, um eine Debatte zu eröffnen."),
        ),
        Check(
            lambda user, project: not is_finished(project),
            _("Die Beteiligung ist abgeschlossen; neue Debatten sind nicht möglich."),
        ),
        Check(
            lambda user, project: (
                manages(user, project) or not is_blocked_in(user, project.organisation_id)
            ),
            BLOCKED,
        ),
        Check(
            lambda user, project: manages(user, project) or can_take_part(user, DEBATE, project),
            _("In dieser Phase können keine Debatten eröffnet werden."),
        ),
    ),
)

# Staff who may change the project always; the person who opened it while nothing
# speaks against it. Who may not see the project reads nothing about the debate.
add_rule(
    "debates.change_debate",
    Rule(
        Check(
            lambda user, d: rules.has_perm("projects.view_project", user, d.project),
            NOT_EDITABLE,
        ),
        Check(
            _unless_managing(lambda user, d: user.is_authenticated and d.author_id == user.pk),
            NOT_EDITABLE,
        ),
        Check(
            _unless_managing(lambda user, d: not d.is_closed),
            _("Diese Debatte ist abgeschlossen und kann nicht mehr bearbeitet werden."),
        ),
        Check(
            _unless_managing(lambda user, d: not d.is_hidden),
            _("Diese Debatte wurde ausgeblendet und kann nicht bearbeitet werden."),
        ),
        Check(
            _unless_managing(lambda user, d: not is_blocked_in(user, d.project.organisation_id)),
            BLOCKED,
        ),
        Check(_unless_managing(lambda user, d: not is_finished(d.project)), NOT_EDITABLE),
        Check(
            _unless_managing(lambda user, d: not ever_commented(d)),  # it may cost a query
            _("Diese Debatte kann nicht mehr bearbeitet werden, weil sie schon Kommentare hat."),
        ),
    ),
)

add_rule(
    "debates.close_debate",
    Rule(
        Check(
            lambda user, d: manages(user, d.project),
            _("Nur die Verwaltung des Projekts kann Debatten abschließen."),
        ),
        Check(lambda user, d: d.is_closed or not d.is_hidden, HIDDEN_NOT_CLOSED),
    ),
)

add_rule(
    "debates.reopen_debate",
    Rule(
        Check(lambda user, d: manages(user, d.project), NOT_REOPENED),
        Check(lambda user, d: d.is_closed, NOT_REOPENED),
        Check(lambda user, d: not is_finished(d.project), NOT_REOPENED),
    ),
)


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
def commenting_open(user: Any, debate: Debate | None) -> bool:
    return debate is not None and rules.has_perm(
        "comments.write_comment", user, Discussion(debate.project, debate=debate)
    )


@rules.predicate
def moderates_debate(user: Any, debate: Debate | None) -> bool:
    return debate is not None and moderates(user, debate.project.organisation_id)


rules.add_perm("debates.view_debate", may_view_project & (~is_hidden | sees_hidden_content))
rules.add_perm("debates.comment_debate", may_view_project & commenting_open)
rules.add_perm("debates.moderate_debate", moderates_debate)


def can(user: Any, permission: str, debate: Debate) -> bool:
    """Ask the rules registry directly (superusers follow the phase rules too)."""
    return rules.has_perm(f"debates.{permission}_debate", user, debate)
