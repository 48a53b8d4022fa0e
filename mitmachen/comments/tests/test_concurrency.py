"""Ratings and comment counters stay exact under real concurrency (PostgreSQL, live server).

Each request runs in its own server thread with its own database connection and
transaction, as in production. SQLite serialises all writes, so these tests only
run on PostgreSQL.
"""

from __future__ import annotations

import itertools

import pytest
from django.db.models import Count, Q

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.models import Comment, CommentRating
from mitmachen.comments.services import comment_create, comment_rate
from mitmachen.core.tests.live import in_parallel, post, session_cookie
from mitmachen.proposals.models import Proposal
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]


def a_comment(project):
    proposal = ProposalFactory(project=project)
    return comment_create(
        author=UserFactory(), project=project, proposal=proposal, text="Mehr Bäume!"
    )


def tally(comment):
    """(up_count, down_count) on the comment and as counted from the rating rows."""
    comment.refresh_from_db()
    rows = CommentRating.objects.filter(comment=comment).aggregate(
        up=Count("pk", filter=Q(value=1)), down=Count("pk", filter=Q(value=-1))
    )
    return (comment.up_count, comment.down_count), (rows["up"], rows["down"])


def test_one_person_fifty_parallel_up_votes_count_once(live_server, project):
    comment = a_comment(project)
    session = session_cookie(UserFactory())
    url = f"{live_server.url}/kommentare/{comment.pk}/bewerten/"
    statuses = in_parallel([lambda: post(url, session, {"wert": "1"})] * 50)
    assert set(statuses) == {302}, statuses
    assert CommentRating.objects.filter(comment=comment).count() == 1
    assert tally(comment) == ((1, 0), (1, 0))


def test_hundred_people_in_parallel_count_exactly(live_server, project):
    comment = a_comment(project)
    sessions = [session_cookie(UserFactory()) for _ in range(100)]
    url = f"{live_server.url}/kommentare/{comment.pk}/bewerten/"
    statuses = in_parallel([lambda s=s: post(url, s, {"wert": "1"}) for s in sessions])
    assert set(statuses) == {302}, statuses
    assert CommentRating.objects.filter(comment=comment).count() == 100
    assert tally(comment) == ((100, 0), (100, 0))


def test_parallel_vote_changes_keep_up_and_down_exact(live_server, project):
    comment = a_comment(project)
    people = [UserFactory() for _ in range(60)]
    for person in people[:40]:
        comment_rate(user=person, comment=comment, value=1)
    sessions = [session_cookie(p) for p in people]
    url = f"{live_server.url}/kommentare/{comment.pk}/bewerten/"
    # At the same time, each request twice: 20 switch to "ablehnen", 10 take their
    # rating back, 20 newcomers agree.
    calls = [lambda s=s: post(url, s, {"wert": "-1"}) for s in sessions[:20]] * 2
    calls += [lambda s=s: post(url, s, {"wert": "0"}) for s in sessions[20:30]] * 2
    calls += [lambda s=s: post(url, s, {"wert": "1"}) for s in sessions[40:60]]
    statuses = in_parallel(calls)
    assert set(statuses) == {302}, statuses
    assert CommentRating.objects.filter(comment=comment).count() == 50
    assert tally(comment) == ((30, 20), (30, 20))


def test_one_person_changing_their_mind_in_parallel_stays_consistent(live_server, project):
    """Whatever the last request leaves, the counters equal the rating rows."""
    comment = a_comment(project)
    sessions = [session_cookie(UserFactory()) for _ in range(20)]
    url = f"{live_server.url}/kommentare/{comment.pk}/bewerten/"
    values = itertools.cycle(["1", "-1", "0", "-1", "1", "1"])
    calls = [lambda s=s, v=next(values): post(url, s, {"wert": v}) for s in sessions * 6]
    statuses = in_parallel(calls)
    assert set(statuses) == {302}, statuses
    counters, rows = tally(comment)
    assert counters == rows
    assert CommentRating.objects.filter(comment=comment).count() <= 20


def test_parallel_comments_and_replies_count_exactly(live_server, project):
    proposal = ProposalFactory(project=project)
    top = comment_create(author=UserFactory(), project=project, proposal=proposal, text="Start")
    sessions = [session_cookie(UserFactory()) for _ in range(60)]
    url = f"{live_server.url}/vorschlaege/{proposal.pk}/kommentare/"
    calls = [lambda s=s: post(url, s, {"text": "Neu"}) for s in sessions[:30]]
    calls += [lambda s=s: post(url, s, {"text": "Ja", "reply_to": top.pk}) for s in sessions[30:]]
    statuses = in_parallel(calls)
    assert set(statuses) == {302}, statuses
    top.refresh_from_db()
    assert top.reply_count == 30
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 61
    assert Comment.objects.filter(proposal=proposal).count() == 61


def test_parallel_deletes_count_once(live_server, project):
    proposal = ProposalFactory(project=project)
    author = UserFactory()
    comments = [
        comment_create(author=author, project=project, proposal=proposal, text=f"Nr. {n}")
        for n in range(10)
    ]
    session = session_cookie(author)
    calls = [
        lambda c=c: post(f"{live_server.url}/kommentare/{c.pk}/loeschen/", session, {})
        for c in comments[:5]
    ] * 10
    statuses = in_parallel(calls)
    assert set(statuses) == {302}, statuses
    assert Comment.objects.filter(proposal=proposal, deleted_at__isnull=False).count() == 5
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 5
