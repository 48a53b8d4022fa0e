"""Votes on paragraphs under real concurrency (PostgreSQL, live server, threads).

Each request runs in its own server thread with its own database connection and
transaction, as in production. SQLite serialises all writes, so these tests only run
on PostgreSQL. The unique constraint ``one_vote_per_paragraph`` is what holds: without
it, one person's parallel clicks are counted several times (the test below shows it).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.tests.live import WORKERS, in_parallel, post, session_cookie
from mitmachen.drafts import services
from mitmachen.drafts.models import Paragraph, ParagraphVote, Suggestion, SuggestionSupport
from mitmachen.drafts.tests.conftest import paragraph

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]

CONSTRAINT = "one_vote_per_paragraph"


def url(live_server, draft, p):
    return live_server.url + reverse("drafts:vote", args=[draft.project.slug, draft.slug, p.key])


def counted(p):
    p = Paragraph.objects.get(pk=p.pk)
    votes = ParagraphVote.objects.filter(paragraph=p)
    return (p.agree_count, p.disagree_count), (
        votes.filter(value=1).count(),
        votes.filter(value=-1).count(),
    )


@pytest.fixture
def race(monkeypatch):
    """Let parallel requests meet right before the insert: each has found no vote of the
    person when it reaches the barrier; then all insert at once."""
    barrier = threading.Barrier(WORKERS)
    original_create = ParagraphVote.objects.create

    def create_then_wait(*args, **kwargs):
        try:
            barrier.wait(timeout=20)
        except threading.BrokenBarrierError:  # pragma: no cover - fewer arrived in time
            pass
        return original_create(*args, **kwargs)

    monkeypatch.setattr(ParagraphVote.objects, "create", create_then_wait)
    return WORKERS


def test_one_person_fifty_parallel_clicks_count_once(live_server, responding, draft):
    p = paragraph(draft, 1)
    session = session_cookie(UserFactory())
    statuses = in_parallel(
        [lambda: post(url(live_server, draft, p), session, {"bewertung": "zustimmen"})] * 50
    )
    assert statuses == [302] * 50
    assert counted(p) == ((1, 0), (1, 0))


def test_a_hundred_people_count_a_hundred_times(live_server, responding, draft):
    p = paragraph(draft, 2)
    sessions = [session_cookie(UserFactory()) for _ in range(100)]
    choices = ["zustimmen" if i % 4 else "ablehnen" for i in range(100)]
    statuses = in_parallel(
        [
            (lambda s=s, c=c: post(url(live_server, draft, p), s, {"bewertung": c}))
            for s, c in zip(sessions, choices, strict=True)
        ]
    )
    assert statuses == [302] * 100
    assert counted(p) == ((75, 25), (75, 25))


def test_parallel_changes_by_one_person_keep_the_counts_exact(live_server, responding, draft):
    p = paragraph(draft, 3)
    person = UserFactory()
    services.paragraph_vote(user=person, paragraph=p, value=1)
    session = session_cookie(person)
    choices = ["zustimmen", "ablehnen", "zuruecknehmen"] * 20
    in_parallel(
        [(lambda c=c: post(url(live_server, draft, p), session, {"bewertung": c})) for c in choices]
    )
    counts, rows = counted(p)
    assert counts == rows and sum(rows) <= 1


def test_the_constraint_holds_the_race(live_server, responding, draft, race):
    p = paragraph(draft, 1)
    session = session_cookie(UserFactory())
    in_parallel(
        [lambda: post(url(live_server, draft, p), session, {"bewertung": "zustimmen"})] * race
    )
    assert counted(p) == ((1, 0), (1, 0))


@pytest.fixture
def without_constraint():
    constraint = next(c for c in ParagraphVote._meta.constraints if c.name == CONSTRAINT)
    with connection.schema_editor() as editor:
        editor.remove_constraint(ParagraphVote, constraint)
    try:
        yield
    finally:
        ParagraphVote.objects.all().delete()  # the duplicates would stop it coming back
        with connection.schema_editor() as editor:
            editor.add_constraint(ParagraphVote, constraint)


def test_without_the_constraint_parallel_clicks_count_twice(
    live_server, responding, draft, race, without_constraint
):
    p = paragraph(draft, 1)
    session = session_cookie(UserFactory())
    in_parallel(
        [lambda: post(url(live_server, draft, p), session, {"bewertung": "zustimmen"})] * race
    )
    # The same race as above: now every request stores and counts its own vote.
    assert counted(p) == ((race, 0), (race, 0))


def test_the_constraint_is_back_after_the_test_above():
    with connection.cursor() as cursor:
        names = connection.introspection.get_constraints(cursor, ParagraphVote._meta.db_table)
    assert CONSTRAINT in names


# Supports of a suggestion: the same pattern, with the constraint one_support_per_suggestion.

SUPPORT_CONSTRAINT = "one_support_per_suggestion"


def support_url(live_server, draft, suggestion):
    return live_server.url + reverse(
        "drafts:support", args=[draft.project.slug, draft.slug, suggestion.pk]
    )


def supports_counted(suggestion):
    suggestion = Suggestion.objects.get(pk=suggestion.pk)
    return suggestion.support_count, SuggestionSupport.objects.filter(suggestion=suggestion).count()


@pytest.fixture
def suggestion(responding, draft):
    return services.suggestion_create(
        by=UserFactory(), paragraph=paragraph(draft, 1), text="Bis 2040 klimaneutral."
    )


@pytest.fixture
def support_race(monkeypatch):
    """Parallel requests meet right before the insert, as in ``race``."""
    barrier = threading.Barrier(WORKERS)
    original_create = SuggestionSupport.objects.create

    def create_then_wait(*args, **kwargs):
        try:
            barrier.wait(timeout=20)
        except threading.BrokenBarrierError:  # pragma: no cover - fewer arrived in time
            pass
        return original_create(*args, **kwargs)

    monkeypatch.setattr(SuggestionSupport.objects, "create", create_then_wait)
    return WORKERS


def test_one_person_fifty_parallel_supports_count_once(live_server, draft, suggestion):
    session = session_cookie(UserFactory())
    target = support_url(live_server, draft, suggestion)
    statuses = in_parallel(
        [lambda: post(target, session, {"unterstuetzung": "unterstuetzen"})] * 50
    )
    assert statuses == [302] * 50
    assert supports_counted(suggestion) == (1, 1)


def test_the_support_constraint_holds_the_race(live_server, draft, suggestion, support_race):
    session = session_cookie(UserFactory())
    target = support_url(live_server, draft, suggestion)
    in_parallel([lambda: post(target, session, {"unterstuetzung": "unterstuetzen"})] * support_race)
    assert supports_counted(suggestion) == (1, 1)


@pytest.fixture
def without_support_constraint():
    constraint = next(
        c for c in SuggestionSupport._meta.constraints if c.name == SUPPORT_CONSTRAINT
    )
    with connection.schema_editor() as editor:
        editor.remove_constraint(SuggestionSupport, constraint)
    try:
        yield
    finally:
        SuggestionSupport.objects.all().delete()  # the duplicates would stop it coming back
        with connection.schema_editor() as editor:
            editor.add_constraint(SuggestionSupport, constraint)


def test_without_the_support_constraint_parallel_supports_count_several_times(
    live_server, draft, suggestion, support_race, without_support_constraint
):
    session = session_cookie(UserFactory())
    target = support_url(live_server, draft, suggestion)
    in_parallel([lambda: post(target, session, {"unterstuetzung": "unterstuetzen"})] * support_race)
    assert supports_counted(suggestion) == (support_race, support_race)


def test_the_support_constraint_is_back_after_the_test_above():
    with connection.cursor() as cursor:
        names = connection.introspection.get_constraints(cursor, SuggestionSupport._meta.db_table)
    assert SUPPORT_CONSTRAINT in names


def test_parallel_comments_and_deletes_keep_the_paragraph_count_exact(
    live_server, responding, draft
):
    """30 people comment on one paragraph at once, and 10 earlier comments are deleted by
    their authors at the same time: the counter moves in each comment's transaction."""
    from mitmachen.comments.models import Comment
    from mitmachen.comments.services import comment_create

    p = paragraph(draft, 3)
    comments_url = live_server.url + reverse("comments:paragraph", args=[p.pk])
    earlier = []
    for _ in range(10):
        author = UserFactory()
        earlier.append(
            (author, comment_create(author=author, project=responding, target=p, text="Alt."))
        )
    writers = [session_cookie(UserFactory()) for _ in range(30)]
    jobs = [
        (lambda s=s, i=i: post(comments_url, s, {"text": f"Kommentar {i}"}))
        for i, s in enumerate(writers)
    ]
    deleters = [(session_cookie(a), c) for a, c in earlier]
    jobs += [
        (lambda s=s, c=c: post(live_server.url + reverse("comments:delete", args=[c.pk]), s, {}))
        for s, c in deleters
    ]
    statuses = in_parallel(jobs)
    assert set(statuses) == {302}, statuses
    visible = Comment.objects.filter(paragraph=p, deleted_at__isnull=True).count()
    assert visible == 30
    assert Paragraph.objects.get(pk=p.pk).comment_count == visible


