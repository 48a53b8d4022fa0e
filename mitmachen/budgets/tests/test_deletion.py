"""Deleting an account leaves no trace of the person in the Bürgerhaushalt, and their
ballot still counts. (``accounts/tests/test_deletion.py`` scans the whole database after
its seed, which reaches this module through ``tests/contract.py``; this test checks the
ballot's count and the idea's author in detail.)"""

from __future__ import annotations

import pytest

from mitmachen.accounts.services import account_delete
from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.accounts.tests.test_deletion import table_scan
from mitmachen.budgets import services
from mitmachen.budgets.models import SUBMIT_IDEA, VOTE, Ballot, Idea
from mitmachen.budgets.tests.conftest import set_budget_phase

pytestmark = pytest.mark.django_db
MARKER = "quendolinx"


def test_deleted_account_leaves_no_trace_and_its_ballot_counts(
    budget, town, manager, project, region
):
    person = UserFactory(
        email=f"{MARKER}@example.org", display_name=f"Renate {MARKER}", home_district=region["west"]
    )
    set_budget_phase(project, [SUBMIT_IDEA])
    idea = services.idea_submit(
        author=person,
        budget=budget,
        group=town,
        title="Bank",
        description="Am Teich",
        estimated_cost=300,
    )
    services.idea_review(
        user=manager, idea=idea, feasible=True, explanation="Ja", official_cost=300
    )
    set_budget_phase(project, [VOTE])
    town.budget.project.__dict__.pop("_prefetched_objects_cache", None)
    services.ballot_submit(voter=person, group=town, idea_ids=[idea.pk])
    assert table_scan(MARKER)  # the person is in the database

    account_delete(user=person)

    assert table_scan(MARKER) == set()
    assert Idea.objects.get(pk=idea.pk).public_author() != ""
    assert Ballot.objects.get(group=town).voter is None
    assert services.election_of(town).ballots == [frozenset({idea.pk})]
