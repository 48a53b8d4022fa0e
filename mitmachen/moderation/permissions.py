"""Who reports, who moderates, who sees hidden contributions.

- Reporting: anyone signed in who can see the contribution, except its author and
  people blocked in that municipality.
- Moderating (hide, restore, dismiss, block): moderators and administrators of the
  project's municipality (``organisations.Membership``), and superusers.
- Seeing hidden contributions (marked as such): every member of staff of the
  project's municipality, and superusers.
"""

from __future__ import annotations

from typing import Any

import rules

from mitmachen.organisations.models import Organisation

# The facts themselves are roles of the municipality; projects keeps them for every module.
from mitmachen.projects.permissions import (  # noqa: F401 - moderation's own names for them
    MODERATING_ROLES,
    is_blocked_in,
    moderates,
    sees_hidden,
)


@rules.predicate
def moderates_organisation(user: Any, organisation: Organisation | None) -> bool:
    return organisation is not None and moderates(user, organisation.pk)


rules.add_perm("moderation.moderate_organisation", moderates_organisation)