# The weighing of a comment: one per comment (the constraint one_weighing_per_comment),
# also when two members of staff weigh it at the same moment.

WEIGHING_CONSTRAINT = "one_weighing_per_comment"


@pytest.fixture
def weighed_comment(responding, draft):
    from mitmachen.comments.services import comment_create

    return comment_create(
        author=UserFactory(), project=responding, target=paragraph(draft, 1), text="Mehr Bäume."
    )


@pytest.fixture
def two_staff(responding, manager):
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import MembershipFactory

    colleague = MembershipFactory(organisation=responding.organisation, role=Role.ADMIN).user
    return [session_cookie(manager), session_cookie(colleague)]


@pytest.fixture
def weighing_race(monkeypatch):
    """The two requests meet right before the insert: each has found no weighing."""
    from mitmachen.drafts.models import CommentWeighing

    barrier = threading.Barrier(2)
    original_create = CommentWeighing.objects.create

    def create_then_wait(*args, **kwargs):
        try:
            barrier.wait(timeout=20)
        except threading.BrokenBarrierError:  # pragma: no cover - the other came too late
            pass
        return original_create(*args, **kwargs)

    monkeypatch.setattr(CommentWeighing.objects, "create", create_then_wait)


def _weigh_in_parallel(live_server, draft, comment, sessions):
    target = live_server.url + reverse(
        "drafts:weigh_comment", args=[draft.project.slug, draft.slug, comment.pk]
    )
    jobs = [
        (lambda s=s, i=i: post(target, s, {"weighing": "noted", "reason": f"Gelesen {i}."}))
        for i, s in enumerate(sessions)
    ]
    return in_parallel(jobs)


