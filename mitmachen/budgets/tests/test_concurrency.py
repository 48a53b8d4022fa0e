"""Ballots count exactly once under real concurrency.

PostgreSQL only (a live server: each request in its own thread, connection and
transaction). SQLite serialises all writes. Shown to fail without their guard (see
docs/budgets.md): without the unique constraint one person's 50 parallel ballots become
several; without the row lock parallel changes mix their choices; with a
read-then-write counter 200 people leave fewer than 200 on the counter.
"""

from __future__ import annotations

import secrets
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.budgets.models import Ballot, BallotChoice, BudgetGroup
from mitmachen.core.tests.live import in_parallel, session_cookie

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_choices(url: str, session: str, idea_ids: list[int]) -> int:
    """POST a ballot (``idee`` repeated, as the checkboxes send it); the status."""
    csrf = secrets.token_hex(16)
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"idee": idea_ids}, doseq=True).encode(),
        headers={
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        },
        method="POST",
    )
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_one_person_fifty_parallel_ballots_leave_one(live_server, ballot_open, town, resident):
    a, b, c, _west = ballot_open
    session = session_cookie(resident)
    url = f"{live_server.url}/buergerhaushalte/gruppen/{town.pk}/stimmzettel/"
    sets = [[a.pk], [b.pk], [c.pk], [a.pk, c.pk], [b.pk, c.pk]]
    statuses = in_parallel(
        lambda s=sets[n % len(sets)]: post_choices(url, session, s) for n in range(50)
    )
    assert set(statuses) == {302}, statuses
    ballot = Ballot.objects.get(group=town)  # exactly one
    chosen = sorted(BallotChoice.objects.filter(ballot=ballot).values_list("idea_id", flat=True))
    assert chosen in [sorted(s) for s in sets]  # one submitted set, never a mix
    assert BudgetGroup.objects.get(pk=town.pk).ballot_count == 1


def test_two_hundred_people_leave_two_hundred(live_server, ballot_open, town):
    a, _b, c, _west = ballot_open
    sessions = [session_cookie(UserFactory()) for _ in range(200)]
    url = f"{live_server.url}/buergerhaushalte/gruppen/{town.pk}/stimmzettel/"
    statuses = in_parallel(lambda s=s: post_choices(url, s, [a.pk, c.pk]) for s in sessions)
    assert set(statuses) == {302}, statuses
    assert Ballot.objects.filter(group=town).count() == 200
    assert BallotChoice.objects.filter(ballot__group=town).count() == 400
    assert BudgetGroup.objects.get(pk=town.pk).ballot_count == 200
