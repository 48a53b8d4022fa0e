"""Permission matrix for proposals: role × project state.

Expected values are written out by hand (P = propose, S = support, E = edit own,
W = withdraw own), so a change in the rules shows up here.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.models import ProjectMembership
from mitmachen.proposals.permissions import can, can_propose
from mitmachen.proposals.tests.permissions_matrix import STATES, build

pytestmark = pytest.mark.django_db

# fmt: off
EXPECTED = {
    #                 before  proposing supporting after  draft   private
    "anonymous":     ["----", "----",   "----",    "----", "----", "----"],
    "resident":      ["----", "P---",   "-S--",    "----", "----", "----"],
    "invited":       ["----", "P---",   "-S--",    "----", "----", "PS--"],
    "author":        ["--EW", "P-EW",   "--EW",    "--EW", "----", "P-EW"],
    "moderator":     ["----", "P---",   "-S--",    "----", "----", "PS--"],
    "manager":       ["----", "P---",   "-S--",    "----", "----", "PS--"],
    "other_staff":   ["----", "P---",   "-S--",    "----", "----", "----"],
}
# fmt: on


def user_for(role, project, proposal):
    if role == "anonymous":
        return AnonymousUser()
    if role == "author":
        return proposal.author
    user = UserFactory()
    if role == "invited":
        ProjectMembership.objects.create(project=project, user=user)
    elif role == "moderator":
        MembershipFactory(user=user, organisation=project.organisation, role=Role.MODERATOR)
    elif role == "manager":
        MembershipFactory(user=user, organisation=project.organisation, role=Role.PROJECT_MANAGER)
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
            "P" if can_propose(user, project) else "-",
            "S" if can(user, "support", proposal) else "-",
            "E" if can(user, "change", proposal) else "-",
            "W" if can(user, "withdraw", proposal) else "-",
        ]
    )
    assert actual == EXPECTED[role][state_index]
