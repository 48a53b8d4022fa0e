"""Supports count exactly once under real concurrency (PostgreSQL, live server, threads).

Each request runs in its own server thread with its own database connection and
transaction, as in production. SQLite serialises all writes, so these tests only
run on PostgreSQL.
"""

from __future__ import annotations

import pytest
from django.core import mail

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.tests.live import in_parallel, post, session_cookie
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.proposals.models import Proposal, Support
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]


def post_support(url: str, session: str, value: str = "1") -> int:
    return post(url, session, {"unterstuetzen": value})


def test_one_person_fifty_parallel_supports_count_once(live_server, project):
    proposal = ProposalFactory(project=project)
    session = session_cookie(UserFactory())
    url = f"{live_server.url}/vorschlaege/{proposal.pk}/unterstuetzen/"
    statuses = in_parallel([lambda: post_support(url, session)] * 50)
    assert set(statuses) == {302}, statuses
    proposal.refresh_from_db()
    assert Support.objects.filter(proposal=proposal).count() == 1
    assert proposal.support_count == 1


def test_hundred_people_in_parallel_count_exactly(live_server, project):
    proposal = ProposalFactory(project=project)
    sessions = [session_cookie(UserFactory()) for _ in range(100)]
    url = f"{live_server.url}/vorschlaege/{proposal.pk}/unterstuetzen/"
    statuses = in_parallel([lambda s=s: post_support(url, s) for s in sessions])
    assert set(statuses) == {302}, statuses
    proposal.refresh_from_db()
    assert Support.objects.filter(proposal=proposal).count() == 100
    assert proposal.support_count == 100


def test_parallel_support_and_withdraw_keep_the_counter_exact(live_server, project):
    proposal = ProposalFactory(project=project)
    sessions = [session_cookie(UserFactory()) for _ in range(40)]
    url = f"{live_server.url}/vorschlaege/{proposal.pk}/unterstuetzen/"
    in_parallel([lambda s=s: post_support(url, s) for s in sessions])
    # Half withdraw, each twice and at the same time as new supports arrive.
    calls = [lambda s=s: post_support(url, s, "0") for s in sessions[:20]] * 2
    newcomers = [session_cookie(UserFactory()) for _ in range(20)]
    calls += [lambda s=s: post_support(url, s) for s in newcomers]
    statuses = in_parallel(calls)
    assert set(statuses) == {302}, statuses
    proposal.refresh_from_db()
    assert Support.objects.filter(proposal=proposal).count() == 40
    assert proposal.support_count == 40


def test_quorum_is_reached_exactly_once(live_server, project):
    project.support_quorum = 30
    project.save()
    MembershipFactory(organisation=project.organisation, role=Role.ADMIN)
    proposal = ProposalFactory(project=project)
    sessions = [session_cookie(UserFactory()) for _ in range(60)]
    url = f"{live_server.url}/vorschlaege/{proposal.pk}/unterstuetzen/"
    mail.outbox.clear()
    in_parallel([lambda s=s: post_support(url, s) for s in sessions])
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.support_count == 60
    assert proposal.quorum_reached_at is not None
    quorum_mails = [m for m in mail.outbox if "Quorum erreicht" in m.subject]
    assert len(quorum_mails) == 2  # one to the author, one to the staff
