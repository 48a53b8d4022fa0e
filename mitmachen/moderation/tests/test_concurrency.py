"""Reports count once per person, and the automatic hide happens once, under real
concurrency (PostgreSQL, live server, parallel requests with their own transactions)."""

from __future__ import annotations

import pytest

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.tests.live import in_parallel, post, session_cookie
from mitmachen.moderation.models import ActionKind, ModerationAction, Report
from mitmachen.proposals.models import Proposal

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]


def test_one_person_fifty_parallel_reports_count_once(live_server, settings, proposal):
    settings.MODERATION_AUTO_HIDE_REPORTS = 0
    session = session_cookie(UserFactory())
    url = f"{live_server.url}/melden/vorschlag/{proposal.pk}/"
    statuses = in_parallel([lambda: post(url, session, {"reason": "spam"})] * 50)
    assert set(statuses) <= {200, 302}, statuses  # 200: the form says "bereits gemeldet"
    assert Report.objects.about(proposal).count() == 1
    assert Proposal.objects.get(pk=proposal.pk).report_count == 1


def test_many_people_reporting_hide_once_and_count_exactly(live_server, settings, proposal):
    settings.MODERATION_AUTO_HIDE_REPORTS = 5
    sessions = [session_cookie(UserFactory()) for _ in range(40)]
    url = f"{live_server.url}/melden/vorschlag/{proposal.pk}/"
    statuses = in_parallel([lambda s=s: post(url, s, {"reason": "spam"}) for s in sessions])
    assert set(statuses) == {302}, statuses
    reports = Report.objects.about(proposal).count()
    proposal.refresh_from_db()
    # Reports that arrive after the automatic hide are refused ("bereits ausgeblendet").
    assert 5 <= reports <= 40
    assert proposal.report_count == reports
    assert proposal.is_hidden
    assert ModerationAction.objects.filter(kind=ActionKind.AUTO_HIDE).count() == 1


def test_blocking_races_with_replies_to_the_persons_comments(live_server, project, proposal):
    """Blocking hides the person's proposal and comments while others answer those
    comments: nobody gets an error page (before: a deadlock, 500), the counters are exact."""
    from mitmachen.comments.models import Comment
    from mitmachen.comments.services import comment_create
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import MembershipFactory

    author = proposal.author
    tops = [
        comment_create(author=author, project=project, proposal=proposal, text=f"Nr. {n}")
        for n in range(4)
    ]
    moderator = MembershipFactory(organisation=project.organisation, role=Role.MODERATOR).user
    moderation = session_cookie(moderator)
    sessions = [session_cookie(UserFactory()) for _ in range(40)]
    url = f"{live_server.url}/vorschlaege/{proposal.pk}/kommentare/"
    calls = [
        lambda s=s, n=n: post(url, s, {"text": "Antwort", "reply_to": tops[n % 4].pk})
        for n, s in enumerate(sessions)
    ]
    block_url = (
        f"{live_server.url}/verwaltung/moderation/sperren/{author.pk}/"
        f"?kommune={project.organisation.slug}"
    )
    calls[10:10] = [lambda: post(block_url, moderation, {"aktion": "sperren", "reason": "Spam"})]
    statuses = in_parallel(calls)
    assert set(statuses) <= {200, 302}, statuses
    visible = Comment.objects.filter(proposal=proposal).visible().count()
    assert Proposal.objects.get(pk=proposal.pk).comment_count == visible
    for top in tops:
        top.refresh_from_db()
        assert top.is_hidden
        assert top.reply_count == Comment.objects.filter(parent=top).count()