def test_two_staff_weighing_one_comment_at_once_leave_one_weighing(
    live_server, draft, weighed_comment, two_staff, weighing_race
):
    from mitmachen.drafts.models import CommentWeighing

    assert _weigh_in_parallel(live_server, draft, weighed_comment, two_staff) == [302, 302]
    rows = list(CommentWeighing.objects.filter(comment=weighed_comment))
    # One weighing: the later of the two changed the earlier one.
    assert len(rows) == 1 and rows[0].reason in ("Gelesen 0.", "Gelesen 1.")


def test_many_parallel_weighings_leave_one(live_server, draft, weighed_comment, two_staff):
    from mitmachen.drafts.models import CommentWeighing

    statuses = _weigh_in_parallel(live_server, draft, weighed_comment, two_staff * 10)
    assert statuses == [302] * 20
    assert CommentWeighing.objects.filter(comment=weighed_comment).count() == 1


@pytest.fixture
def without_weighing_constraint():
    from mitmachen.drafts.models import CommentWeighing

    constraint = next(c for c in CommentWeighing._meta.constraints if c.name == WEIGHING_CONSTRAINT)
    with connection.schema_editor() as editor:
        editor.remove_constraint(CommentWeighing, constraint)
    try:
        yield
    finally:
        CommentWeighing.objects.all().delete()  # the duplicates would stop it coming back
        with connection.schema_editor() as editor:
            editor.add_constraint(CommentWeighing, constraint)


