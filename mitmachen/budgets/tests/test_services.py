from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.budgets import services
from mitmachen.budgets.models import (
    IDEA_REVIEWED,
    VOTE,
    Ballot,
    BallotChoice,
    Feasibility,
    GroupResult,
    Idea,
    ResultRule,
    ResultState,
)
from mitmachen.budgets.tests.conftest import feasible_idea, set_budget_phase
from mitmachen.notifications.models import Notification

pytestmark = pytest.mark.django_db


def submit(budget, group, author, **overrides):
    data = {"title": "Bank am Teich", "description": "Zum Ausruhen.", "estimated_cost": 800}
    data.update(overrides)
    return services.idea_submit(author=author, budget=budget, group=group, **data)


def test_resident_submits_an_idea(budget, town, resident, region):
    idea = submit(budget, town, resident, district=region["west"])
    assert idea.feasibility == Feasibility.PENDING
    assert idea.project_id == budget.project_id
    assert idea.cost == 800


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        (-5, "mindestens 1 €"),
        (0, "mindestens 1 €"),
        ("viel", "ganzen Euro"),
        (10**12, "unrealistisch hoch"),
        (1001, "mehr, als die Gruppe"),
    ],
)
def test_bad_costs_are_refused_and_nothing_is_stored(budget, town, resident, cost, message):
    with pytest.raises(ValidationError) as error:
        submit(budget, town, resident, estimated_cost=cost)
    assert message in str(error.value)
    assert not Idea.objects.exists()


def test_no_ideas_outside_the_idea_phase(budget, town, resident, project):
    set_budget_phase(project, [VOTE])
    with pytest.raises(PermissionDenied, match="keine Ideen"):
        submit(budget, town, resident)


def test_review_needs_an_explanation_and_a_cost_and_notifies(budget, town, resident, manager):
    idea = submit(budget, town, resident)
    with pytest.raises(ValidationError) as error:
        services.idea_review(user=manager, idea=idea, feasible=True, explanation=" ")
    assert "öffentlich" in str(error.value) and "Kosten laut Verwaltung" in str(error.value)
    idea.refresh_from_db()
    assert idea.feasibility == Feasibility.PENDING
    services.idea_review(
        user=manager, idea=idea, feasible=False, explanation="Die Fläche gehört dem Land."
    )
    idea.refresh_from_db()
    assert idea.feasibility == Feasibility.UNFEASIBLE
    assert idea.explanation == "Die Fläche gehört dem Land."
    note = Notification.objects.get(recipient=resident)
    assert note.kind == IDEA_REVIEWED and "nicht machbar" in note.title


def test_residents_do_not_review(budget, town, resident):
    idea = submit(budget, town, resident)
    with pytest.raises(PermissionDenied, match="Nur die Verwaltung"):
        services.idea_review(user=resident, idea=idea, feasible=False, explanation="Nein")


def test_rule_and_review_are_fixed_once_the_ballot_begins(budget, town, resident, manager, project):
    idea = submit(budget, town, resident)
    budget = services.budget_set_result_rule(user=manager, budget=budget, result_rule="greedy")
    assert budget.result_rule == ResultRule.GREEDY and budget.result_rule_set_by == manager
    set_budget_phase(project, [VOTE])
    budget.project.__dict__.pop("_prefetched_objects_cache", None)
    with pytest.raises(PermissionDenied, match="Abstimmung hat begonnen"):
        services.budget_set_result_rule(user=manager, budget=budget, result_rule="mes")
    with pytest.raises(PermissionDenied, match="Abstimmung hat begonnen"):
        services.idea_review(user=manager, idea=idea, feasible=False, explanation="Nein")


def test_a_ballot_is_stored_once_and_changed_in_place(ballot_open, town, resident):
    a, b, c, _west = ballot_open
    services.ballot_submit(voter=resident, group=town, idea_ids=[a.pk, c.pk])
    services.ballot_submit(voter=resident, group=town, idea_ids=[str(b.pk)])
    ballot = Ballot.objects.get()
    assert set(BallotChoice.objects.values_list("idea_id", flat=True)) == {b.pk}
    assert ballot.voter == resident
    town.refresh_from_db()
    assert town.ballot_count == 1


@pytest.mark.parametrize(
    ("choose", "message"),
    [
        (lambda ideas: [ideas[0].pk, ideas[1].pk, ideas[2].pk], "übersteigt das Budget"),
        (lambda ideas: [ideas[3].pk], "nicht zur Wahl"),  # another group's idea
        (lambda ideas: ["1; DROP TABLE"], "ungültige Angabe"),
        (lambda ideas: [999999], "nicht zur Wahl"),
    ],
)
def test_invalid_ballots_store_nothing(ballot_open, town, resident, choose, message):
    with pytest.raises(ValidationError, match=message):
        services.ballot_submit(voter=resident, group=town, idea_ids=choose(ballot_open))
    assert not Ballot.objects.exists()
    town.refresh_from_db()
    assert town.ballot_count == 0


def test_unfeasible_and_pending_ideas_are_not_on_the_ballot(ballot_open, budget, town, resident):
    pending = Idea.objects.create(
        budget=budget,
        project=budget.project,
        group=town,
        title="x",
        description="x",
        estimated_cost=10,
    )
    with pytest.raises(ValidationError, match="nicht zur Wahl"):
        services.ballot_submit(voter=resident, group=town, idea_ids=[pending.pk])


