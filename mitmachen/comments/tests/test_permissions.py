"""Permission matrix for comments: role × phase state × visibility.

Expected values are written out by hand (P = comment on the project itself,
C = comment on the proposal, E = edit the comment, D = delete it, R = rate it),
so a change in the rules shows up here. The comment in question is the author's.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.permissions import (
    can,
    can_comment,
    comment_permissions,
    may_enter_offline,
)
from mitmachen.comments.tests.factories import CommentFactory
from mitmachen.core.channels import Channel
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.models import ProjectMembership, Visibility
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

STATES = {
    # state: (visibility, phase offsets in days, actions, proposal withdrawn)
    "before": (Visibility.PUBLIC, (3, 10), ["comment"], False),
    "running": (Visibility.PUBLIC, (-3, 10), ["comment"], False),
    "other_action": (Visibility.PUBLIC, (-3, 10), ["support"], False),
    "after": (Visibility.PUBLIC, (-10, -3), ["comment"], False),
    "withdrawn": (Visibility.PUBLIC, (-3, 10), ["comment"], True),
    "private": (Visibility.PRIVATE, (-3, 10), ["comment"], False),
    "draft": (Visibility.DRAFT, (-3, 10), ["comment"], False),
}

# fmt: off
EXPECTED = {
    #                   before   running  other    after    withdrawn private  draft
    "anonymous":       ["-----", "-----", "-----", "-----", "-----", "-----", "-----"],
    "resident":        ["-----", "PC--R", "-----", "-----", "P----", "-----", "-----"],
    "invited":         ["-----", "PC--R", "-----", "-----", "P----", "PC--R", "-----"],
    "author":          ["---D-", "PCED-", "---D-", "---D-", "P--D-", "PCED-", "-----"],
    "moderator":       ["-----", "PC--R", "-----", "-----", "P----", "PC--R", "-----"],
    "manager":         ["-----", "PC--R", "-----", "-----", "P----", "PC--R", "-----"],
    "org_admin":       ["-----", "PC--R", "-----", "-----", "P----", "PC--R", "-----"],
    "other_org_admin": ["-----", "PC--R", "-----", "-----", "P----", "-----", "-----"],
    "superuser":       ["-----", "PC--R", "-----", "-----", "P----", "PC--R", "-----"],
}
# fmt: on


def build(state):
    visibility, (start, end), actions, withdrawn = STATES[state]
    project = ProjectFactory(organisation=OrganisationFactory(), visibility=visibility)
    now = timezone.now()
    PhaseFactory(
        project=project,
        actions=actions,
        start=now + timedelta(days=start),
        end=now + timedelta(days=end),
    )
    author = UserFactory()
    if visibility == Visibility.PRIVATE:
        ProjectMembership.objects.create(project=project, user=author)
    proposal = ProposalFactory(project=project, withdrawn_at=now if withdrawn else None)
    comment = CommentFactory(proposal=proposal, author=author)
    return project, proposal, comment


def user_for(role, project, comment):
    if role == "anonymous":
        return AnonymousUser()
    if role == "author":
        return comment.author
    if role == "superuser":
        return UserFactory(is_superuser=True)
    user = UserFactory()
    if role == "invited":
        ProjectMembership.objects.create(project=project, user=user)
    elif role == "moderator":
        MembershipFactory(user=user, organisation=project.organisation, role=Role.MODERATOR)
    elif role == "manager":
        MembershipFactory(user=user, organisation=project.organisation, role=Role.PROJECT_MANAGER)
        project.managers.add(user)
    elif role == "org_admin":
        MembershipFactory(user=user, organisation=project.organisation, role=Role.ADMIN)
    elif role == "other_org_admin":
        MembershipFactory(user=user, organisation=OrganisationFactory(), role=Role.ADMIN)
    return user


@pytest.mark.parametrize("state_index", range(len(STATES)), ids=list(STATES))
@pytest.mark.parametrize("role", list(EXPECTED))
def test_matrix(role, state_index):
    state = list(STATES)[state_index]
    project, proposal, comment = build(state)
    user = user_for(role, project, comment)
    actual = "".join(
        [
            "P" if can_comment(user, project) else "-",
            "C" if can_comment(user, project, proposal) else "-",
            "E" if can(user, "change", comment) else "-",
            "D" if can(user, "delete", comment) else "-",
            "R" if can(user, "rate", comment) else "-",
        ]
    )
    assert actual == EXPECTED[role][state_index]

    # The thread selector decides per comment without asking the registry each time;
    # wherever the person can see the thread, it must give the same answers.
    if user.has_perm("projects.view_project", project):
        shortcut = comment_permissions(
            user,
            comment,
            commenting_open=can_comment(user, project, proposal),
            manages_project=may_enter_offline(user, project),
        )
        assert shortcut == {p: can(user, p, comment) for p in ("change", "delete", "rate")}


# Offline comments (no author) may be deleted by staff who may change the project.
@pytest.mark.parametrize(
    ("role", "may_delete"),
    [
        ("resident", False),
        ("moderator", False),
        ("manager", True),
        ("org_admin", True),
        ("other_org_admin", False),
        ("superuser", True),
    ],
)
def test_offline_comments_are_deleted_by_project_staff(role, may_delete):
    project, proposal, _comment = build("after")
    offline = CommentFactory(proposal=proposal, author=None, channel=Channel.WORKSHOP)
    user = user_for(role, project, offline)
    assert can(user, "delete", offline) is may_delete
    assert not can(user, "change", offline)
    shortcut = comment_permissions(
        user,
        offline,
        commenting_open=can_comment(user, project, proposal),
        manages_project=may_enter_offline(user, project),
    )
    assert shortcut["delete"] is may_delete
