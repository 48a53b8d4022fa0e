"""The staff permission matrix, shared by the set-up, invitation, roles and settings
tests: two municipalities with a draft project led by one project manager
(``led_project``), one person of each kind (``staff_people``), and the check of every
page for every person (``assert_matrix``)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.models import Visibility
from mitmachen.projects.tests.factories import ProjectFactory

# Who may change a project: its own project manager, its municipality's admin, the operator.
MAY_CHANGE = frozenset({"manager_own", "admin_own", "superuser"})


def led_project(*, slug: str = "geleitet", **fields: Any) -> dict[str, Any]:
    """Municipality ``home`` ("heimatstadt") with a project (``slug``, ``fields``; a draft
    unless ``visibility`` says otherwise) led by ``manager``, and the neighbour ``other``
    ("nachbarort") with its own project ``foreign`` (slug "fremd")."""
    home = OrganisationFactory(name="Heimatstadt", slug="heimatstadt")
    other = OrganisationFactory(name="Nachbarort", slug="nachbarort")
    fields.setdefault("visibility", Visibility.DRAFT)
    project: Any = ProjectFactory(organisation=home, slug=slug, **fields)
    manager = MembershipFactory(organisation=home, role=Role.PROJECT_MANAGER).user
    project.managers.add(manager)
    return {
        "home": home,
        "other": other,
        "project": project,
        "foreign": ProjectFactory(organisation=other, title="Fremd", slug="fremd"),
        "manager": manager,
    }


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


def assert_matrix(
    client: Any,
    people: dict[str, Any],
    pages: Sequence[tuple[Any, ...]],
    allowed: Collection[str] = MAY_CHANGE,
) -> None:
    """Every page for every person: ``pages`` are ``(method, url, data)`` or ``(method,
    url, data, allowed)``. Whoever is not signed in is sent to the login; the ``allowed``
    get the page (200) or are sent on after a POST (302); everyone else gets 403."""
    for who, person in people.items():
        client.logout()
        if person is not None:
            client.force_login(person)
        for method, url, data, *own in pages:
            may = own[0] if own else allowed
            response = client.get(url) if method == "GET" else client.post(url, data)
            if person is None:
                assert response.status_code == 302, (who, url)
                assert response["Location"].startswith("/konto/"), (who, url)
            elif who in may:
                expected = 200 if method == "GET" else 302
                assert response.status_code == expected, (who, url, response.status_code)
            else:
                assert response.status_code == 403, (who, url, response.status_code)
