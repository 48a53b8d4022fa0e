"""Who may open each page and do each action of "Rollen und Zugänge": the matrix over
anonymous, resident, moderator, project manager (own / other project), municipal admin
(own / other municipality) and superuser. A refusal is a 403 with the German reason and
stores nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from mitmachen.organisations.models import Membership, Role
from mitmachen.roles import services
from mitmachen.roles.models import Invitation, RoleChange

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "resident",
    "moderator",
    "manager_own",
    "manager_other",
    "admin_own",
    "admin_other",
    "superuser",
]
STAFF_VIEWERS = {"manager_own", "manager_other", "admin_own", "superuser"}
ADMINS = {"admin_own", "superuser"}
PROJECT_ASSIGNERS = {"manager_own", "admin_own", "superuser"}


def _invitation(town: dict[str, Any]) -> Invitation:
    return services.staff_invite(
        actor=town["people"]["admin_own"],
        organisation=town["home"],
        email="neu@example.org",
        role=Role.MODERATOR,
        link=lambda token: f"https://example.org/{token}",
    ).invitation  # type: ignore[return-value]


def _pages(town: dict[str, Any]) -> list[tuple[str, str, set[str]]]:
    home, slug = town["home"].slug, town["project"].slug
    mod, admin = town["mod_target"].pk, town["admin_target"].pk
    return [
        (reverse("dashboard:roles_staff", args=[home]), "GET", STAFF_VIEWERS),
        (reverse("dashboard:roles_invite", args=[home]), "GET", STAFF_VIEWERS),
        (reverse("dashboard:roles_log", args=[home]), "GET", ADMINS),
        (reverse("dashboard:roles_member", args=[home, mod]), "GET", STAFF_VIEWERS),
        (reverse("dashboard:roles_member_remove", args=[home, mod]), "GET", STAFF_VIEWERS),
        # An administrator's role is above a project manager's: only administrators.
        (reverse("dashboard:roles_member", args=[home, admin]), "GET", ADMINS),
        (reverse("dashboard:roles_member_remove", args=[home, admin]), "GET", ADMINS),
        (reverse("dashboard:project_managers", args=[slug]), "GET", PROJECT_ASSIGNERS),
    ]


@pytest.mark.parametrize("who", PEOPLE)
def test_every_page(client: Any, town: dict[str, Any], who: str) -> None:
    person = town["people"][who]
    if person is not None:
        client.force_login(person)
    for url, _method, allowed in _pages(town):
        response = client.get(url)
        if person is None:
            assert response.status_code == 302 and "/konto/login/" in response["Location"], url
        elif who in allowed:
            assert response.status_code == 200, (who, url, response.status_code)
        else:
            assert response.status_code == 403, (who, url, response.status_code)
            assert "Kein Zugriff" in response.content.decode()


@pytest.mark.parametrize("who", PEOPLE)
def test_the_index(client: Any, town: dict[str, Any], who: str) -> None:
    person = town["people"][who]
    if person is not None:
        client.force_login(person)
    response = client.get(reverse("dashboard:roles"))
    if person is None:
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
    elif who in STAFF_VIEWERS | {"admin_other"}:
        # One municipality: straight to its page; the superuser chooses from all.
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            organisation = town["other"] if who == "admin_other" else town["home"]
            assert response["Location"] == reverse(
                "dashboard:roles_staff", args=[organisation.slug]
            )
    else:
        assert response.status_code == 403
        assert "verwalten nur ihre Administration" in response.content.decode()


def _actions(town: dict[str, Any]) -> list[tuple[str, dict[str, str], set[str], Any]]:
    """(url, data, allowed, what must have happened when allowed)."""
    home, slug = town["home"], town["project"].slug
    mod, pm = town["mod_target"], town["pm_target"]
    invitation = _invitation(town)
    return [
        (
            reverse("dashboard:roles_invite", args=[home.slug]),
            {"email": "kollegin@example.org", "role": Role.MODERATOR},
            STAFF_VIEWERS,
            lambda: Invitation.objects.filter(email="kollegin@example.org").exists(),
        ),
        (
            reverse("dashboard:roles_member", args=[home.slug, mod.pk]),
            {"role": Role.PROJECT_MANAGER},
            STAFF_VIEWERS,
            lambda: (
                Membership.objects.get(user=mod, organisation=home).role == Role.PROJECT_MANAGER
            ),
        ),
        (
            reverse("dashboard:project_managers", args=[slug]),
            {"person": str(pm.pk)},
            PROJECT_ASSIGNERS,
            lambda: town["project"].managers.filter(pk=pm.pk).exists(),
        ),
        (
            reverse("dashboard:project_manager_remove", args=[slug, pm.pk]),
            {},
            PROJECT_ASSIGNERS,
            lambda: not town["project"].managers.filter(pk=pm.pk).exists(),
        ),
        (
            reverse("dashboard:roles_invitation_withdraw", args=[home.slug, invitation.pk]),
            {},
            STAFF_VIEWERS,
            lambda: Invitation.objects.get(pk=invitation.pk).withdrawn_at is not None,
        ),
        (
            reverse("dashboard:roles_member_remove", args=[home.slug, mod.pk]),
            {},
            STAFF_VIEWERS,
            lambda: not Membership.objects.filter(user=mod, organisation=home).exists(),
        ),
    ]


@pytest.mark.parametrize("who", PEOPLE)
def test_every_action(client: Any, town: dict[str, Any], who: str) -> None:
    person = town["people"][who]
    if person is not None:
        client.force_login(person)
    for url, data, allowed, happened in _actions(town):
        before = (
            RoleChange.objects.count(),
            list(Membership.objects.order_by("pk").values_list("pk", "role")),
            list(town["project"].managers.values_list("pk", flat=True)),
            list(Invitation.objects.order_by("pk").values_list("pk", "withdrawn_at")),
        )
        response = client.post(url, data)
        if who in allowed:
            assert response.status_code == 302, (who, url, response.status_code)
            assert happened(), (who, url)
            continue
        if person is None:
            assert response.status_code == 302 and "/konto/login/" in response["Location"]
        else:
            assert response.status_code == 403, (who, url, response.status_code)
        after = (
            RoleChange.objects.count(),
            list(Membership.objects.order_by("pk").values_list("pk", "role")),
            list(town["project"].managers.values_list("pk", flat=True)),
            list(Invitation.objects.order_by("pk").values_list("pk", "withdrawn_at")),
        )
        assert after == before, (who, url)
