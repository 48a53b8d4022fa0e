"""Permission matrix for debates: role × project state.

Written out by hand (V = view the debate, O = open a debate in the project,
C = comment with a stance, X = close it with a conclusion, E = edit it), so a change
in the rules shows up here. The debate in question is open, visible, without
comments, and was opened by "author" (a resident).
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.permissions import can_comment
from mitmachen.comments.selectors import thread_for
from mitmachen.comments.tests.factories import CommentFactory
from mitmachen.debates.models import Debate
from mitmachen.debates.permissions import can, can_open
from mitmachen.debates.tests.factories import DebateFactory
from mitmachen.moderation.models import Block
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.models import Visibility
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db

STATES = {
    # state: (visibility, phase offsets in days, actions)
    "draft": (Visibility.DRAFT, (-3, 10), ["debate", "comment"]),
    "no_participation": (Visibility.PUBLIC, (-3, 10), ["support"]),
    "comment": (Visibility.PUBLIC, (-3, 10), ["comment"]),
    "debate_comment": (Visibility.PUBLIC, (-3, 10), ["debate", "comment"]),
    "finished": (Visibility.PUBLIC, (-10, -3), ["debate", "comment"]),
}

# fmt: off
EXPECTED = {
    #                  draft    no_part  comment  debate   finished
    "anonymous":      ["-----", "V----", "V----", "V----", "V----"],
    "resident":       ["-----", "V----", "V-C--", "VOC--", "V----"],
    "blocked":        ["-----", "V----", "V----", "V----", "V----"],
    "author":         ["-----", "V---E", "V-C-E", "VOC-E", "V----"],
    "blocked_author": ["-----", "V----", "V----", "V----", "V----"],
    "org_admin":      ["VO-XE", "VO-XE", "VOCXE", "VOCXE", "V--XE"],
    "manager":        ["VO-XE", "VO-XE", "VOCXE", "VOCXE", "V--XE"],
    "other_org_staff": ["-----", "V----", "V-C--", "VOC--", "V----"],
    # Not in the brief's list, for completeness:
    "moderator":      ["V----", "V----", "V-C--", "VOC--", "V----"],
    "unassigned_pm":  ["V----", "V----", "V-C--", "VOC--", "V----"],
    "superuser":      ["VO-XE", "VO-XE", "VOCXE", "VOCXE", "V--XE"],
}
# fmt: on


def build(state):
    visibility, (start, end), actions = STATES[state]
    project = ProjectFactory(organisation=OrganisationFactory(), visibility=visibility)
    now = timezone.now()
    PhaseFactory(
        project=project,
        actions=actions,
        start=now + timedelta(days=start),
        end=now + timedelta(days=end),
    )
    debate = DebateFactory(project=project, author=UserFactory())
    # As the pages load it: phases prefetched, fresh.
    debate = Debate.objects.select_related("project__organisation").get(pk=debate.pk)
    return project, debate


def user_for(role, project, debate):
    if role == "anonymous":
        return AnonymousUser()
    if role == "author":
        return debate.author
    if role == "blocked_author":
        Block.objects.create(
            organisation=project.organisation, user=debate.author, reason="Beleidigungen"
        )
        return debate.author
    if role == "superuser":
        return UserFactory(is_superuser=True)
    user = UserFactory()
    organisation = project.organisation
    if role == "blocked":
        Block.objects.create(organisation=organisation, user=user, reason="Beleidigungen")
    elif role == "org_admin":
        MembershipFactory(user=user, organisation=organisation, role=Role.ADMIN)
    elif role == "manager":
        MembershipFactory(user=user, organisation=organisation, role=Role.PROJECT_MANAGER)
        project.managers.add(user)
    elif role == "unassigned_pm":
        MembershipFactory(user=user, organisation=organisation, role=Role.PROJECT_MANAGER)
    elif role == "moderator":
        MembershipFactory(user=user, organisation=organisation, role=Role.MODERATOR)
    elif role == "other_org_staff":
        MembershipFactory(user=user, organisation=OrganisationFactory(), role=Role.ADMIN)
    return user


def letters(user, project, debate):
    return "".join(
        [
            "V" if can(user, "view", debate) else "-",
            "O" if can_open(user, project) else "-",
            "C" if can(user, "comment", debate) else "-",
            "X" if can(user, "close", debate) else "-",
            "E" if can(user, "change", debate) else "-",
        ]
    )


@pytest.mark.parametrize("state_index", range(len(STATES)), ids=list(STATES))
@pytest.mark.parametrize("role", list(EXPECTED))
def test_matrix(role, state_index):
    state = list(STATES)[state_index]
    project, debate = build(state)
    user = user_for(role, project, debate)
    assert letters(user, project, debate) == EXPECTED[role][state_index]
    # The comment rule is the comments app's, and the thread says the same.
    assert can(user, "comment", debate) == (
        can(user, "view", debate) and can_comment(user, project, debate=debate)
    )
    if can(user, "view", debate):
        thread = thread_for(user=user, project=project, debate=debate)
        assert thread.can_comment == can(user, "comment", debate)
        assert (thread.form is not None) == thread.can_comment


@pytest.mark.parametrize("role", ["resident", "author", "manager", "superuser"])
def test_a_closed_debate_takes_no_comments_and_staff_reopen_it(role):
    project, debate = build("debate_comment")
    Debate.objects.filter(pk=debate.pk).update(closed_at=timezone.now(), conclusion="Fazit")
    debate.refresh_from_db()
    user = user_for(role, project, debate)
    assert not can(user, "comment", debate)
    assert not can_comment(user, project, debate=debate)
    staff = role in {"manager", "superuser"}
    assert can(user, "reopen", debate) is staff
    assert can(user, "close", debate) is staff  # changing the conclusion
    assert can(user, "change", debate) is staff  # the author no longer


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("anonymous", False),
        ("resident", False),
        ("author", False),
        ("other_org_staff", False),
        ("moderator", True),
        ("manager", True),
        ("org_admin", True),
        ("superuser", True),
    ],
)
def test_hidden_debates_only_for_staff_of_the_municipality(role, sees):
    project, debate = build("debate_comment")
    Debate.objects.filter(pk=debate.pk).update(hidden_at=timezone.now(), hidden_reason="Spam")
    debate.refresh_from_db()
    user = user_for(role, project, debate)
    assert can(user, "view", debate) is sees
    assert not can(user, "comment", debate)
    assert not can(user, "change", debate) or role in {"manager", "org_admin", "superuser"}


@pytest.mark.parametrize(
    ("role", "moderates"),
    [
        ("resident", False),
        ("author", False),
        ("manager", False),
        ("other_org_staff", False),
        ("moderator", True),
        ("org_admin", True),
        ("superuser", True),
    ],
)
def test_who_hides_debates(role, moderates):
    project, debate = build("debate_comment")
    assert can(user_for(role, project, debate), "moderate", debate) is moderates


def test_the_author_may_not_edit_once_commented():
    _project, debate = build("debate_comment")
    Debate.objects.filter(pk=debate.pk).update(comment_count=1)
    debate.refresh_from_db()
    assert not can(debate.author, "change", debate)


@pytest.mark.parametrize("hidden_by", ["deletion", "moderation"])
def test_the_author_may_not_edit_once_commented_even_if_no_comment_is_visible(hidden_by):
    """``comment_count`` counts visible comments only; what counts here is that someone
    answered the question as it stood."""
    project, debate = build("debate_comment")
    field = "deleted_at" if hidden_by == "deletion" else "hidden_at"
    CommentFactory(project=project, debate=debate, stance="for", **{field: timezone.now()})
    debate.refresh_from_db()
    assert debate.comment_count == 0
    assert not can(debate.author, "change", debate)


def test_staff_do_not_close_a_hidden_debate_but_may_change_a_conclusion():
    project, debate = build("debate_comment")
    staff = user_for("manager", project, debate)
    Debate.objects.filter(pk=debate.pk).update(hidden_at=timezone.now(), hidden_reason="Spam")
    debate.refresh_from_db()
    assert not can(staff, "close", debate)
    Debate.objects.filter(pk=debate.pk).update(closed_at=timezone.now(), conclusion="Fazit")
    debate.refresh_from_db()
    assert can(staff, "close", debate)  # the conclusion of a closed one
