"""The survey set-up under real concurrency (PostgreSQL only, a live server: each request in
its own thread, connection and transaction). Questions added at the same moment get one
place each: ``services.question_save`` locks the poll before it reads the last position."""

from __future__ import annotations

import pytest

from mitmachen.core.tests.live import in_parallel, post, session_cookie
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.polls.tests.factories import PollFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]

PARALLEL = 8


def test_parallel_questions_get_distinct_places(live_server):
    poll = PollFactory()
    manager = MembershipFactory(organisation=poll.project.organisation, role=Role.ADMIN).user
    session = session_cookie(manager)
    url = f"{live_server.url}/verwaltung/umfragen/{poll.pk}/fragen/neu/"
    calls = [
        lambda i=i: post(url, session, {"kind": "yes_no", "text": f"Frage {i}?"})
        for i in range(PARALLEL)
    ]
    statuses = in_parallel(calls)
    assert statuses == [302] * PARALLEL, statuses
    positions = sorted(poll.questions.values_list("position", flat=True))
    assert positions == list(range(PARALLEL))
    assert all(q.options.count() == 3 for q in poll.questions.all())
