"""Permission matrix for moderation and following: role × project state.

R = may report the proposal, F = may follow it, H = sees hidden contributions,
M = takes moderation decisions. Written out by hand, so a change in the rules shows
up here. "blocked" is a resident blocked in the project's municipality.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.permissions import decide
from mitmachen.moderation.models import Block
from mitmachen.moderation.permissions import moderates, sees_hidden
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.models import ProjectMembership, Visibility
from mitmachen.proposals.permissions import can
from mitmachen.proposals.tests.permissions_matrix import STATES, build

pytestmark = pytest.mark.django_db

# fmt: off
EXPECTED = {
    #                before  proposing supporting after  draft   private
    "anonymous":   ["----", "----",   "----",    "----", "----", "----"],
    "resident":    ["RF--", "RF--",   "RF--",    "RF--", "----", "----"],
    "blocked":     ["-F--", "-F--",   "-F--",    "-F--", "----", "----"],
    "author":      ["-F--", "-F--",   "-F--",    "-F--", "----", "-F--"],
    "moderator":   ["RFHM", "RFHM",   "RFHM",    "RFHM", "RFHM", "RFHM"],
    "admin":       ["RFHM", "RFHM",   "RFHM",    "RFHM", "RFHM", "RFHM"],
    "manager":     ["RFH-", "RFH-",   "RFH-",    "RFH-", "RFH-", "RFH-"],
    "other_staff": ["RF--", "RF--",   "RF--",    "RF--", "----", "----"],
}
# fmt: on


def user_for(role, project, proposal):
    if role == "anonymous":
        return AnonymousUser()
    if role == "author":
        return proposal.author
    user = UserFactory()
    if role == "blocked":
        Block.objects.create(organisation=project.organisation, user=user, reason="Spam")
    elif role in ("moderator", "admin", "manager"):
        roles = {"moderator": Role.MODERATOR, "admin": Role.ADMIN}
        MembershipFactory(
            user=user,
            organisation=project.organisation,
            role=roles.get(role, Role.PROJECT_MANAGER),
        )
        if role == "manager":
            project.managers.add(user)
    elif role == "other_staff":
        MembershipFactory(user=user, organisation=OrganisationFactory(), role=Role.ADMIN)
    return user


@pytest.mark.parametrize("state_index", range(len(STATES)), ids=list(STATES))
@pytest.mark.parametrize("role", list(EXPECTED))
def test_matrix(role, state_index):
    state = list(STATES)[state_index]
    project, proposal = build(state)
    user = user_for(role, project, proposal)
    actual = "".join(
        [
            "R"
            if user.is_authenticated and decide(user, "moderation.report", proposal).allowed
            else "-",
            "F" if can(user, "follow", proposal) else "-",
            "H" if sees_hidden(user, project) else "-",
            "M" if moderates(user, project.organisation_id) else "-",
        ]
    )
    assert actual == EXPECTED[role][state_index]


def test_private_project_members_may_report():
    project, proposal = build("private")
    member = UserFactory()
    ProjectMembership.objects.create(project=project, user=member)
    assert decide(member, "moderation.report", proposal).allowed
    assert project.visibility == Visibility.PRIVATE
