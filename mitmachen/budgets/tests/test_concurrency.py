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


def test_a_paper_batch_confirmed_while_the_result_starts_is_in_it_or_refused(
    ballot_open, budget, town, manager, project, monkeypatch
):
    """Confirming a stack and starting the result race on 30 groups at once (each in its
    own thread and connection). Both lock the group, so a stack is either confirmed and
    counted, or refused because the result exists – never confirmed but left out.

    The confirmation waits 0.3 s between its checks and its commit (a slow database),
    which widens the window: without the group lock (the stack's row locked alone) 13 of
    26 confirmed stacks were left out of their results (measured)."""
    import time

    from django.core.exceptions import PermissionDenied
    from django.db import connection
    from django.utils import timezone

    from mitmachen.budgets import services
    from mitmachen.budgets.models import VOTE, GroupResult, PaperBatch
    from mitmachen.budgets.tests.conftest import feasible_idea, set_budget_phase
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import MembershipFactory

    checker = MembershipFactory(organisation=project.organisation, role=Role.PROJECT_MANAGER).user
    project.managers.add(checker)
    pairs = []
    for n in range(30):
        group = services.group_create(budget=budget, name=f"Gruppe {n}", amount=1000)
        idea = feasible_idea(budget, group, 100, manager=manager)
        batch = services.paper_batch_create(
            user=manager, group=group, collected_on=timezone.localdate()
        )
        services.paper_ballots_add(user=manager, batch=batch, lines=str(idea.pk))
        pairs.append((group, batch))
    set_budget_phase(project, [VOTE], when="past")
    save = PaperBatch.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.3)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(PaperBatch, "save", slow_save)

    def confirm(batch):
        def run():
            try:
                services.paper_batch_confirm(user=checker, batch=batch)
            except PermissionDenied:
                pass
            finally:
                connection.close()

        return run

    def start(group):
        def run():
            try:
                fresh = BudgetGroup.objects.select_related("budget__project").get(pk=group.pk)
                services.group_result(group=fresh)  # tasks run at once in tests
            finally:
                connection.close()

        return run

    in_parallel(call for group, batch in pairs for call in (start(group), confirm(batch)))
    for group, batch in pairs:
        result = GroupResult.objects.get(group=group)
        confirmed = PaperBatch.objects.get(pk=batch.pk).is_confirmed
        assert result.data["paper_ballots"] == (1 if confirmed else 0), group.name


def post_support(url: str, session: str) -> int:
    csrf = secrets.token_hex(16)
    request = urllib.request.Request(
        url,
        data=b"unterstuetzen=1",
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


@pytest.fixture
def supports_open(budget, town, manager, project):
    from mitmachen.budgets.models import SUPPORT
    from mitmachen.budgets.tests.conftest import feasible_idea, set_budget_phase

    idea = feasible_idea(budget, town, 300, manager=manager)
    set_budget_phase(project, [SUPPORT])
    return idea


def test_one_person_fifty_parallel_supports_count_once(live_server, supports_open, resident):
    """Without the unique constraint the parallel requests store several supports (the
    check-then-insert of ``idea_support`` alone does not hold)."""
    from mitmachen.budgets.models import Idea, IdeaSupport

    session = session_cookie(resident)
    url = f"{live_server.url}/buergerhaushalte/ideen/{supports_open.pk}/unterstuetzen/"
    statuses = in_parallel(lambda: post_support(url, session) for _ in range(50))
    assert set(statuses) == {302}, statuses
    assert IdeaSupport.objects.filter(idea=supports_open).count() == 1
    assert Idea.objects.get(pk=supports_open.pk).support_count == 1


def test_two_hundred_people_support_two_hundred_times(live_server, supports_open):
    """With a read-then-write counter instead of ``F()`` the counter ends below 200."""
    from mitmachen.budgets.models import Idea, IdeaSupport

    sessions = [session_cookie(UserFactory()) for _ in range(200)]
    url = f"{live_server.url}/buergerhaushalte/ideen/{supports_open.pk}/unterstuetzen/"
    statuses = in_parallel(lambda s=s: post_support(url, s) for s in sessions)
    assert set(statuses) == {302}, statuses
    assert IdeaSupport.objects.filter(idea=supports_open).count() == 200
    assert Idea.objects.get(pk=supports_open.pk).support_count == 200
