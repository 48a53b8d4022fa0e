"""Who reports, who moderates, who sees hidden contributions.

- Reporting: anyone signed in who can see the contribution, except its author and
  people blocked in that municipality.
- Moderating (hide, restore, dismiss, block): moderators and administrators of the
  project's municipality (``organisations.Membership``), and superusers.
- Seeing hidden contributions (marked as such): every member of staff of the
  project's municipality, and superusers.

``moderates``, ``sees_hidden`` and ``is_blocked_in`` are defined in
``projects.permissions`` (with the roles and blocks they read), so that the moderated
modules below this app ask them without importing it; they are re-exported here.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from mitmachen.core.permissions import Check, Rule, add_rule
from mitmachen.organisations.models import Organisation
from mitmachen.projects.permissions import (
    MODERATING_ROLES,
    is_blocked_in,
    moderates,
    sees_hidden,
)

__all__ = [
    "MODERATING_ROLES",
    "is_blocked_in",
    "moderates",
    "moderates_organisation",
    "sees_hidden",
]


@rules.predicate
def moderates_organisation(user: Any, organisation: Organisation | None) -> bool:
    return organisation is not None and moderates(user, organisation.pk)


rules.add_perm("moderation.moderate_organisation", moderates_organisation)


# Reporting a proposal, a comment or a debate: the checks in the order a person reads
# their reason (core.permissions). The link under a contribution and the report itself
# ask this rule.
add_rule(
    "moderation.report",
    Rule(
        Check(
            lambda user, target: user.is_authenticated,
            _("Bitte melden Sie sich an, um einen Beitrag zu melden."),
        ),
        Check(
            lambda user, target: user.has_perm("projects.view_project", target.project),
            _("Diesen Beitrag gibt es nicht."),
        ),
        Check(
            lambda user, target: target.author_id != user.pk,
            _("Eigene Beiträge können Sie nicht melden."),
        ),
        Check(
            lambda user, target: not target.is_hidden, _("Dieser Beitrag ist bereits ausgeblendet.")
        ),
        Check(
            lambda user, target: not getattr(target, "is_deleted", False),
            _("Gelöschte Kommentare kann man nicht melden."),
        ),
        Check(
            lambda user, target: not is_blocked_in(user, target.project.organisation_id),
            _("Ihr Konto ist für Beteiligungen in dieser Kommune gesperrt."),
        ),
    ),
)
