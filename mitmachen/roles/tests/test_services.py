"""Roles through their services and pages: escalation refused, scoped choice lists, the
invitation's life (mail, sign-in, accept once, expired, withdrawn, wrong account), the
log, the role cache, bad input, and bounded queries."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.models import Membership, Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.projects.tests.factories import ProjectFactory
from mitmachen.roles import services
from mitmachen.roles.models import Action, Invitation, RoleChange

pytestmark = pytest.mark.django_db


def link(token: str) -> str:
    return f"http://testserver/verwaltung/einladung/{token}/"


def snapshot(town: dict[str, Any]) -> tuple[Any, ...]:
    return (
        list(Membership.objects.order_by("pk").values_list("pk", "organisation_id", "role")),
        list(Invitation.objects.order_by("pk").values_list("pk", "accepted_at", "withdrawn_at")),
        RoleChange.objects.count(),
        list(town["project"].managers.order_by("pk").values_list("pk", flat=True)),
    )


# --- escalation ---------------------------------------------------------------------------


def test_a_project_manager_cannot_make_anyone_an_administrator(client, town):
    manager = town["people"]["manager_own"]
    before = snapshot(town)
    with pytest.raises(PermissionDenied, match="über Ihrer eigenen liegt"):
        services.role_set(actor=manager, organisation=town["home"], person=manager, role=Role.ADMIN)
    with pytest.raises(PermissionDenied, match="über Ihrer eigenen liegt"):
        services.staff_invite(
            actor=manager,
            organisation=town["home"],
            email="chefin@example.org",
            role=Role.ADMIN,
            link=link,
        )
    assert snapshot(town) == before
    client.force_login(manager)
    # The form offers no administrator role and refuses one sent anyway.
    for url in (
        reverse("dashboard:roles_invite", args=["heimatstadt"]),
        reverse("dashboard:roles_member", args=["heimatstadt", manager.pk]),
    ):
        page = client.get(url).content.decode()
        assert 'value="admin"' not in page and 'value="moderator"' in page
        response = client.post(url, {"email": "chefin@example.org", "role": Role.ADMIN})
        assert response.status_code == 200
        assert "Diese Rolle können Sie nicht vergeben." in response.content.decode()
        assert response.content.decode().count('id="form-errors"') == 1
    assert snapshot(town) == before


def test_a_project_manager_cannot_touch_an_administrator(client, town):
    manager, admin = town["people"]["manager_own"], town["admin_target"]
    before = snapshot(town)
    for call in (
        lambda: services.role_set(
            actor=manager, organisation=town["home"], person=admin, role=Role.MODERATOR
        ),
        lambda: services.role_remove(actor=manager, organisation=town["home"], person=admin),
    ):
        with pytest.raises(PermissionDenied, match="liegt über Ihrer eigenen"):
            call()
    client.force_login(manager)
    response = client.post(reverse("dashboard:roles_member_remove", args=["heimatstadt", admin.pk]))
    assert response.status_code == 403
    assert "Ändern kann sie nur die Administration" in response.content.decode()
    assert snapshot(town) == before


@pytest.mark.parametrize("who", ["resident", "moderator", "admin_other"])
def test_no_role_in_another_municipality(client, town, who):
    person = town["people"][who]
    before = snapshot(town)
    with pytest.raises(PermissionDenied, match="verwalten nur ihre Administration"):
        services.role_set(actor=person, organisation=town["home"], person=person, role=Role.ADMIN)
    with pytest.raises(PermissionDenied, match="Projektleitung eines Beteiligungsprozesses"):
        services.project_manager_add(actor=person, project=town["project"], person=person)
    client.force_login(person)
    response = client.post(
        reverse("dashboard:roles_invite", args=["heimatstadt"]),
        {"email": f"{who}@example.org", "role": Role.ADMIN},
    )
    assert response.status_code == 403
    assert snapshot(town) == before


def test_the_last_administrator_stays(client, town):
    home = town["home"]
    admin, other_admin = town["people"]["admin_own"], town["admin_target"]
    services.role_remove(actor=admin, organisation=home, person=other_admin)
    before = snapshot(town)
    for call in (
        lambda: services.role_remove(actor=admin, organisation=home, person=admin),
        lambda: services.role_set(
            actor=admin, organisation=home, person=admin, role=Role.MODERATOR
        ),
    ):
        with pytest.raises(ValidationError, match="mindestens eine Administratorin"):
            call()
    client.force_login(admin)
    response = client.post(reverse("dashboard:roles_member_remove", args=["heimatstadt", admin.pk]))
    assert response.status_code == 200
    assert "mindestens eine Administratorin" in response.content.decode()
    assert 'id="form-errors"' in response.content.decode()
    assert snapshot(town) == before


def test_a_project_is_led_only_by_project_managers_of_its_municipality(client, town):
    project, manager = town["project"], town["people"]["manager_own"]
    before = snapshot(town)
    for person in (town["other_pm"], town["mod_target"], UserFactory()):
        with pytest.raises(ValidationError, match="nicht die Rolle Projektleitung"):
            services.project_manager_add(actor=manager, project=project, person=person)
    with pytest.raises(ValidationError, match="leitet diesen Prozess schon"):
        services.project_manager_add(actor=manager, project=project, person=manager)
    client.force_login(manager)
    response = client.post(
        reverse("dashboard:project_managers", args=[project.slug]),
        {"person": str(town["other_pm"].pk)},
    )
    assert response.status_code == 200
    assert "Diese Person kann den Prozess nicht leiten." in response.content.decode()
    assert snapshot(town) == before


# --- choice lists -------------------------------------------------------------------------


def test_no_choice_list_offers_another_municipalitys_people_or_projects(client, town):
    other_pm = town["other_pm"]
    foreign_project = town["foreign_project"]
    client.force_login(town["people"]["admin_own"])
    pages = [
        reverse("dashboard:roles_staff", args=["heimatstadt"]),
        reverse("dashboard:roles_invite", args=["heimatstadt"]),
        reverse("dashboard:roles_member", args=["heimatstadt", town["mod_target"].pk]),
        reverse("dashboard:project_managers", args=[town["project"].slug]),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert other_pm.email not in page and other_pm.public_name not in page, url
        assert town["people"]["admin_other"].email not in page, url
        assert foreign_project.title not in page, url
    managers = client.get(pages[-1]).content.decode()
    options = re.findall(r'<option value="(\d+)"', managers)
    # The own municipality's project managers who do not lead it yet.
    expected = {town["pm_target"].pk, town["people"]["manager_other"].pk}
    assert sorted(options) == sorted(str(pk) for pk in expected)
    # Another municipality's people and project pages are not reachable by their key.
    assert (
        client.get(reverse("dashboard:roles_member", args=["heimatstadt", other_pm.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("dashboard:project_managers", args=[foreign_project.slug])).status_code
        == 403
    )


# --- invitations --------------------------------------------------------------------------


def test_an_existing_account_gets_the_role_at_once(town, mailoutbox):
    resident = town["people"]["resident"]
    result = services.staff_invite(
        actor=town["people"]["admin_own"],
        organisation=town["home"],
        email=resident.email.upper(),
        role=Role.MODERATOR,
        link=link,
    )
    assert result.invitation is None and result.membership is not None
    assert Membership.objects.get(user=resident, organisation=town["home"]).role == Role.MODERATOR
    assert mailoutbox == [] and not Invitation.objects.exists()
    entry = RoleChange.objects.get(person=resident)
    assert (entry.action, entry.role_after, entry.actor) == (
        Action.GRANTED,
        Role.MODERATOR,
        town["people"]["admin_own"],
    )


@pytest.fixture
def mailed(django_capture_on_commit_callbacks):
    """Run the mails queued after commit (the test's transaction never commits)."""

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def _invite(client, town, mailoutbox, mailed, email="neu@example.org", role=Role.PROJECT_MANAGER):
    client.force_login(town["people"]["admin_own"])
    response = mailed(
        lambda: client.post(
            reverse("dashboard:roles_invite", args=["heimatstadt"]),
            {"email": email, "role": role},
        )
    )
    assert response.status_code == 302
    client.logout()
    match = re.search(r"http://testserver(/verwaltung/einladung/[^/\s]+/)", mailoutbox[-1].body)
    assert match, mailoutbox[-1].body
    return match.group(1)


def test_an_invitation_is_mailed_and_accepted_once(client, town, mailoutbox, mailed):
    path = _invite(client, town, mailoutbox, mailed)
    mail = mailoutbox[0]
    assert mail.to == ["neu@example.org"] and "Heimatstadt" in mail.subject
    assert "Projektleitung" in mail.body and "gilt bis" in mail.body
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_hash=token).exists()  # only its hash is kept

    page = client.get(path).content.decode()
    assert "Konto anlegen" in page and f"?next={path}" in page
    response = client.post(path)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]

    stranger = UserFactory()
    client.force_login(stranger)
    response = client.post(path)
    assert "gilt für die Adresse neu@example.org" in response.content.decode()
    assert not Membership.objects.filter(user=stranger).exists()

    invitee = UserFactory(email="neu@example.org")
    client.force_login(invitee)
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:my_projects")
    membership = Membership.objects.get(user=invitee)
    assert (membership.organisation, membership.role) == (town["home"], Role.PROJECT_MANAGER)
    assert RoleChange.objects.filter(action=Action.INVITATION_ACCEPTED, person=invitee).count() == 1

    before = snapshot(town)
    response = client.post(path)
    assert response.status_code == 200
    assert "bereits angenommen" in response.content.decode()
    assert "Fehler:" in response.content.decode()
    assert snapshot(town) == before


