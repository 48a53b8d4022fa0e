"""Supports count exactly once under real concurrency (PostgreSQL, live server, threads).

Each request runs in its own server thread with its own database connection and
transaction, as in production. SQLite serialises all writes, so these tests only
run on PostgreSQL.
"""

from __future__ import annotations

import secrets
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.proposals.models import Proposal, Support
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WORKERS = 20  # requests in flight at once; stays below PostgreSQL's connection limit


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Concurrency is tested on PostgreSQL (SQLite serialises writes).")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def post_support(url: str, session: str, value: str = "1") -> int:
    csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"unterstuetzen": value}).encode(),
        headers={
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        },
        method="POST",
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def in_parallel(calls):
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(lambda call: call(), calls))


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
