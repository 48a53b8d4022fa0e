"""One response per person, under real concurrency (PostgreSQL, live server, threads).

Each request runs in its own server thread with its own database connection and
transaction, as in production. SQLite serialises all writes, so these tests only
run on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.tests.live import WORKERS, in_parallel, post, session_cookie
from mitmachen.polls import services
from mitmachen.polls.models import Answer, Eligibility, Participation, QuestionKind, Response
from mitmachen.polls.tests.factories import full_answers, options, post_data, question

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]

ANSWERS_PER_RESPONSE = 12  # every_kind with full_answers: 2 multiple, 3 ranking, 7 others


def form(questions, answers, **extra):
    """The form as a browser sends it: pairs, so that a multiple choice repeats its name
    (``live.post`` url-encodes the data as it is)."""
    pairs = []
    for name, value in post_data(questions, answers).items():
        values = value if isinstance(value, list) else [value]
        pairs += [(name, v) for v in values]
    return pairs + list(extra.items())


def url(live_server, poll):
    return f"{live_server.url}/umfragen/{poll.pk}/"


def stored_answers(response):
    return Counter(
        (a.question_id, a.option_id, a.number, a.district_id, a.text)
        for a in Answer.objects.filter(response=response)
    )


@pytest.mark.parametrize("anonymous", [False, True], ids=["named", "anonymous"])
def test_one_person_fifty_parallel_submissions_count_once(
    live_server, poll, questions, region, anonymous
):
    poll.anonymous = anonymous
    poll.save()
    person = UserFactory()
    session = session_cookie(person)
    data = form(questions, full_answers(questions, region["west"]))
    statuses = in_parallel([lambda: post(url(live_server, poll), session, data)] * 50)
    # 302: stored (to the thanks page) or refused before the form was read (back to the
    # poll); 400: refused by the database in the race (the form with the message).
    assert set(statuses) <= {302, 400}, statuses
    assert Participation.objects.filter(poll=poll).count() == 1
    assert Participation.objects.get(poll=poll).user == person
    response = Response.objects.get(poll=poll)
    assert Answer.objects.filter(response__poll=poll).count() == ANSWERS_PER_RESPONSE
    if anonymous:
        assert response.participation is None
    else:
        assert response.participation.user == person


def test_hundred_people_in_parallel_count_exactly(live_server, poll, questions, region):
    sessions = [session_cookie(UserFactory()) for _ in range(100)]
    data = form(questions, full_answers(questions, region["east"]))
    statuses = in_parallel([lambda s=s: post(url(live_server, poll), s, data) for s in sessions])
    assert set(statuses) == {302}, statuses
    assert Response.objects.filter(poll=poll).count() == 100
    assert Participation.objects.filter(poll=poll).values("user").distinct().count() == 100
    assert Answer.objects.filter(response__poll=poll).count() == 100 * ANSWERS_PER_RESPONSE
    assert Response.objects.filter(poll=poll, district=region["east"]).count() == 100


def test_one_guest_token_fifty_times_in_parallel_answers_once(live_server, poll, settings):
    settings.POLL_GUEST_ANSWERS_PER_HOUR = 1000  # all requests come from 127.0.0.1
    poll.eligibility = Eligibility.GUESTS
    poll.save()
    q = question(poll, QuestionKind.YES_NO)
    token = services.guest_token(poll)
    data = {q.field_name(): str(options(q)[0]), "gast": token}
    statuses = in_parallel([lambda: post(url(live_server, poll), "", data)] * 50)
    assert set(statuses) <= {302, 400}, statuses
    assert statuses.count(302) == 1  # a guest has no cookie yet: every refusal is a 400
    assert Participation.objects.filter(poll=poll).count() == 1
    assert Participation.objects.get(poll=poll).user is None
    assert Response.objects.filter(poll=poll).count() == 1
    assert Answer.objects.filter(response__poll=poll).count() == 1


def test_fifty_parallel_changes_keep_one_consistent_answer_set(
    live_server, poll, questions, region
):
    poll.allow_changes = True
    poll.save()
    session = session_cookie(UserFactory())
    # Fifty different versions: scale 1–5, one of three single-choice options, Ortsteil.
    versions = []
    for i in range(50):
        answers = full_answers(questions, region["west"] if i % 2 else region["east"])
        answers[questions["scale"].pk] = i % 5 + 1
        answers[questions["single"].pk] = options(questions["single"])[i % 3]
        answers[questions["short_text"].pk] = f"Fassung {i}"
        versions.append(answers)
    statuses = in_parallel(
        [lambda a=a: post(url(live_server, poll), session, form(questions, a)) for a in versions]
    )
    assert set(statuses) == {302}, statuses  # the first one stores, the others change
    assert Participation.objects.filter(poll=poll).count() == 1
    response = Response.objects.prefetch_related("answers").get(poll=poll)
    assert Answer.objects.filter(response=response).count() == ANSWERS_PER_RESPONSE
    stored = services.answers_of(response, services.questions_of(poll))
    assert stored in versions  # one whole version, not a mix of two
    assert response.district_id == stored[questions["district"].pk]


# --- the database constraint is what holds ----------------------------------------------

CONSTRAINT = "one_participation_per_person"


@pytest.fixture
def without_constraint():
    """Drop the partial unique constraint for one test; put it back afterwards."""
    constraint = next(c for c in Participation._meta.constraints if c.name == CONSTRAINT)
    with connection.schema_editor() as editor:
        editor.remove_constraint(Participation, constraint)
    try:
        yield
    finally:
        # The duplicates this test made would stop the constraint from coming back.
        Response.objects.all().delete()
        Participation.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(Participation, constraint)


def constraint_exists():
    with connection.cursor() as cursor:
        names = connection.introspection.get_constraints(cursor, Participation._meta.db_table)
    return CONSTRAINT in names


@pytest.fixture
def race(monkeypatch):
    """Let the parallel submissions of one person meet right before the insert.

    Every request has passed the view's "answered already?" check and checked its
    answers when it reaches the barrier; then all insert at once. Without this, how many
    of them overlap would be luck.
    """
    barrier = threading.Barrier(WORKERS)
    original = services._check

    def check_then_wait(*args, **kwargs):
        original(*args, **kwargs)
        try:
            barrier.wait(timeout=20)
        except threading.BrokenBarrierError:  # pragma: no cover - fewer arrived in time
            pass

    monkeypatch.setattr(services, "_check", check_then_wait)
    return WORKERS


def test_the_constraint_holds_the_race(live_server, poll, questions, region, race):
    session = session_cookie(UserFactory())
    data = form(questions, full_answers(questions, region["west"]))
    statuses = in_parallel([lambda: post(url(live_server, poll), session, data)] * race)
    assert statuses.count(302) == 1 and statuses.count(400) == race - 1, statuses
    assert Participation.objects.filter(poll=poll).count() == 1
    assert Response.objects.filter(poll=poll).count() == 1


def test_without_the_constraint_parallel_submissions_count_twice(
    live_server, poll, questions, region, race, without_constraint
):
    assert not constraint_exists()
    session = session_cookie(UserFactory())
    data = form(questions, full_answers(questions, region["west"]))
    statuses = in_parallel([lambda: post(url(live_server, poll), session, data)] * race)
    # The same race as above: now every request stores its own response.
    assert statuses.count(302) == race, statuses
    assert Participation.objects.filter(poll=poll).count() == race
    assert Response.objects.filter(poll=poll).count() == race


def test_the_constraint_is_back_after_the_test_above():
    assert constraint_exists()
