"""Who may see and change staff roles – with German reasons (``core.permissions``).

Roles are ranked: moderation < project management < administration. Administrators and
project managers of a municipality see its staff; each of them may give, change and take
only roles that are not above their own, and only of people whose role is not above
their own. So a project manager may invite a moderator or a fellow project manager, but
never make anyone (themselves included) an administrator, nor touch an administrator.
The log of changes is for the municipality's administrators. A project's managers are
assigned by the municipality's administrators and by the project's own managers.
Superusers (the operator) may do everything everywhere. Nobody acts on a municipality in
which they hold no role: every rank is read per municipality.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from mitmachen.core.permissions import Check, Rule, add_rule
from mitmachen.organisations.models import Organisation, Role
from mitmachen.projects.permissions import is_assigned_manager, is_org_admin, staff_roles

RANK = {Role.MODERATOR: 1, Role.PROJECT_MANAGER: 2, Role.ADMIN: 3}
SUPERUSER_RANK = 99


def own_rank(user: Any, organisation_id: int) -> int:
    """The highest rank ``user`` holds in the municipality (0: none, superusers: above all)."""
    if not user.is_authenticated:
        return 0
    if user.is_superuser:
        return SUPERUSER_RANK
    return max((RANK[Role(r)] for r in staff_roles(user).get(organisation_id, ())), default=0)


def grantable_roles(user: Any, organisation: Organisation) -> list[tuple[str, Any]]:
    """The role choices ``user`` may give in ``organisation`` (none above their own)."""
    rank = own_rank(user, organisation.pk)
    return [(value, label) for value, label in Role.choices if RANK[Role(value)] <= rank]


def sees_staff(user: Any, organisation: Organisation) -> bool:
    return own_rank(user, organisation.pk) >= RANK[Role.PROJECT_MANAGER]


def sees_log(user: Any, organisation: Organisation) -> bool:
    return own_rank(user, organisation.pk) >= RANK[Role.ADMIN]


@dataclass(frozen=True)
class RoleGrant:
    """A change of one person's role in a municipality: ``current`` and ``new`` are
    ``Role`` values, ``None`` for no role (an invitation, a removal)."""

    organisation: Organisation
    current: str | None
    new: str | None


def _not_above(role: str | None, user: Any, organisation: Organisation) -> bool:
    return role is None or RANK[Role(role)] <= own_rank(user, organisation.pk)


STAFF_ONLY = _(
    "Rollen und Zugänge einer Kommune verwalten nur ihre Administration und ihre Projektleitungen."
)

add_rule(
    "roles.view_staff",
    Rule(Check(lambda user, organisation: sees_staff(user, organisation), STAFF_ONLY)),
)

add_rule(
    "roles.view_log",
    Rule(
        Check(
            lambda user, organisation: sees_log(user, organisation),
            _(
                "Das Protokoll der Rollenänderungen sehen nur die Administratorinnen und "
                "Administratoren der Kommune."
            ),
        )
    ),
)

add_rule(
    "roles.set_role",
    Rule(
        Check(lambda user, grant: sees_staff(user, grant.organisation), STAFF_ONLY),
        Check(
            lambda user, grant: _not_above(grant.current, user, grant.organisation),
            _(
                "Die Rolle dieser Person liegt über Ihrer eigenen. Ändern kann sie nur die "
                "Administration der Kommune."
            ),
        ),
        Check(
            lambda user, grant: _not_above(grant.new, user, grant.organisation),
            _("Sie können keine Rolle vergeben, die über Ihrer eigenen liegt."),
        ),
    ),
)

add_rule(
    "roles.assign_project_managers",
    Rule(
        Check(
            lambda user, project: (
                user.is_authenticated
                and (
                    user.is_superuser
                    or is_org_admin(user, project)
                    or is_assigned_manager(user, project)
                )
            ),
            _(
                "Die Projektleitung eines Beteiligungsprozesses vergeben nur die Administration "
                "der Kommune und die Projektleitungen des Prozesses."
            ),
        ),
    ),
)
