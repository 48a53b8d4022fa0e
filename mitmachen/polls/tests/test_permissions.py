"""Permission matrix for polls: role × phase state × poll settings.

Written out by hand, so a change in the rules shows up here. The letters are
V = may see the poll (``can_view``), A = may answer now (``may_answer``),
R = may see the results (``can_see_results``), M = runs the poll (``can_manage``).
Unless a test says otherwise the poll takes answers from everyone with an account
(eligibility "registered"), shows its results after the end, is not anonymous and
cannot be changed; it has one yes/no question.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.moderation.models import Block
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import (
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
    square,
)
from mitmachen.polls import services
from mitmachen.polls.models import (
    Eligibility,
    Participation,
    Poll,
    QuestionKind,
    Response,
    ResultsVisibility,
)
from mitmachen.polls.permissions import (
    answer_refusal,
    can_manage,
    can_see_results,
    can_view,
    may_answer,
)
from mitmachen.polls.tests.factories import PollFactory, options, question
from mitmachen.projects.models import ProjectMembership, Visibility
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db

# state: (phase start/end in days from now, phase actions, changes to project and poll)
STATES = {
    "before_start": ((1, 10), ["answer"], {}),
    "running": ((-1, 10), ["answer"], {}),
    "no_answer": ((-1, 10), ["comment"], {}),
    "ended": ((-10, -1), ["answer"], {}),
    "closed_early": ((-1, 10), ["answer"], {"closed": True}),
    "draft": ((-1, 10), ["answer"], {"visibility": Visibility.DRAFT}),
    "unpublished": ((-1, 10), ["answer"], {"is_published": False}),
    "private": ((-1, 10), ["answer"], {"visibility": Visibility.PRIVATE}),
}

# fmt: off
EXPECTED = {
    #                  before  running no_answ ended   closed  draft   unpubl. private
    "anonymous":       ["V---", "V---", "V---", "V-R-", "V-R-", "----", "----", "----"],
    "registered":      ["V---", "VA--", "V---", "V-R-", "V-R-", "----", "----", "----"],
    "verified":        ["V---", "VA--", "V---", "V-R-", "V-R-", "----", "----", "----"],
    "resident_in":     ["V---", "VA--", "V---", "V-R-", "V-R-", "----", "----", "----"],
    "resident_other":  ["V---", "VA--", "V---", "V-R-", "V-R-", "----", "----", "----"],
    "answered":        ["V---", "V---", "V---", "V-R-", "V-R-", "----", "----", "----"],
    "blocked":         ["V---", "V---", "V---", "V-R-", "V-R-", "----", "----", "----"],
    "invited":         ["V---", "VA--", "V---", "V-R-", "V-R-", "----", "----", "VA--"],
    "moderator":       ["V---", "VA--", "V---", "V-R-", "V-R-", "V---", "----", "VA--"],
    "unassigned_pm":   ["V---", "VA--", "V---", "V-R-", "V-R-", "V---", "----", "VA--"],
    "project_manager": ["V-RM", "VARM", "V-RM", "V-RM", "V-RM", "V-RM", "V-RM", "VARM"],
    "org_admin":       ["V-RM", "VARM", "V-RM", "V-RM", "V-RM", "V-RM", "V-RM", "VARM"],
    "other_org_admin": ["V---", "VA--", "V---", "V-R-", "V-R-", "----", "----", "----"],
    "superuser":       ["V-RM", "VARM", "V-RM", "V-RM", "V-RM", "V-RM", "V-RM", "VARM"],
}
# fmt: on

# Why answering is refused, by state (first match wins) and, in a running poll, by role.
REFUSED_BY_STATE = {
    "before_start": "noch nicht begonnen",
    "no_answer": "In dieser Phase sind keine Antworten möglich",
    "ended": "beendet",
    "closed_early": "beendet",
    "draft": "noch nicht veröffentlicht",
    "unpublished": "noch nicht veröffentlicht",
    "private": "eingeladene Personen",
}
REFUSED_BY_ROLE = {
    "anonymous": "Bitte melden Sie sich an",
    "answered": "bereits teilgenommen",
    "blocked": "gesperrt",
}


def build(state="running", **settings):
    """A poll in ``state`` in a municipality with the Ortsteile West and Ost."""
    (start, end), actions, changes = STATES[state]
    organisation = OrganisationFactory()
    west = DistrictFactory(organisation=organisation, name="West", geometry=square(12.0, 52.0))
    east = DistrictFactory(organisation=organisation, name="Ost", geometry=square(12.01, 52.0))
    project = ProjectFactory(
        organisation=organisation, visibility=changes.get("visibility", Visibility.PUBLIC)
    )
    now = timezone.now()
    phase = PhaseFactory(
        project=project,
        actions=actions,
        start=now + timedelta(days=start),
        end=now + timedelta(days=end),
    )
    poll_districts = settings.pop("poll_districts", None)
    poll = PollFactory(
        project=project,
        phase=phase,
        is_published=changes.get("is_published", True),
        closed_at=now - timedelta(hours=1) if changes.get("closed") else None,
        **settings,
    )
    places = {"west": west, "east": east, "elsewhere": DistrictFactory()}
    if poll_districts:
        poll.districts.set([places[name] for name in poll_districts])
    question(poll, QuestionKind.YES_NO)
    # As the pages load it.
    return Poll.objects.for_display().get(pk=poll.pk), places


def answered_before(user, poll):
    """A stored answer of ``user``, written directly: the poll may be closed by now."""
    participation = Participation.objects.create(poll=poll, user=user)
    Response.objects.create(poll=poll, participation=None if poll.anonymous else participation)


def user_for(role, poll, places):
    if role == "anonymous":
        return AnonymousUser()
    if role == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    organisation = poll.project.organisation
    user = UserFactory()
    if role == "verified":
        user.is_verified_resident = True
    elif role == "resident_in":
        user.home_district = places["west"]
    elif role == "resident_other":
        user.home_district = places["east"]
    elif role == "resident_elsewhere":
        user.home_district = places["elsewhere"]
    elif role == "answered":
        answered_before(user, poll)
    elif role == "blocked":
        # A verified resident of West: the block wins over every eligibility rule.
        user.is_verified_resident = True
        user.home_district = places["west"]
        Block.objects.create(organisation=organisation, user=user, reason="Beleidigungen")
    elif role == "invited":
        ProjectMembership.objects.create(project=poll.project, user=user)
    elif role == "moderator":
        MembershipFactory(user=user, organisation=organisation, role=Role.MODERATOR)
    elif role == "unassigned_pm":
        MembershipFactory(user=user, organisation=organisation, role=Role.PROJECT_MANAGER)
    elif role == "project_manager":
        MembershipFactory(user=user, organisation=organisation, role=Role.PROJECT_MANAGER)
        poll.project.managers.add(user)
    elif role == "org_admin":
        MembershipFactory(user=user, organisation=organisation, role=Role.ADMIN)
    elif role == "other_org_admin":
        MembershipFactory(user=user, organisation=OrganisationFactory(), role=Role.ADMIN)
    else:
        assert role == "registered", role
    user.save()
    return user


def letters(user, poll):
    return "".join(
        [
            "V" if can_view(user, poll) else "-",
            "A" if may_answer(user, poll) else "-",
            "R" if can_see_results(user, poll) else "-",
            "M" if can_manage(user, poll) else "-",
        ]
    )


@pytest.mark.parametrize("state_index", range(len(STATES)), ids=list(STATES))
@pytest.mark.parametrize("role", list(EXPECTED))
def test_matrix(role, state_index):
    state = list(STATES)[state_index]
    poll, places = build(state)
    user = user_for(role, poll, places)
    expected = EXPECTED[role][state_index]
    assert letters(user, poll) == expected
    refusal = answer_refusal(user, poll)
    if "A" in expected:
        assert refusal == ""
    else:
        reason = REFUSED_BY_STATE.get(state) or REFUSED_BY_ROLE[role]
        assert reason in refusal
    # The rules registry says the same as the functions (pages and the API use either).
    assert rules.has_perm("polls.view_poll", user, poll) == ("V" in expected)
    assert rules.has_perm("polls.answer_poll", user, poll) == ("A" in expected)
    assert rules.has_perm("polls.view_results", user, poll) == ("R" in expected)
    assert rules.has_perm("polls.manage_poll", user, poll) == ("M" in expected)


# --- who may answer: eligibility ---------------------------------------------------------

ELIGIBILITY = {
    # column: (eligibility, Ortsteile chosen for the poll, project Ortsteile)
    "registered": (Eligibility.REGISTERED, None, True),
    "verified": (Eligibility.VERIFIED, None, True),
    "residents_west": (Eligibility.RESIDENTS, ["west"], True),
    # No Ortsteile on the poll nor the project: every Ortsteil of the municipality.
    "residents_all": (Eligibility.RESIDENTS, None, False),
    "guests": (Eligibility.GUESTS, None, True),
}
LOGIN = "Bitte melden Sie sich an"
VERIFY = "bestätigtem Wohnsitz"
DISTRICT = "Ihr Wohnort (Ortsteil)"
BLOCKED = "gesperrt"
# fmt: off
ELIGIBLE = {
    #                      registered verified residents_west residents_all guests
    "anonymous":          [LOGIN,    LOGIN,    LOGIN,         LOGIN,        ""],
    "registered":         ["",       VERIFY,   DISTRICT,      DISTRICT,     ""],
    "verified":           ["",       "",       DISTRICT,      DISTRICT,     ""],
    "resident_in":        ["",       VERIFY,   "",            "",           ""],
    "resident_other":     ["",       VERIFY,   DISTRICT,      "",           ""],
    "resident_elsewhere": ["",       VERIFY,   DISTRICT,      DISTRICT,     ""],
    "blocked":            [BLOCKED,  BLOCKED,  BLOCKED,       BLOCKED,      BLOCKED],
    "org_admin":          ["",       VERIFY,   DISTRICT,      DISTRICT,     ""],
    "superuser":          ["",       VERIFY,   DISTRICT,      DISTRICT,     ""],
}
# fmt: on


@pytest.mark.parametrize("column", range(len(ELIGIBILITY)), ids=list(ELIGIBILITY))
@pytest.mark.parametrize("role", list(ELIGIBLE))
def test_eligibility(role, column):
    eligibility, poll_districts, project_districts = list(ELIGIBILITY.values())[column]
    poll, places = build(eligibility=eligibility, poll_districts=poll_districts)
    if project_districts:
        poll.project.districts.set([places["west"], places["east"]])
    user = user_for(role, poll, places)
    expected = ELIGIBLE[role][column]
    refusal = answer_refusal(user, poll)
    if expected:
        assert expected in refusal
        assert not may_answer(user, poll)
    else:
        assert refusal == ""
        assert may_answer(user, poll)
    # Eligibility never changes who may see the poll or its results.
    assert can_view(user, poll)
    assert can_see_results(user, poll) == (role in {"org_admin", "superuser"})


# --- answering again: allow_changes, anonymous, guests ----------------------------------

SETTINGS = {
    "once": {},
    "changeable": {"allow_changes": True},
    "anonymous": {"anonymous": True},
    "guests_once": {"eligibility": Eligibility.GUESTS},
    "guests_changeable": {"eligibility": Eligibility.GUESTS, "allow_changes": True},
}


@pytest.mark.parametrize(
    ("setting", "who", "again"),
    [
        ("once", "person", False),
        ("changeable", "person", True),
        ("anonymous", "person", False),
        ("guests_once", "person", False),
        ("guests_changeable", "person", True),
        ("guests_once", "guest", False),
        # A guest cannot change answers: the token is gone, only the cookie says "answered".
        ("guests_changeable", "guest", False),
    ],
)
def test_answering_again(setting, who, again):
    poll, places = build(**SETTINGS[setting])
    if who == "guest":
        user = AnonymousUser()
        # Before answering a guest may; afterwards the view passes what the cookie says.
        assert may_answer(user, poll)
        refusal = answer_refusal(user, poll, answered=True)
    else:
        user = user_for("registered", poll, places)
        assert may_answer(user, poll)
        answered_before(user, poll)
        refusal = answer_refusal(user, poll)
    if again:
        assert refusal == ""
    else:
        assert "bereits teilgenommen" in refusal


# --- results: live or after the end -----------------------------------------------------

# fmt: off
RESULTS = {
    # state:        (public when live, public after close)
    "before_start": (True,  False),
    "running":      (True,  False),
    "no_answer":    (True,  False),
    "ended":        (True,  True),
    "closed_early": (True,  True),
    "draft":        (False, False),
    "unpublished":  (False, False),
}
# fmt: on


@pytest.mark.parametrize("state", list(RESULTS))
@pytest.mark.parametrize("visibility", [ResultsVisibility.LIVE, ResultsVisibility.AFTER_CLOSE])
@pytest.mark.parametrize("role", ["anonymous", "answered", "moderator", "org_admin"])
def test_results_visibility(role, visibility, state):
    poll, places = build(state, results_visibility=visibility)
    user = user_for(role, poll, places)
    public = RESULTS[state][0 if visibility == ResultsVisibility.LIVE else 1]
    if role == "org_admin":
        assert can_see_results(user, poll)
    elif role == "moderator" and state == "draft":
        # Moderators see draft projects, but results only when they are public.
        assert can_see_results(user, poll) == (visibility == ResultsVisibility.LIVE)
    else:
        assert can_see_results(user, poll) == public


# --- the pages --------------------------------------------------------------------------

PAGE_ROLES = [
    "anonymous",
    "registered",
    "answered",
    "blocked",
    "moderator",
    "project_manager",
    "superuser",
]
PAGE_STATES = [
    "running",
    "before_start",
    "ended",
    "closed_early",
    "draft",
    "unpublished",
    "private",
]


def login(client, user):
    if user.is_authenticated:
        client.force_login(user)


def staff_status(role, expected):
    """manage and exports: sign in first, then 404 unseen, 403 not staff, 200 staff."""
    if role == "anonymous":
        return 302
    if "V" not in expected:
        return 404
    return 200 if "M" in expected else 403


@pytest.mark.parametrize("state", PAGE_STATES)
@pytest.mark.parametrize("role", PAGE_ROLES)
def test_pages(client, role, state):
    poll, places = build(state)
    user = user_for(role, poll, places)
    expected = EXPECTED[role][list(STATES).index(state)]
    login(client, user)
    detail = reverse("polls:detail", args=[poll.pk])
    q = poll.questions.get()

    page = client.get(detail)
    if "V" not in expected:
        assert page.status_code == 404
    else:
        assert page.status_code == 200
        html = page.content.decode()
        assert ("Antworten absenden" in html) == ("A" in expected)
        if "A" not in expected:
            assert answer_refusal(user, poll) in html

    before = Response.objects.count()
    sent = client.post(detail, {q.field_name(): options(q)[0]})
    if "V" not in expected:
        assert sent.status_code == 404
    elif "A" in expected:
        assert sent.status_code == 302
        assert sent.url == reverse("polls:thanks", args=[poll.pk])
        assert Response.objects.count() == before + 1
    else:
        assert sent.status_code == 302 and sent.url == detail
        assert Response.objects.count() == before
        shown = [str(m) for m in client.get(detail).context["messages"]]
        assert shown == [answer_refusal(user, poll)]

    results = client.get(reverse("polls:results", args=[poll.pk]))
    if "V" not in expected:
        assert results.status_code == 404
    else:
        assert results.status_code == 200
        used = {t.name for t in results.templates}
        assert ("polls/poll_results.html" in used) == ("R" in expected)
        assert ("polls/poll_results_pending.html" in used) == ("R" not in expected)

    for name in ("manage", "export_csv", "export_xlsx", "texts", "batch_create"):
        got = client.get(reverse(f"polls:{name}", args=[poll.pk]))
        assert got.status_code == staff_status(role, expected), name
    closing = client.post(reverse("polls:close", args=[poll.pk]))
    assert closing.status_code == (302 if "M" in expected else staff_status(role, expected))


@pytest.mark.parametrize(
    ("eligibility", "role", "stored"),
    [
        (Eligibility.VERIFIED, "registered", False),
        (Eligibility.VERIFIED, "verified", True),
        (Eligibility.RESIDENTS, "resident_other", False),
        (Eligibility.RESIDENTS, "resident_in", True),
        (Eligibility.GUESTS, "anonymous", True),
        (Eligibility.GUESTS, "blocked", False),
    ],
)
def test_answer_page_follows_eligibility(client, eligibility, role, stored):
    poll, places = build(eligibility=eligibility, poll_districts=["west"])
    user = user_for(role, poll, places)
    login(client, user)
    detail = reverse("polls:detail", args=[poll.pk])
    page = client.get(detail)
    assert page.status_code == 200
    assert ("Antworten absenden" in page.content.decode()) == stored
    q = poll.questions.get()
    data = {q.field_name(): options(q)[0]}
    if not user.is_authenticated:
        data["gast"] = page.context["guest_token"]
    sent = client.post(detail, data)
    assert sent.status_code == 302
    assert Response.objects.filter(poll=poll).count() == (1 if stored else 0)
    assert Participation.objects.filter(poll=poll).count() == (1 if stored else 0)
    if not stored:
        shown = [str(m) for m in client.get(detail).context["messages"]]
        assert shown == [answer_refusal(user, poll)]


def test_guest_cannot_change_answers_in_a_changeable_guest_poll(client):
    """The cookie says "answered": no change form, and no second response either."""
    poll, _places = build(eligibility=Eligibility.GUESTS, allow_changes=True)
    q = poll.questions.get()
    detail = reverse("polls:detail", args=[poll.pk])
    token = client.get(detail).context["guest_token"]
    assert client.post(detail, {q.field_name(): options(q)[0], "gast": token}).status_code == 302
    page = client.get(detail)
    html = page.content.decode()
    assert "bereits teilgenommen" in html
    assert "Änderungen speichern" not in html
    again = client.post(detail, {q.field_name(): options(q)[1], "gast": services.guest_token(poll)})
    assert again.status_code == 302 and again.url == detail
    assert Response.objects.filter(poll=poll).count() == 1