def test_expired_withdrawn_and_unknown_links_say_so(client, town, mailoutbox, mailed):
    path = _invite(client, town, mailoutbox, mailed)
    invitation = Invitation.objects.get()
    invitee = UserFactory(email="neu@example.org")
    client.force_login(invitee)

    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    before = snapshot(town)
    response = client.post(path)
    assert response.status_code == 200 and "abgelaufen" in response.content.decode()
    assert snapshot(town) == before

    Invitation.objects.update(expires_at=timezone.now() + timedelta(days=1))
    services.invitation_withdraw(actor=town["people"]["admin_own"], invitation=invitation)
    before = snapshot(town)
    response = client.post(path)
    assert "wurde zurückgezogen" in response.content.decode()
    assert snapshot(town) == before

    for bad in (
        "/verwaltung/einladung/x/",
        f"/verwaltung/einladung/{'a' * 300}/",
        path.rstrip("/") + "x/",
    ):
        response = client.get(bad)
        assert response.status_code == 404, bad
        assert "Einladungslink ist ungültig" in response.content.decode()
    for bad in ("%00", "..%2F..%2F"):
        assert client.get(f"/verwaltung/einladung/{bad}/").status_code == 404
    assert not Membership.objects.filter(user=invitee).exists()


def test_one_open_invitation_per_address(client, town, mailoutbox, mailed):
    _invite(client, town, mailoutbox, mailed)
    client.force_login(town["people"]["admin_own"])
    before = snapshot(town)
    response = client.post(
        reverse("dashboard:roles_invite", args=["heimatstadt"]),
        {"email": "NEU@example.org", "role": Role.MODERATOR},
    )
    assert response.status_code == 200
    assert "schon eine Einladung unterwegs" in response.content.decode()
    assert snapshot(town) == before and len(mailoutbox) == 1


