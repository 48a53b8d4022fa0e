"""Permission matrix: role × phase state × visibility.

The expected tables below are written out by hand from the rules in
docs/architecture.md, not computed from the code under test.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.models import ProjectMembership, Visibility
from mitmachen.projects.permissions import can_follow_project, can_take_part
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",
    "invited",
    "moderator",
    "manager_assigned",
    "manager_unassigned",
    "org_admin",
    "other_org_admin",
    "superuser",
]
STATES = ["before", "running", "between", "after"]

# Who may see a project, by visibility.
CAN_VIEW = {
    Visibility.PUBLIC: set(ROLES),
    Visibility.PRIVATE: {
        "invited",
        "moderator",
        "manager_assigned",
        "manager_unassigned",
        "org_admin",
        "superuser",
    },
    Visibility.DRAFT: {
        "moderator",
        "manager_assigned",
        "manager_unassigned",
        "org_admin",
        "superuser",
    },
}
# Who may edit it (any visibility, any phase).
CAN_CHANGE = {"manager_assigned", "org_admin", "superuser"}


def make_user(role, project):
    if role == "anonymous":
        return AnonymousUser()
    if role == "superuser":
        return UserFactory(is_superuser=True)
    user = UserFactory()
    organisation = project.organisation
    if role == "invited":
        ProjectMembership.objects.create(project=project, user=user)
    elif role == "moderator":
        MembershipFactory(user=user, organisation=organisation, role=Role.MODERATOR)
    elif role in {"manager_assigned", "manager_unassigned"}:
        MembershipFactory(user=user, organisation=organisation, role=Role.PROJECT_MANAGER)
        if role == "manager_assigned":
            project.managers.add(user)
    elif role == "org_admin":
        MembershipFactory(user=user, organisation=organisation, role=Role.ADMIN)
    elif role == "other_org_admin":
        MembershipFactory(user=user, organisation=OrganisationFactory(), role=Role.ADMIN)
    return user


def make_project(visibility, state):
    project = ProjectFactory(visibility=visibility)
    now = timezone.now()
    day = timedelta(days=1)
    spans = {
        "before": [(2, 10)],
        "running": [(-10, -2), (-2, 10)],
        "between": [(-10, -2), (2, 10)],
        "after": [(-10, -2)],
    }[state]
    for start, end in spans:
        PhaseFactory(
            project=project,
            start=now + start * day,
            end=now + end * day,
            actions=["comment", "propose"],
        )
    return project


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_matrix(role, state, visibility):
    project = make_project(visibility, state)
    user = make_user(role, project)

    can_view = role in CAN_VIEW[visibility]
    assert user.has_perm("projects.view_project", project) is can_view
    assert user.has_perm("projects.change_project", project) is (role in CAN_CHANGE)

    signed_in = role != "anonymous"
    takes_part = can_view and signed_in and visibility != Visibility.DRAFT
    assert can_follow_project(user, project) is takes_part
    phase_open = state == "running"
    for action in ("comment", "propose"):
        assert can_take_part(user, action, project) is (takes_part and phase_open)
    for action in ("support", "vote", "answer"):
        assert not can_take_part(user, action, project)


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("role", ROLES)
def test_detail_page_follows_view_permission(client, role, visibility):
    project = make_project(visibility, "running")
    user = make_user(role, project)
    if role != "anonymous":
        client.force_login(user)
    status = client.get(project.get_absolute_url()).status_code
    assert status == (200 if role in CAN_VIEW[visibility] else 404)


def test_a_role_given_or_taken_is_seen_by_the_next_check_of_the_same_user_object():
    from mitmachen.projects.permissions import staff_roles

    user = UserFactory()
    organisation = OrganisationFactory()
    assert staff_roles(user) == {}  # cached on the user object for the request
    membership = MembershipFactory(user=user, organisation=organisation, role=Role.ADMIN)
    assert staff_roles(user) == {organisation.pk: {Role.ADMIN}}
    membership.delete()
    assert staff_roles(user) == {}
