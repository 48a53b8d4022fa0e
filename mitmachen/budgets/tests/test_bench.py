"""The Bürgerhaushalt's ``make bench`` hook (``budgets.bench``) on small data: exact
counts, idempotent, the result computed in the hook, and the pages it names."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.budgets import bench
from mitmachen.budgets.models import (
    Ballot,
    BallotChoice,
    Budget,
    Feasibility,
    GroupResult,
    Idea,
    ResultState,
)
from mitmachen.budgets.services import check_choices
from mitmachen.projects.modules import BenchContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def context(project, region, manager):
    accounts = [
        UserFactory(home_district=region["west"] if n % 2 else region["east"]) for n in range(16)
    ]
    resident = UserFactory(home_district=region["west"])
    return BenchContext(
        project=project,
        residents=[resident],
        staff=manager,
        accounts=type(resident).objects.filter(pk__in=[a.pk for a in accounts]).order_by("pk"),
        small=True,
        log=lambda line: None,
    )


def test_the_hook_adds_two_budgets_with_exact_counts_once(context, client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    pages = bench.bench(context)
    assert bench.bench(context) == pages, "a second run adds nothing and names the same pages"
    ideas_n, ballots_n = bench._sizes(small=True)
    for title in (bench.OPEN_TITLE, bench.CLOSED_TITLE):
        budget = Budget.objects.get(title=title)
        assert Idea.objects.filter(budget=budget).count() == ideas_n
        assert Idea.objects.filter(budget=budget, feasibility=Feasibility.UNFEASIBLE).count() == 1
        counted = Ballot.objects.counted().filter(group__budget=budget)
        assert counted.count() == ballots_n == Ballot.objects.filter(group__budget=budget).count()
        for group in budget.groups.all():
            online = Ballot.objects.filter(group=group, voter__isnull=False).count()
            assert group.ballot_count == online > 0
            for ballot in Ballot.objects.filter(group=group):  # every ballot is valid
                ids = BallotChoice.objects.filter(ballot=ballot).values_list("idea_id", flat=True)
                check_choices(group, ids)
            if group.districts.exists():  # Ortsteil groups: only their residents online
                assert not Ballot.objects.filter(group=group, voter__isnull=False).exclude(
                    voter__home_district__in=group.districts.all()
                )
    closed = Budget.objects.get(title=bench.CLOSED_TITLE)
    assert closed.ballot_closed() and not Budget.objects.get(title=bench.OPEN_TITLE).ballot_closed()
    results = GroupResult.objects.filter(group__budget=closed)
    assert results.count() == 2 and all(r.state == ResultState.DONE for r in results)
    assert sum(r.data["voters"] for r in results) == ballots_n
    # The pages: the resident has not voted and sees the ballot form.
    client.force_login(context.residents[0])
    by_name = {p.name: p for p in pages}
    ballot = client.get(by_name["Bürgerhaushalt: Stimmzettel (20.000 abgegeben)"].path)
    assert 'name="idee"' in ballot.content.decode() and "schon abgestimmt" not in (
        ballot.content.decode()
    )
    results_page = client.get(by_name["Bürgerhaushalt: Ergebnis (20.000 Stimmzettel)"].path)
    assert results_page.status_code == 200, "the result was computed in the hook"
    assert "Ergebnis der Abstimmung" in results_page.content.decode()


def test_the_idea_page_costs_a_fixed_number_of_queries(context, client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    bench.bench(context)
    client.force_login(context.residents[0])
    ideas = list(Idea.objects.filter(budget__title=bench.OPEN_TITLE).order_by("pk")[:3])
    client.get(ideas[0].get_absolute_url())  # fills the process's content-type cache
    counts = []
    for idea in ideas:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(idea.get_absolute_url()).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert len(set(counts)) == 1 and counts[0] <= 25, counts
