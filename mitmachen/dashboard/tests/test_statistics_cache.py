"""The staff statistics are counted once per data version (``projects.statistics.count``
with ``StatsScope.cache_key``): a second view counts nothing, and every kind of write
that changes a figure – in each module that reports contributions, and an account's home
Ortsteil – makes the next view count again, with the new figure."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.budgets.models import Ballot, Budget, BudgetGroup, PaperBatch
from mitmachen.budgets.tests.factories import IdeaFactory
from mitmachen.climate.models import Observation
from mitmachen.climate.tests.factories import campaign_in
from mitmachen.comments.models import Comment
from mitmachen.comments.services import comment_delete
from mitmachen.core.channels import Channel
from mitmachen.debates.tests.factories import DebateFactory
from mitmachen.drafts.models import Chapter, Draft, Paragraph, Suggestion
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import (
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
)
from mitmachen.polls.models import Response
from mitmachen.polls.tests.factories import PollFactory
from mitmachen.projects import modules
from mitmachen.projects.statistics import Counts, StatsScope, count
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
from mitmachen.proposals.models import Proposal, Support

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def town():
    organisation = OrganisationFactory(name="Zwischenspeicherstadt")
    districts = [DistrictFactory(organisation=organisation) for _ in range(2)]
    project = ProjectFactory(organisation=organisation)
    PhaseFactory(project=project)
    people = [UserFactory(home_district=districts[0]) for _ in range(3)]
    proposal = Proposal.objects.create(
        project=project, title="Bank", text="Eine Bank.", author=people[0]
    )
    return {
        "organisation": organisation,
        "districts": districts,
        "project": project,
        "people": people,
        "proposal": proposal,
    }


def _statistics_queries(queries: CaptureQueriesContext) -> int:
    return sum(1 for q in queries.captured_queries if q["sql"].startswith("WITH u AS"))


def _figures(project) -> tuple[Counts, int]:
    """The project's counts as the page gets them, and how many statistics queries ran."""
    scope = StatsScope([project.pk])
    with CaptureQueriesContext(connection) as queries:
        counts = count(modules.statistics_sources(scope), key=scope.cache_key())
    return counts, _statistics_queries(queries)


def _summary(counts: Counts) -> dict[str, Any]:
    return {
        "total": (counts.contributions, counts.people),
        **{
            name: sorted(
                ((str(c.key), c.contributions, c.people) for c in cells), key=lambda t: t[0]
            )
            for name, cells in counts.breakdowns.items()
        },
    }


def test_counted_once_per_data_version(cached, town):
    first, queries = _figures(town["project"])
    assert queries == 1 and first.contributions == 1
    again, queries = _figures(town["project"])
    assert queries == 0
    assert _summary(again) == _summary(first)
    # Labels are added per request: another language, the same cached figures.
    from django.utils import translation

    with translation.override("en"):
        english, queries = _figures(town["project"])
    assert queries == 0
    assert english.kind_labels["proposal"] == "Proposals"


def test_without_the_page_cache_every_view_counts(town, settings):
    settings.PAGE_CACHE_SECONDS = 0
    assert _figures(town["project"])[1] == 1
    assert _figures(town["project"])[1] == 1


def _proposal(t):
    Proposal.objects.create(project=t["project"], title="Papier", text="T", channel=Channel.LETTER)


def _support(t):
    Support.objects.create(proposal=t["proposal"], user=t["people"][1])


def _comment(t):
    Comment.objects.create(
        project=t["project"], proposal=t["proposal"], author=t["people"][2], text="Ja."
    )


def _comment_deleted(t):
    """Deleted by its author (``comments.services.comment_delete``): no longer counted."""
    author = t["people"][2]
    comment = Comment.objects.create(
        project=t["project"], proposal=t["proposal"], author=author, text="Doch nicht."
    )
    # Made in bulk here; the counter the deletion moves back must hold it.
    Proposal.objects.filter(pk=t["proposal"].pk).update(comment_count=F("comment_count") + 1)
    return lambda: comment_delete(user=author, comment=comment)


def _response(t):
    poll = PollFactory(project=t["project"])
    Response.objects.create(poll=poll, channel=Channel.MITMACHMOBIL)


def _debate(t):
    DebateFactory(project=t["project"], author=t["people"][1])


