"""Permission matrix for comments: role × phase state × visibility.

Expected values are written out by hand (P = comment on the project itself,
C = comment on the proposal, E = edit the comment, D = delete it, R = rate it),
so a change in the rules shows up here. The comment in question is the author's.
"""

from datetime import timedelta

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.models import Comment
from mitmachen.comments.permissions import (
    Discussion,
    can,
    comment_permissions,
    may_enter_offline,
)
from mitmachen.comments.selectors import thread_for
from mitmachen.comments.services import comment_create, comment_rate
from mitmachen.comments.tests.factories import CommentFactory
from mitmachen.core.channels import Channel
from mitmachen.core.permissions import Decision, decide
from mitmachen.moderation.models import Block
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.models import ProjectMembership, Visibility
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
from mitmachen.proposals.models import Proposal
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db
WRITE = "comments.write_comment"

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
            "P" if decide(user, WRITE, Discussion(project)).allowed else "-",
            "C" if decide(user, WRITE, Discussion(project, proposal)).allowed else "-",
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
            commenting_open=decide(user, WRITE, Discussion(project, proposal)).allowed,
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
        commenting_open=decide(user, WRITE, Discussion(project, proposal)).allowed,
        manages_project=may_enter_offline(user, project),
    )
    assert shortcut["delete"] is may_delete


# --- One rule per permission: has_perm agrees with decide, and people read its reason ---------

# Every state of the matrix with the comment shown, and while commenting runs the comment
# hidden or deleted, or the proposal hidden.
CASES = [(state, "shown") for state in STATES] + [
    ("running", "comment_hidden"),
    ("running", "comment_deleted"),
    ("running", "proposal_hidden"),
]


class _Undo(Exception):
    pass


def refusal_of_service(write):
    """What the service answers: its refusal, or None when it wrote (undone)."""
    try:
        with transaction.atomic():
            write()
            raise _Undo
    except PermissionDenied as error:
        return str(error)
    except _Undo:
        return None


@pytest.mark.parametrize(("state", "variant"), CASES, ids=[f"{s}-{v}" for s, v in CASES])
@pytest.mark.parametrize("role", [*EXPECTED, "blocked"])
def test_has_perm_agrees_with_decide_and_people_read_its_reason(role, state, variant):
    project, proposal, comment = build(state)
    now = timezone.now()
    if variant == "proposal_hidden":
        Proposal.objects.filter(pk=proposal.pk).update(hidden_at=now)
    elif variant != "shown":
        field = "hidden_at" if variant == "comment_hidden" else "deleted_at"
        Comment.objects.filter(pk=comment.pk).update(**{field: now})
    proposal = Proposal.objects.select_related("project").get(pk=proposal.pk)
    comment = Comment.objects.select_related("project", "proposal").get(pk=comment.pk)
    if role == "blocked":
        user = UserFactory()
        Block.objects.create(organisation=project.organisation, user=user, reason="Spam")
    else:
        user = user_for(role, project, comment)
    staff = user if user.is_authenticated else None
    attempts = {
        (WRITE, Discussion(project)): lambda: comment_create(
            author=user, project=project, text="Zum Projekt."
        ),
        (WRITE, Discussion(project, proposal)): lambda: comment_create(
            author=user, project=project, proposal=proposal, text="Zum Vorschlag."
        ),
        ("comments.enter_offline_comment", Discussion(project, proposal)): lambda: comment_create(
            author=None,
            project=project,
            proposal=proposal,
            text="Am Marktstand.",
            offline_channel=Channel.MARKET_STAND,
            entered_by=staff,
        ),
        ("comments.rate_comment", comment): lambda: comment_rate(
            user=user, comment=comment, value=1
        ),
    }
    for (name, obj), write in attempts.items():
        decision = decide(user, name, obj)
        assert rules.has_perm(name, user, obj) is decision.allowed, name
        if not user.is_superuser:  # Django lets superusers pass every user.has_perm
            assert user.has_perm(name, obj) is decision.allowed, name
        assert bool(decision.reason) is not decision.allowed, name
        assert refusal_of_service(write) == (None if decision.allowed else decision.reason), name
    # The thread shows the reason why one may not comment (or the form).
    for where in (Discussion(project), Discussion(project, proposal)):
        decision = decide(user, WRITE, where)
        thread = thread_for(user=user, project=project, proposal=where.proposal)
        assert (thread.can_comment, thread.refusal) == (decision.allowed, decision.reason)
        assert (thread.form is not None) is decision.allowed


@pytest.mark.parametrize(
    ("variant", "who", "reason"),
    [
        ("shown", "anonymous", "Bitte melden Sie sich an, um Kommentare zu bewerten."),
        ("comment_deleted", "resident", "Gelöschte Kommentare kann man nicht bewerten."),
        ("shown", "author", "Eigene Kommentare können Sie nicht bewerten."),
        ("comment_hidden", "resident", "Sie können diesen Kommentar nicht bewerten."),
        ("withdrawn", "resident", "Der Vorschlag wurde zurückgezogen; Kommentare sind nicht mehr"),
        ("after", "resident", "In dieser Phase sind keine Kommentare möglich."),
        ("hidden_after", "resident", "In dieser Phase sind keine Kommentare möglich."),
    ],
)
def test_each_refusal_to_rate_names_its_reason(variant, who, reason):
    state = {"withdrawn": "withdrawn", "after": "after", "hidden_after": "after"}
    project, _proposal, comment = build(state.get(variant, "running"))
    if variant in {"comment_hidden", "hidden_after"}:
        Comment.objects.filter(pk=comment.pk).update(hidden_at=timezone.now())
    elif variant == "comment_deleted":
        Comment.objects.filter(pk=comment.pk).update(deleted_at=timezone.now())
    comment.refresh_from_db()
    user = user_for(who, project, comment)
    assert reason in decide(user, "comments.rate_comment", comment).reason


def test_offline_entry_names_the_proposal_and_the_staff():
    project, proposal, _comment = build("after")
    resident = UserFactory()
    staff = user_for("org_admin", project, _comment)
    assert decide(staff, "comments.enter_offline_comment", Discussion(project, proposal))
    assert decide(resident, "comments.enter_offline_comment", Discussion(project, proposal)) == (
        Decision(False, "Nur Mitarbeitende des Projekts können Kommentare erfassen.")
    )
    Proposal.objects.filter(pk=proposal.pk).update(withdrawn_at=timezone.now())
    proposal.refresh_from_db()
    assert decide(staff, "comments.enter_offline_comment", Discussion(project, proposal)) == (
        Decision(False, "Der Vorschlag wurde zurückgezogen; Kommentare sind nicht mehr möglich.")
    )
