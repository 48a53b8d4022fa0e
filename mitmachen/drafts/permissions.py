"""Who may read a draft, respond to it, and weigh what residents suggested.

- **view** (``drafts.view_draft``): whoever may see the project, when the draft is
  published; staff who may change the project also before (to prepare it).
- **respond** (``drafts.respond``, asked of a paragraph's draft): agree, disagree and
  suggest a wording – signed in, the draft published, the person not blocked in the
  municipality, and the project's current phase allows ``COMMENT_TEXT``. The same
  decision withdraws a vote: a closed phase keeps what was said.
- **manage** (``drafts.manage_draft``): staff who may change the project import the
  text, enter suggestions from workshops and letters, and weigh every suggestion
  (the Abwägung), also after the phase – the weighing often comes later.

Everything asks the rules registry directly: Django's ModelBackend would grant
superusers everything, the phase rules included.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from mitmachen.core.permissions import Check, Rule, add_rule
from mitmachen.drafts.models import COMMENT_TEXT, Draft
from mitmachen.projects.permissions import can_take_part, is_blocked_in


def manages(user: Any, draft: Draft) -> bool:
    """Staff who may change the draft's project (remembered for one request)."""
    if not user.is_authenticated:
        return False
    memo: dict[int, bool] | None = getattr(user, "_mitmachen_manages", None)
    if memo is None:
        memo = {}
        user._mitmachen_manages = memo
    if draft.project_id not in memo:
        memo[draft.project_id] = rules.has_perm("projects.change_project", user, draft.project)
    return memo[draft.project_id]


@rules.predicate
def may_view(user: Any, draft: Draft | None) -> bool:
    if draft is None or not rules.has_perm("projects.view_project", user, draft.project):
        return False
    return draft.is_public or manages(user, draft)


rules.add_perm("drafts.view_draft", may_view)

add_rule(
    "drafts.respond",
    Rule(
        Check(
            lambda user, draft: user.is_authenticated,
            _("Bitte melden Sie sich an, um auf den Entwurf zu antworten."),
        ),
        Check(
            lambda user, draft: may_view(user, draft),
            _("Dieser Entwurf ist nicht veröffentlicht."),
        ),
        Check(
            lambda user, draft: draft.is_public,
            _("Dieser Entwurf ist noch nicht veröffentlicht; Antworten sind erst danach möglich."),
        ),
        Check(
            lambda user, draft: not is_blocked_in(user, draft.project.organisation_id),
            _("Ihr Konto ist für Beteiligungen in dieser Kommune gesperrt."),
        ),
        Check(
            lambda user, draft: can_take_part(user, COMMENT_TEXT, draft.project),
            _("In dieser Phase kann der Entwurf nicht kommentiert werden."),
        ),
    ),
)

add_rule(
    "drafts.manage_draft",
    Rule(
        Check(
            lambda user, draft: manages(user, draft),
            _("Nur die Verwaltung des Projekts kann das."),
        ),
    ),
)