def _suggestion(t):
    draft = Draft.objects.create(project=t["project"], title="Agenda", slug="agenda")
    chapter = Chapter.objects.create(draft=draft, position=1, title="Ziele")
    paragraph = Paragraph.objects.create(draft=draft, chapter=chapter, number=1, text="Alt.")
    Suggestion.objects.create(
        paragraph=paragraph, project=t["project"], author=t["people"][1], text="Neu.",
        base_text="Alt.",
    )  # fmt: skip


def _budget_group(t):
    budget = Budget.objects.create(project=t["project"], title="Bürgerhaushalt")
    return BudgetGroup.objects.create(budget=budget, name="Ganze Stadt", amount=1000)


def _idea(t):
    group = _budget_group(t)
    IdeaFactory(budget=group.budget, project=t["project"], group=group, author=t["people"][1])


def _paper_ballots_confirmed(t):
    """A stack of paper ballots counts once confirmed (as ``paper_batch_confirm`` saves
    it): the confirmation alone must make the figures stale."""
    group = _budget_group(t)
    batch = PaperBatch.objects.create(group=group, collected_on=timezone.localdate())
    Ballot.objects.create(group=group, batch=batch)

    def confirm():
        batch.confirmed_at = timezone.now()
        batch.save(update_fields=["confirmed_at"])

    return confirm


def _observation(t):
    Observation.objects.create(
        campaign=campaign_in(t["project"]),
        project=t["project"],
        author=t["people"][2],
        observed_on=timezone.localdate(),
        district=t["districts"][1],
        number_value=12.0,
    )


def _home_district(t):
    """Not a contribution: a person moves, and their contributions change Ortsteil."""
    person = t["people"][0]
    person.home_district = t["districts"][1]
    person.save()


# Each write: a function that writes – or, for a change of rows counted before, makes
# those rows and returns the change.
WRITES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "proposal": _proposal,
    "support": _support,
    "comment": _comment,
    "comment deleted by its author": _comment_deleted,
    "survey questionnaire": _response,
    "debate": _debate,
    "suggested wording": _suggestion,
    "budget idea": _idea,
    "paper ballots confirmed": _paper_ballots_confirmed,
    "observation": _observation,
    "home Ortsteil": _home_district,
}
CHANGES = {"comment deleted by its author", "paper ballots confirmed"}


@pytest.mark.parametrize("write", list(WRITES))
def test_every_write_makes_the_next_view_count_again(
    cached, town, write, django_capture_on_commit_callbacks
):
    project = town["project"]
    change = None
    if write in CHANGES:
        with django_capture_on_commit_callbacks(execute=True):
            change = WRITES[write](town)
    before, queries = _figures(project)
    assert queries == 1
    assert _figures(project)[1] == 0  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        change() if change is not None else WRITES[write](town)
    after, queries = _figures(project)
    assert queries == 1, f"{write}: the figures were not counted again"
    assert _summary(after) != _summary(before), write
    # What a count without the cache finds.
    assert _summary(after) == _summary(count(modules.statistics_sources(StatsScope([project.pk]))))


def test_a_write_in_one_project_leaves_another_projects_figures_cached(
    cached, town, django_capture_on_commit_callbacks
):
    other = ProjectFactory(organisation=town["organisation"])
    _figures(town["project"])
    _figures(other)
    with django_capture_on_commit_callbacks(execute=True):
        _support(town)
    assert _figures(other)[1] == 0
    assert _figures(town["project"])[1] == 1


def test_the_municipality_page_follows_a_write_in_any_of_its_projects(
    client, cached, town, django_capture_on_commit_callbacks
):
    ProjectFactory(organisation=town["organisation"])
    admin = MembershipFactory(organisation=town["organisation"], role=Role.ADMIN).user
    client.force_login(admin)
    url = reverse("dashboard:municipality_statistics", args=[town["organisation"].slug])

    def view() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return response.context["counts"].contributions, _statistics_queries(queries)

    assert view() == (1, 1)
    assert view() == (1, 0)
    with django_capture_on_commit_callbacks(execute=True):
        _proposal(town)
    assert view() == (2, 1)
    assert view() == (2, 0)