def test_approval_group_allows_up_to_n(budget, west, manager, project, resident):
    ideas = [feasible_idea(budget, west, 100, manager=manager) for _ in range(3)]
    set_budget_phase(project, [VOTE])
    west.budget.project.__dict__.pop("_prefetched_objects_cache", None)
    with pytest.raises(ValidationError, match="höchstens 2"):
        services.ballot_submit(voter=resident, group=west, idea_ids=[i.pk for i in ideas])
    services.ballot_submit(voter=resident, group=west, idea_ids=[i.pk for i in ideas[:2]])
    assert Ballot.objects.count() == 1


def test_district_groups_are_for_their_residents(ballot_open, west, region):
    elsewhere = UserFactory(home_district=region["east"])
    nowhere = UserFactory()
    for person in (elsewhere, nowhere):
        with pytest.raises(PermissionDenied, match="nur Einwohnerinnen und Einwohner von West"):
            services.ballot_submit(voter=person, group=west, idea_ids=[])


def test_replayed_ballot_after_close_is_refused(ballot_open, town, resident, project):
    services.ballot_submit(voter=resident, group=town, idea_ids=[ballot_open[0].pk])
    set_budget_phase(project, [VOTE], when="past")
    town.budget.project.__dict__.pop("_prefetched_objects_cache", None)
    with pytest.raises(PermissionDenied, match="nicht geöffnet"):
        services.ballot_submit(voter=resident, group=town, idea_ids=[ballot_open[1].pk])
    assert list(BallotChoice.objects.values_list("idea_id", flat=True)) == [ballot_open[0].pk]


def test_results_only_after_the_ballot_computed_once_in_the_background(
    ballot_open, budget, town, project, django_capture_on_commit_callbacks
):
    a, _b, c, _west = ballot_open
    voters = [UserFactory() for _ in range(3)]
    for person in voters:
        services.ballot_submit(voter=person, group=town, idea_ids=[a.pk, c.pk])
    assert services.group_result(group=town) is None
    set_budget_phase(project, [VOTE], when="past")
    town.budget.project.__dict__.pop("_prefetched_objects_cache", None)
    # The first request queues the computation; the task (immediate in tests) runs once
    # the transaction has committed.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queued = services.group_result(group=town)
        assert queued is not None and queued.state == ResultState.QUEUED and queued.data is None
    assert [c.__qualname__ for c in callbacks].count("group_result.<locals>.<lambda>") == 1
    result = GroupResult.objects.get(group=town)
    assert result.state == ResultState.DONE and result.progress == 100
    assert result.data["voters"] == 3 and result.computed_at is not None
    chosen = {r["idea"] for r in result.data["rows"] if r["mes"]}
    assert chosen == {a.pk, c.pk}
    # Asked again (or the task run again): the stored result stands, no second task.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.group_result(group=town).pk == result.pk
    assert not [c for c in callbacks if c.__qualname__.startswith("group_result.")]
    services.group_result_compute(result_id=result.pk)
    assert GroupResult.objects.count() == 1
    assert GroupResult.objects.get().computed_at == result.computed_at


def test_failed_computation_is_stored_and_only_staff_restart_it(
    ballot_open, town, project, manager, resident, monkeypatch, django_capture_on_commit_callbacks
):
    set_budget_phase(project, [VOTE], when="past")
    town.budget.project.__dict__.pop("_prefetched_objects_cache", None)
    result = services.group_result(group=town)

    def broken(*args, **kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(services.results, "compute", broken)
    services.group_result_compute(result_id=result.pk)
    result.refresh_from_db()
    assert result.state == ResultState.FAILED and result.message == "kaputt"
    with pytest.raises(PermissionDenied, match="Nur die Verwaltung"):
        services.group_result_restart(user=resident, result=result)
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.group_result_restart(user=manager, result=result)
    result.refresh_from_db()
    assert result.state == ResultState.DONE and result.data is not None
    with pytest.raises(PermissionDenied, match="berechnet und gespeichert"):
        services.group_result_restart(user=manager, result=result)


def test_running_computation_restarts_only_when_stuck(ballot_open, town, project, manager):
    set_budget_phase(project, [VOTE], when="past")
    town.budget.project.__dict__.pop("_prefetched_objects_cache", None)
    result = services.group_result(group=town)
    GroupResult.objects.filter(pk=result.pk).update(state=ResultState.RUNNING)
    result.refresh_from_db()
    with pytest.raises(PermissionDenied, match="läuft noch"):
        services.group_result_restart(user=manager, result=result)
    GroupResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - timedelta(minutes=11)
    )
    result.refresh_from_db()
    services.group_result_restart(user=manager, result=result)
    result.refresh_from_db()
    assert result.state == ResultState.QUEUED and result.progress == 0


def test_a_deleted_accounts_ballot_still_counts(ballot_open, town, resident, project):
    from mitmachen.accounts.services import account_delete

    services.ballot_submit(voter=resident, group=town, idea_ids=[ballot_open[0].pk])
    account_delete(user=resident)
    ballot = Ballot.objects.get()
    assert ballot.voter is None
    election = services.election_of(town)
    assert election.ballots == [frozenset({ballot_open[0].pk})]
