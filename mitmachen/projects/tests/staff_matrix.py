"""The people of the staff permission matrix, shared by the set-up, invitation, roles and
settings tests: for a project of ``home`` led by ``manager``, one person of each kind."""

from __future__ import annotations

from typing import Any

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory

# Who may change a project: its own project manager, its municipality's admin, the operator.
MAY_CHANGE = frozenset({"manager_own", "admin_own", "superuser"})


def staff_people(home: Any, other: Any, manager: Any, *, anonymous: bool = True) -> dict[str, Any]:
    """``anonymous`` (None), a resident, a moderator of ``home``, the project's
    ``manager`` (``manager_own``), another project manager of ``home``
    (``manager_other``), an admin of ``home`` and one of ``other``, and a superuser."""
    people: dict[str, Any] = {"anonymous": None} if anonymous else {}
    people.update(
        {
            "resident": UserFactory(),
            "moderator": MembershipFactory(organisation=home, role=Role.MODERATOR).user,
            "manager_own": manager,
            "manager_other": MembershipFactory(organisation=home, role=Role.PROJECT_MANAGER).user,
            "admin_own": MembershipFactory(organisation=home, role=Role.ADMIN).user,
            "admin_other": MembershipFactory(organisation=other, role=Role.ADMIN).user,
            "superuser": UserFactory(is_superuser=True, is_staff=True),
        }
    )
    return people