def test_the_ortsteile_and_their_map_follow_a_person_moving(
    client, cached, town, django_capture_on_commit_callbacks
):
    """The Ortsteil table and map are kept with the figures (drawn once per version):
    a change of a home Ortsteil (the global version) draws them again."""
    admin = MembershipFactory(organisation=town["organisation"], role=Role.ADMIN).user
    client.force_login(admin)
    url = reverse("dashboard:project_statistics", args=[town["project"].slug])
    first, second = (d.name for d in town["districts"])

    def by_district() -> dict[str, int]:
        context = client.get(url).context
        rows = {row.name: row.cell.contributions for row in context["district_rows"] if row.cell}
        assert context["reached"] == len(rows)
        return rows

    assert by_district() == {first: 1}
    with CaptureQueriesContext(connection) as queries:
        assert by_district() == {first: 1}
    assert not any("organisations_district" in q["sql"] for q in queries.captured_queries)
    with django_capture_on_commit_callbacks(execute=True):
        _home_district(town)
    assert by_district() == {second: 1}


# --- The first views after a write: one counts, the others wait for its figures -------

ROWS = [("total", None, None, 3, 2)]


def _concurrent_first_views(project, n: int) -> list[int]:
    """``n`` threads open the statistics of a data version nobody has counted yet; the
    contributions each of them gets."""
    from mitmachen.projects import statistics

    sources = list(modules.statistics_sources(StatsScope([project.pk])))
    key = StatsScope([project.pk]).cache_key()
    assert key is not None
    start = threading.Barrier(n)
    found: list[int] = []

    def view() -> None:
        start.wait()
        try:
            found.append(statistics.count(sources, key=key).contributions)
        except RuntimeError:
            pass  # a failed count: an error page for this view only

    threads = [threading.Thread(target=view) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return found


def _slow_count(monkeypatch, seconds: float, *, fail_first: bool = False) -> list[float]:
    """Count (without the database) in ``seconds``; the calls' start times are noted.
    ``fail_first``: the first count fails after its time (a worker killed, a timeout)."""
    from mitmachen.projects import statistics

    calls: list[float] = []
    lock = threading.Lock()

    def grouped(sources, using):
        with lock:
            calls.append(time.monotonic())
            first = len(calls) == 1
        time.sleep(seconds)
        if fail_first and first:
            raise RuntimeError("statement timeout")
        return ROWS

    monkeypatch.setattr(statistics, "_grouped", grouped)
    return calls


def test_concurrent_first_views_count_once(cached, town, monkeypatch):
    calls = _slow_count(monkeypatch, 0.5)
    assert _concurrent_first_views(town["project"], 6) == [3] * 6
    assert len(calls) == 1  # five views waited for the one that counted
    # The next version (a write) is counted once again.
    from mitmachen.core import page_cache

    page_cache.touch_project(town["project"].pk)
    assert _concurrent_first_views(town["project"], 3) == [3] * 3
    assert len(calls) == 2


def test_without_the_lock_every_first_view_counts(cached, town, monkeypatch):
    """What the lock prevents (and that the test above can fail): with ``cache.add``
    always granting it, each concurrent first view counts."""
    calls = _slow_count(monkeypatch, 0.5)
    # Each thread has its own cache object (of one class): patch the class.
    monkeypatch.setattr(type(caches["default"]), "add", lambda *args, **kwargs: True)
    assert _concurrent_first_views(town["project"], 4) == [3] * 4
    assert len(calls) == 4


def test_when_the_counting_view_fails_a_waiting_one_counts(cached, town, monkeypatch):
    calls = _slow_count(monkeypatch, 0.3, fail_first=True)
    # The failed view shows its error; of the two waiting, one counts, the other waits.
    found = _concurrent_first_views(town["project"], 3)
    assert found == [3, 3] and len(calls) == 2
    from mitmachen.projects import statistics

    key = StatsScope([town["project"].pk]).cache_key()
    assert statistics.cache.get(f"{key}:counting") is None  # the lock is released


def test_a_waiting_view_counts_itself_after_the_longest_wait(cached, town, monkeypatch):
    from mitmachen.projects import statistics

    calls = _slow_count(monkeypatch, 1.0)
    monkeypatch.setattr(statistics, "WAIT_SECONDS", 0.3)
    assert _concurrent_first_views(town["project"], 2) == [3, 3]
    assert len(calls) == 2 and calls[1] - calls[0] >= 0.3