@pytest.mark.parametrize(
    "data,message",
    [
        ({}, "Bitte geben Sie eine E-Mail-Adresse an."),
        ({"email": "kein-at", "role": "moderator"}, "gültige E-Mail-Adresse"),
        ({"email": "a@example.org", "role": "kaiser"}, "Diese Rolle können Sie nicht vergeben."),
        ({"email": "a@example.org" * 30, "role": "moderator"}, "E-Mail-Adresse"),
        ({"email": "<script>@x.de", "role": "moderator"}, "gültige E-Mail-Adresse"),
    ],
)
def test_bad_input_changes_nothing(client, town, data, message):
    client.force_login(town["people"]["admin_own"])
    before = snapshot(town)
    response = client.post(reverse("dashboard:roles_invite", args=["heimatstadt"]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot(town) == before


def test_bad_keys_are_not_found(client, town):
    client.force_login(town["people"]["admin_own"])
    for url in (
        "/verwaltung/rollen/gibt-es-nicht/",
        "/verwaltung/rollen/heimatstadt/personen/999999/",
        "/verwaltung/rollen/heimatstadt/einladungen/999999/zurueckziehen/",
        "/verwaltung/projekte/gibt-es-nicht/projektleitung/",
    ):
        response = client.post(url) if "zurueckziehen" in url else client.get(url)
        assert response.status_code == 404, url
    response = client.post(
        reverse("dashboard:project_managers", args=["geleitet"]), {"person": "abc"}
    )
    assert response.status_code == 200


# --- the log, the role cache, what a change takes with it -----------------------------------


def test_the_log_names_who_did_what_and_when(client, town):
    admin, mod = town["people"]["admin_own"], town["mod_target"]
    services.role_set(actor=admin, organisation=town["home"], person=mod, role=Role.PROJECT_MANAGER)
    services.project_manager_add(actor=admin, project=town["project"], person=mod)
    services.role_set(actor=admin, organisation=town["home"], person=mod, role=Role.MODERATOR)
    services.role_remove(actor=admin, organisation=town["home"], person=mod)
    entries = list(
        RoleChange.objects.filter(person=mod)
        .order_by("pk")
        .values_list("action", "role_before", "role_after", "actor", "project")
    )
    project = town["project"].pk
    assert entries == [
        (Action.CHANGED, Role.MODERATOR, Role.PROJECT_MANAGER, admin.pk, None),
        (Action.PROJECT_ASSIGNED, "", Role.PROJECT_MANAGER, admin.pk, project),
        # Giving up project management releases the project.
        (Action.PROJECT_UNASSIGNED, "", "", admin.pk, project),
        (Action.CHANGED, Role.PROJECT_MANAGER, Role.MODERATOR, admin.pk, None),
        (Action.REMOVED, Role.MODERATOR, "", admin.pk, None),
    ]
    assert not town["project"].managers.filter(pk=mod.pk).exists()
    client.force_login(admin)
    page = client.get(reverse("dashboard:roles_log", args=["heimatstadt"])).content.decode()
    assert page.count(mod.public_name) == 5 and "Zugang entfernt" in page
    # The same role again is no change and no entry.
    count = RoleChange.objects.count()
    services.role_set(actor=admin, organisation=town["home"], person=admin, role=Role.ADMIN)
    assert RoleChange.objects.count() == count


def test_a_role_change_is_seen_by_the_next_permission_check(town):
    admin, person = town["people"]["admin_own"], town["mod_target"]
    project = town["project"]
    assert not rules.has_perm("projects.change_project", person, project)  # facts cached
    services.role_set(actor=admin, organisation=town["home"], person=person, role=Role.ADMIN)
    assert rules.has_perm("projects.change_project", person, project)
    services.role_set(
        actor=admin, organisation=town["home"], person=person, role=Role.PROJECT_MANAGER
    )
    assert not rules.has_perm("projects.change_project", person, project)
    services.project_manager_add(actor=admin, project=project, person=person)
    assert rules.has_perm("projects.change_project", person, project)
    services.project_manager_remove(actor=admin, project=project, person=person)
    assert not rules.has_perm("projects.change_project", person, project)
    # The actor's own cache goes too when they change their own role.
    manager = town["people"]["manager_own"]
    assert rules.has_perm("projects.change_project", manager, project)
    services.role_set(actor=manager, organisation=town["home"], person=manager, role=Role.MODERATOR)
    assert not rules.has_perm("projects.change_project", manager, project)


# --- queries ------------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_run_the_same_number_of_queries_for_few_and_many(client, town):
    admin = town["people"]["admin_own"]
    client.force_login(admin)
    urls = [
        reverse("dashboard:roles_staff", args=["heimatstadt"]),
        reverse("dashboard:roles_log", args=["heimatstadt"]),
        reverse("dashboard:project_managers", args=["geleitet"]),
    ]
    services.staff_invite(
        actor=admin,
        organisation=town["home"],
        email="erste@example.org",
        role="moderator",
        link=link,
    )
    few = [_queries(client, url) for url in urls]
    for i in range(25):
        person = MembershipFactory(organisation=town["home"], role=Role.PROJECT_MANAGER).user
        project = ProjectFactory(organisation=town["home"])
        services.project_manager_add(actor=admin, project=project, person=person)
        services.project_manager_add(actor=admin, project=town["project"], person=person)
        services.staff_invite(
            actor=admin,
            organisation=town["home"],
            email=f"gast{i}@example.org",
            role=Role.MODERATOR,
            link=link,
        )
    many = [_queries(client, url) for url in urls]
    assert few == many
    assert max(many) <= 15, many