def test_without_the_weighing_constraint_both_are_stored(
    live_server, draft, weighed_comment, two_staff, weighing_race, without_weighing_constraint
):
    from mitmachen.drafts.models import CommentWeighing

    _weigh_in_parallel(live_server, draft, weighed_comment, two_staff)
    # The same race as above: now each request stores its own weighing.
    assert CommentWeighing.objects.filter(comment=weighed_comment).count() == 2


def test_the_weighing_constraint_is_back_after_the_test_above():
    from mitmachen.drafts.models import CommentWeighing

    with connection.cursor() as cursor:
        names = connection.introspection.get_constraints(cursor, CommentWeighing._meta.db_table)
    assert WEIGHING_CONSTRAINT in names


# The Abwägungstabelle's files: many clicks on "erstellen" at once queue one table, held
# by the partial unique constraint one_weighing_table_in_the_making.

TABLE_CONSTRAINT = "one_weighing_table_in_the_making"


class _Queue:
    """Stands in for the task: the tables stay queued, as with a busy worker."""

    def __init__(self):
        self.queued = []
        self.lock = threading.Lock()

    def enqueue(self, **kwargs):
        with self.lock:
            self.queued.append(kwargs["table_id"])


@pytest.fixture
def table_race(monkeypatch):
    """Parallel clicks meet right before the insert: each has found no table in the
    making when it reaches the barrier; then all insert at once."""
    from mitmachen.drafts import tasks
    from mitmachen.drafts.models import WeighingTableFile

    queue = _Queue()
    monkeypatch.setattr(tasks, "make_weighing_table", queue)
    barrier = threading.Barrier(8)
    original_create = WeighingTableFile.objects.create

    def create_then_wait(*args, **kwargs):
        try:
            barrier.wait(timeout=20)
        except threading.BrokenBarrierError:  # pragma: no cover - fewer arrived in time
            pass
        return original_create(*args, **kwargs)

    monkeypatch.setattr(WeighingTableFile.objects, "create", create_then_wait)
    return queue


def _clicks(live_server, draft, manager):
    url = live_server.url + reverse(
        "drafts:weighing_files_start", args=[draft.project.slug, draft.slug]
    )
    session = session_cookie(manager)
    return in_parallel([lambda: post(url, session, {})] * 8)


def test_parallel_clicks_queue_one_table(live_server, draft, manager, table_race):
    from mitmachen.drafts.models import TableState, WeighingTableFile

    statuses = _clicks(live_server, draft, manager)
    assert statuses == [302] * 8, statuses
    tables = list(WeighingTableFile.objects.filter(draft=draft))
    assert len(tables) == 1 and tables[0].state == TableState.QUEUED
    assert table_race.queued == [tables[0].pk]


@pytest.fixture
def without_table_constraint():
    from mitmachen.drafts.models import WeighingTableFile

    constraint = next(c for c in WeighingTableFile._meta.constraints if c.name == TABLE_CONSTRAINT)
    with connection.schema_editor() as editor:
        editor.remove_constraint(WeighingTableFile, constraint)
    try:
        yield
    finally:
        WeighingTableFile.objects.all().delete()  # the duplicates would stop it coming back
        with connection.schema_editor() as editor:
            editor.add_constraint(WeighingTableFile, constraint)


def test_without_the_constraint_parallel_clicks_queue_several(
    live_server, draft, manager, table_race, without_table_constraint
):
    from mitmachen.drafts.models import WeighingTableFile

    _clicks(live_server, draft, manager)
    # The same race as above: now the clicks queue a table each (under load one click
    # may find another's table after its commit, so more than one, not eight).
    assert WeighingTableFile.objects.filter(draft=draft).count() > 1
    assert len(table_race.queued) > 1


def test_the_table_constraint_is_back_after_the_test_above():
    from mitmachen.drafts.models import WeighingTableFile

    with connection.cursor() as cursor:
        names = connection.introspection.get_constraints(cursor, WeighingTableFile._meta.db_table)
    assert TABLE_CONSTRAINT in names
