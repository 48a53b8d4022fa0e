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
