"""Stance counters, closing and the close/comment race under real concurrency.

PostgreSQL only (a live server: each request in its own thread, connection and
transaction). SQLite serialises all writes.
"""

from __future__ import annotations

import pytest

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.models import Comment
from mitmachen.comments.services import comment_create
from mitmachen.core.tests.live import in_parallel, post, session_cookie
from mitmachen.debates.models import Debate
from mitmachen.debates.services import debate_create
from mitmachen.notifications.models import Notification
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.proposals.tests.conftest import set_phase

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]


@pytest.fixture
def staff(project):
    user = MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user
    return user


@pytest.fixture
def open_debate(project, staff):
    set_phase(project, ["debate", "comment"])
    return debate_create(author=staff, project=project, question="Autofreie Innenstadt?")


def counted(debate):
    debate = Debate.objects.get(pk=debate.pk)
    visible = Comment.objects.filter(debate=debate).visible()
    tops = visible.filter(parent__isnull=True)
    return (
        (debate.comment_count, debate.for_count, debate.against_count, debate.neutral_count),
        (
            visible.count(),
            tops.filter(stance="for").count(),
            tops.filter(stance="against").count(),
            tops.filter(stance="neutral").count(),
        ),
    )


def test_parallel_comments_with_stances_count_exactly(live_server, open_debate):
    top = comment_create(
        author=UserFactory(),
        project=open_debate.project,
        debate=open_debate,
        stance="for",
        text="Start",
    )
    sessions = [session_cookie(UserFactory()) for _ in range(80)]
    url = f"{live_server.url}/debatten/{open_debate.pk}/kommentare/"
    stances = ["for", "against", "neutral"]
    calls = [
        lambda s=s, n=n: post(url, s, {"stance": stances[n % 3], "text": f"Nr. {n}"})
        for n, s in enumerate(sessions[:60])
    ]
    calls += [
        lambda s=s: post(url, s, {"text": "Antwort", "reply_to": top.pk}) for s in sessions[60:]
    ]
    statuses = in_parallel(calls)
    assert set(statuses) == {302}, statuses
    counters, rows = counted(open_debate)
    assert counters == rows == (81, 21, 20, 20)


def test_parallel_deletes_and_hides_count_once(live_server, open_debate, project):
    author = UserFactory()
    comments = [
        comment_create(
            author=author, project=project, debate=open_debate, stance="against", text=f"{n}"
        )
        for n in range(10)
    ]
    moderator = MembershipFactory(organisation=project.organisation, role=Role.MODERATOR).user
    session, moderation = session_cookie(author), session_cookie(moderator)
    # Deleted: 0–5 (each five times at once); hidden: 3–7 (each twice); 8 and 9 stay.
    calls = [
        lambda c=c: post(f"{live_server.url}/kommentare/{c.pk}/loeschen/", session, {})
        for c in comments[:6]
    ] * 5
    calls += [
        lambda c=c: post(
            f"{live_server.url}/verwaltung/moderation/kommentare/{c.pk}/",
            moderation,
            {"aktion": "ausblenden", "ausblenden-reason": "Spam"},
        )
        for c in comments[3:8]
    ] * 2
    statuses = in_parallel(calls)
    assert set(statuses) == {302}, statuses
    counters, rows = counted(open_debate)
    assert counters == rows == (2, 0, 2, 0)


def test_closing_races_with_comments(live_server, open_debate, staff, project):
    """No comment lands after the close: everyone whose comment is stored hears about
    the conclusion (the recipients are read once the close has committed), and ten
    parallel closes notify once."""
    people = [UserFactory() for _ in range(40)]
    sessions = [session_cookie(p) for p in people]
    comment_url = f"{live_server.url}/debatten/{open_debate.pk}/kommentare/"
    close_url = f"{live_server.url}/debatten/{open_debate.pk}/abschliessen/"
    staff_session = session_cookie(staff)
    calls = [
        lambda s=s: post(comment_url, s, {"stance": "for", "text": "Schnell noch"})
        for s in sessions
    ]
    calls[20:20] = [lambda: post(close_url, staff_session, {"conclusion": "Fazit"})] * 10
    statuses = in_parallel(calls)
    assert set(statuses) == {302}, statuses
    debate = Debate.objects.get(pk=open_debate.pk)
    assert debate.is_closed
    authors = set(Comment.objects.filter(debate=debate).values_list("author_id", flat=True))
    notified = list(
        Notification.objects.filter(kind="debate_closed").values_list("recipient_id", flat=True)
    )
    assert len(notified) == len(set(notified)), "someone was told twice"
    assert authors <= set(notified), "a comment was stored after the close"
    counters, rows = counted(debate)
    assert counters == rows


def _replies_racing_with(live_server, open_debate, author, decide):
    """Four top-level comments by ``author``, each answered 20 times in parallel with one
    decision on it (``decide(top)`` posts it). Nobody gets an error page (before: a
    deadlock on PostgreSQL, 500), every reply that was accepted is stored, and every
    counter is exact."""
    tops = [
        comment_create(
            author=author,
            project=open_debate.project,
            debate=open_debate,
            stance="for",
            text=f"Nr. {n}",
        )
        for n in range(4)
    ]
    sessions = [session_cookie(UserFactory()) for _ in range(20)]
    reply_url = f"{live_server.url}/debatten/{open_debate.pk}/kommentare/"
    calls = []
    for top in tops:
        replies = [
            lambda s=s, top=top: post(reply_url, s, {"text": "Antwort", "reply_to": top.pk})
            for s in sessions
        ]
        replies[8:8] = [lambda top=top: decide(top)]
        calls += replies
    statuses = in_parallel(calls)
    # 302: stored or decided; 200: the reply form again ("gelöscht oder ausgeblendet").
    assert set(statuses) <= {200, 302}, statuses
    replies_stored = Comment.objects.filter(debate=open_debate, parent__isnull=False).count()
    assert replies_stored == statuses.count(302) - len(tops)
    for top in tops:
        top.refresh_from_db()
        assert top.reply_count == Comment.objects.filter(parent=top).count()
    counters, rows = counted(open_debate)
    assert counters == rows
    return tops


def test_replies_race_with_the_author_deleting_the_comment(live_server, open_debate):
    author = UserFactory()
    session = session_cookie(author)
    tops = _replies_racing_with(
        live_server,
        open_debate,
        author,
        lambda top: post(f"{live_server.url}/kommentare/{top.pk}/loeschen/", session, {}),
    )
    assert all(top.is_deleted for top in tops)
    assert counted(open_debate)[0][:2] == (Comment.objects.filter(parent__in=tops).count(), 0)


def test_replies_race_with_a_moderator_hiding_the_comment(live_server, open_debate, project):
    moderator = MembershipFactory(organisation=project.organisation, role=Role.MODERATOR).user
    session = session_cookie(moderator)
    tops = _replies_racing_with(
        live_server,
        open_debate,
        UserFactory(),
        lambda top: post(
            f"{live_server.url}/verwaltung/moderation/kommentare/{top.pk}/",
            session,
            {"aktion": "ausblenden", "ausblenden-reason": "Beleidigung"},
        ),
    )
    assert all(top.is_hidden for top in tops)
    assert counted(open_debate)[0][:2] == (Comment.objects.filter(parent__in=tops).count(), 0)
