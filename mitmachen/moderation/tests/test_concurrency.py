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
    assert Report.objects.filter(proposal=proposal).count() == 1
    assert Proposal.objects.get(pk=proposal.pk).report_count == 1


def test_many_people_reporting_hide_once_and_count_exactly(live_server, settings, proposal):
    settings.MODERATION_AUTO_HIDE_REPORTS = 5
    sessions = [session_cookie(UserFactory()) for _ in range(40)]
    url = f"{live_server.url}/melden/vorschlag/{proposal.pk}/"
    statuses = in_parallel([lambda s=s: post(url, s, {"reason": "spam"}) for s in sessions])
    assert set(statuses) == {302}, statuses
    reports = Report.objects.filter(proposal=proposal).count()
    proposal.refresh_from_db()
    # Reports that arrive after the automatic hide are refused ("bereits ausgeblendet").
    assert 5 <= reports <= 40
    assert proposal.report_count == reports
    assert proposal.is_hidden
    assert ModerationAction.objects.filter(kind=ActionKind.AUTO_HIDE).count() == 1
