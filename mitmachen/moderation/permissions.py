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

from mitmachen.organisations.models import Organisation, Role
from mitmachen.projects.models import Project
from mitmachen.projects.permissions import _roles, blocked_organisations

MODERATING_ROLES = {Role.ADMIN, Role.MODERATOR}


def moderates(user: Any, organisation_id: int) -> bool:
    """May ``user`` take moderation decisions in this municipality?"""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(_roles(user, organisation_id) & MODERATING_ROLES)


def sees_hidden(user: Any, project: Project) -> bool:
    """Staff of the project's municipality see hidden contributions, marked."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(_roles(user, project.organisation_id))


def is_blocked_in(user: Any, organisation_id: int) -> bool:
    return organisation_id in blocked_organisations(user)


@rules.predicate
def moderates_organisation(user: Any, organisation: Organisation | None) -> bool:
    return organisation is not None and moderates(user, organisation.pk)


rules.add_perm("moderation.moderate_organisation", moderates_organisation)
