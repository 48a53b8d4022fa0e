"""Permission matrix for debates: role × project state.

Written out by hand (V = view the debate, O = open a debate in the project,
C = comment with a stance, X = close it with a conclusion, E = edit it), so a change
in the rules shows up here. The debate in question is open, visible, without
comments, and was opened by "author" (a resident).
"""

from datetime import timedelta

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.permissions import Discussion
from mitmachen.comments.selectors import thread_for
from mitmachen.comments.tests.factories import CommentFactory
from mitmachen.core.permissions import decide
from mitmachen.debates import services
from mitmachen.debates.models import Debate
from mitmachen.debates.permissions import can
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
            "O" if decide(user, "debates.open_debate", project).allowed else "-",
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
        can(user, "view", debate)
        and decide(user, "comments.write_comment", Discussion(project, debate=debate)).allowed
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
    assert not decide(user, "comments.write_comment", Discussion(project, debate=debate))
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


# --- One rule per permission: has_perm agrees with decide, and people read its reason ---------

RULES = (
    "debates.open_debate",  # asked of the project
    "debates.change_debate",
    "debates.close_debate",
    "debates.reopen_debate",
)
# (project state, what happened to the debate): every state of the matrix with the debate
# open, and in the debate phase the debate closed, hidden, both, or commented on.
CASES = [(state, "open") for state in STATES] + [
    ("debate_comment", "closed"),
    ("debate_comment", "hidden"),
    ("debate_comment", "closed_hidden"),
    ("debate_comment", "commented"),
    ("finished", "closed"),
]


def build_case(state, variant):
    project, debate = build(state)
    now = timezone.now()
    if variant == "commented":
        CommentFactory(project=project, debate=debate, stance="for", deleted_at=now)
    changes = {
        "closed": {"closed_at": now, "conclusion": "Fazit"},
        "hidden": {"hidden_at": now, "hidden_reason": "Spam"},
        "closed_hidden": {"closed_at": now, "conclusion": "Fazit", "hidden_at": now},
    }.get(variant, {})
    Debate.objects.filter(pk=debate.pk).update(**changes)
    return project, loaded(debate)


def loaded(debate):
    return (
        Debate.objects.select_related("project__organisation")
        .prefetch_related("project__phases")
        .get(pk=debate.pk)
    )


class _Undo(Exception):
    pass


def refusal_of_service(name, user, project, debate):
    """What the service answers: its refusal, or None when it did the write (undone)."""
    write = {
        "debates.open_debate": lambda: services.debate_create(
            author=user, project=project, question="Noch eine Frage?"
        ),
        "debates.change_debate": lambda: services.debate_update(
            user=user, debate=loaded(debate), question="Eine geänderte Frage?"
        ),
        "debates.close_debate": lambda: services.debate_close(
            user=user, debate=loaded(debate), conclusion="Ein Fazit."
        ),
        "debates.reopen_debate": lambda: services.debate_reopen(user=user, debate=loaded(debate)),
    }[name]
    try:
        with transaction.atomic():
            write()
            raise _Undo
    except PermissionDenied as error:
        return str(error)
    except _Undo:
        return None


@pytest.mark.parametrize(("state", "variant"), CASES, ids=[f"{s}-{v}" for s, v in CASES])
@pytest.mark.parametrize("role", list(EXPECTED))
def test_has_perm_agrees_with_decide_and_services_give_its_reason(role, state, variant):
    project, debate = build_case(state, variant)
    user = user_for(role, project, debate)
    for name in RULES:
        obj = project if name == "debates.open_debate" else debate
        decision = decide(user, name, obj)
        assert rules.has_perm(name, user, obj) is decision.allowed, name
        if not user.is_superuser:  # Django lets superusers pass every user.has_perm
            assert user.has_perm(name, obj) is decision.allowed, name
        assert bool(decision.reason) is not decision.allowed, name
        assert refusal_of_service(name, user, project, debate) == (
            None if decision.allowed else decision.reason
        ), name


@pytest.mark.parametrize(
    ("role", "variant", "reason"),
    [
        ("author", "closed", "Diese Debatte ist abgeschlossen und kann nicht mehr bearbeitet"),
        ("author", "hidden", "Diese Debatte wurde ausgeblendet und kann nicht bearbeitet"),
        ("blocked_author", "open", "Ihr Konto ist für Beteiligungen in dieser Kommune gesperrt."),
        ("author", "commented", "weil sie schon Kommentare hat."),
        ("resident", "open", "Diese Debatte kann nicht mehr bearbeitet werden."),
    ],
)
def test_each_refusal_to_change_names_its_reason(role, variant, reason):
    project, debate = build_case("debate_comment", variant)
    assert reason in decide(user_for(role, project, debate), "debates.change_debate", debate).reason


@pytest.mark.parametrize(("state", "variant"), CASES, ids=[f"{s}-{v}" for s, v in CASES])
@pytest.mark.parametrize("role", ["resident", "author", "blocked_author", "manager"])
def test_the_pages_show_the_reason_of_the_decision(client, role, state, variant):
    project, debate = build_case(state, variant)
    user = user_for(role, project, debate)
    client.force_login(user)
    opening = decide(user, "debates.open_debate", project)
    if project.visibility == Visibility.DRAFT and not opening:
        return  # the project's pages are not found for them
    listing = client.get(f"/projekte/{project.slug}/debatten/").content.decode()
    response = client.get(f"/projekte/{project.slug}/debatten/neu/")
    if opening:
        assert response.status_code == 200
    else:
        assert escape(opening.reason) in listing
        assert messages_of(client, response) == [opening.reason]
    if not can(user, "view", debate):
        return
    editing = decide(user, "debates.change_debate", debate)
    response = client.get(f"/debatten/{debate.pk}/bearbeiten/")
    if editing:
        assert response.status_code == 200
    else:
        assert messages_of(client, response) == [editing.reason]
    closing = decide(user, "debates.close_debate", debate)
    response = client.get(f"/debatten/{debate.pk}/abschliessen/")
    if closing:
        assert response.status_code == 200
    elif role == "manager":  # staff read why; everyone else finds no such page
        assert messages_of(client, response) == [closing.reason]
    else:
        assert response.status_code == 404


def messages_of(client, response):
    """The messages a redirect leaves for the next page."""
    assert response.status_code == 302
    return [str(m) for m in client.get(response["Location"]).context["messages"]]
