"""Paper ballots: entered in stacks by one member of staff, confirmed by another, then
counted with the online ballots under the same rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mitmachen.budgets import services
from mitmachen.budgets.models import VOTE, Ballot, BallotChoice, GroupResult, PaperBatch
from mitmachen.budgets.tests.conftest import feasible_idea, set_budget_phase
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(project):
    """A second member of staff of the project, who checks what the first entered."""
    user = MembershipFactory(organisation=project.organisation, role=Role.PROJECT_MANAGER).user
    project.managers.add(user)
    return user


def batch_of(group, user):
    return services.paper_batch_create(
        user=user, group=group, collected_on=timezone.localdate(), place="Urne im Rathaus"
    )


def test_paper_batch_flow_counts_only_after_a_second_person_confirms(
    client,
    ballot_open,
    town,
    manager,
    second,
    resident,
    project,
    django_capture_on_commit_callbacks,
):
    a, b, c, _west = ballot_open  # 400, 500, 300 € in a 1,000 € knapsack group
    services.ballot_submit(voter=resident, group=town, idea_ids=[a.pk])
    batch = batch_of(town, manager)
    added = services.paper_ballots_add(
        user=manager, batch=batch, lines=f"{a.pk}, {b.pk}\n\n{c.pk};{a.pk}\n-\n"
    )
    assert len(added) == 3 and Ballot.objects.filter(batch=batch, voter=None).count() == 3
    assert sorted(
        BallotChoice.objects.filter(ballot__batch=batch).values_list("idea_id", flat=True)
    ) == sorted([a.pk, b.pk, c.pk, a.pk])
    # Not confirmed: the paper does not count yet.
    assert services.election_of(town).ballots == [frozenset({a.pk})]
    with pytest.raises(PermissionDenied, match="selbst erfasst"):
        services.paper_batch_confirm(user=manager, batch=batch)
    with pytest.raises(PermissionDenied, match="angelegt hat"):
        services.paper_ballots_add(user=second, batch=batch, lines=str(a.pk))
    services.paper_batch_confirm(user=second, batch=batch)
    batch.refresh_from_db()
    assert batch.confirmed_by == second and batch.is_confirmed
    assert len(services.election_of(town).ballots) == 4
    # Confirmed: it no longer changes.
    with pytest.raises(PermissionDenied, match="bestätigt und ändert sich nicht mehr"):
        services.paper_ballots_add(user=manager, batch=batch, lines=str(a.pk))
    with pytest.raises(PermissionDenied, match="bestätigt und ändert sich nicht mehr"):
        services.paper_ballot_delete(user=manager, ballot=added[0])
    with pytest.raises(PermissionDenied, match="schon bestätigt"):
        services.paper_batch_confirm(user=second, batch=batch)
    # A stack nobody confirmed yet is left out.
    unchecked = services.paper_batch_create(
        user=second, group=town, collected_on=timezone.localdate(), place="Mitmachmobil"
    )
    services.paper_ballots_add(user=second, batch=unchecked, lines=str(b.pk))
    # The result says how many ballots came from where.
    set_budget_phase(project, [VOTE], when="past")
    town.budget.project.__dict__.pop("_prefetched_objects_cache", None)
    with django_capture_on_commit_callbacks(execute=True):
        services.group_result(group=town)
    data = GroupResult.objects.get(group=town).data
    assert data["voters"] == 4 and data["online_ballots"] == 1 and data["paper_ballots"] == 3
    # … and where the paper came from: counted stacks only (an unconfirmed one is not).
    assert data["paper_places"] == [{"place": "Urne im Rathaus", "ballots": 3}]
    url = reverse("budgets:results", args=[town.budget.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)  # starts the other group's result
    page = client.get(url).content.decode()
    assert "Papierstimmzettel nach Ort der Abgabe:" in page
    assert "Urne im Rathaus</span> 3." in page
    votes = {r["idea"]: r["votes"] for r in data["rows"]}
    assert votes == {a.pk: 3, b.pk: 1, c.pk: 1}


def test_an_unconfirmed_batch_is_left_out_and_closed_once_the_result_exists(
    ballot_open, town, manager, second, project, django_capture_on_commit_callbacks
):
    a = ballot_open[0]
    batch = batch_of(town, manager)
    services.paper_ballots_add(user=manager, batch=batch, lines=str(a.pk))
    set_budget_phase(project, [VOTE], when="past")
    town.budget.project.__dict__.pop("_prefetched_objects_cache", None)
    with django_capture_on_commit_callbacks(execute=True):
        services.group_result(group=town)
    assert GroupResult.objects.get(group=town).data["paper_ballots"] == 0
    with pytest.raises(PermissionDenied, match="schon berechnet"):
        services.paper_batch_confirm(user=second, batch=batch)
    with pytest.raises(PermissionDenied, match="schon berechnet"):
        batch_of(town, manager)


def test_every_paper_ballot_follows_the_groups_rules_all_or_nothing(
    ballot_open, town, west, manager
):
    a, b, c, in_west = ballot_open
    batch = batch_of(town, manager)
    cases = {
        f"{a.pk}, {b.pk}, {c.pk}": "übersteigt das Budget",  # 1,200 € > 1,000 €
        f"{in_west.pk}": "nicht zur Wahl",  # an idea of another group
        "999999": "nicht zur Wahl",
        f"{a.pk}, {a.pk}": "doppelt",
        "Spielplatz": "nur die Nummern",
    }
    for line, message in cases.items():
        with pytest.raises(ValidationError, match=message) as raised:
            services.paper_ballots_add(user=manager, batch=batch, lines=f"{c.pk}\n{line}")
        assert "Zeile 2:" in raised.value.messages[0]
    with pytest.raises(ValidationError, match="mindestens einen"):
        services.paper_ballots_add(user=manager, batch=batch, lines=" \n ")
    assert not Ballot.objects.exists()
    # Approval of up to 2 in West.
    more = [feasible_idea(west.budget, west, 100, manager=manager) for _ in range(2)]
    west_batch = batch_of(west, manager)
    with pytest.raises(ValidationError, match="höchstens 2"):
        services.paper_ballots_add(
            user=manager,
            batch=west_batch,
            lines=f"{in_west.pk}\n{in_west.pk} {more[0].pk} {more[1].pk}",
        )
    assert not Ballot.objects.exists()


def test_who_may_create_batches_and_when(budget, town, manager, resident, project):
    with pytest.raises(PermissionDenied, match="sobald die Abstimmung begonnen"):
        batch_of(town, manager)  # the project still collects ideas
    set_budget_phase(project, [VOTE])
    town.budget.project.__dict__.pop("_prefetched_objects_cache", None)
    with pytest.raises(PermissionDenied, match="Nur die Verwaltung"):
        batch_of(town, resident)
    with pytest.raises(ValidationError, match="Zukunft"):
        services.paper_batch_create(
            user=manager, group=town, collected_on=timezone.localdate() + timedelta(days=1)
        )
    assert not PaperBatch.objects.exists()


def test_an_empty_batch_cannot_be_confirmed_and_a_mistake_can_be_deleted(
    ballot_open, town, manager, second
):
    a = ballot_open[0]
    batch = batch_of(town, manager)
    with pytest.raises(ValidationError, match="noch keine Stimmzettel"):
        services.paper_batch_confirm(user=second, batch=batch)
    [ballot] = services.paper_ballots_add(user=manager, batch=batch, lines=str(a.pk))
    with pytest.raises(PermissionDenied, match="angelegt hat"):
        services.paper_ballot_delete(user=second, ballot=ballot)
    services.paper_ballot_delete(user=manager, ballot=ballot)
    assert not Ballot.objects.exists() and not BallotChoice.objects.exists()


def test_paper_pages(client, ballot_open, town, manager, second, resident):
    a, b, _c, _west = ballot_open
    batches_url = reverse("budgets:paper_batches", args=[town.pk])
    client.force_login(resident)
    assert client.get(batches_url).status_code == 404
    client.force_login(manager)
    assert "Neuen Stapel anlegen" in client.get(batches_url).content.decode()
    bad = client.post(batches_url, {"collected_on": "gestern"})
    assert bad.status_code == 400 and "gültiges Datum" in bad.content.decode()
    made = client.post(batches_url, {"collected_on": timezone.localdate().isoformat()})
    batch = PaperBatch.objects.get()
    assert made.url == batch.get_absolute_url()
    over = client.post(made.url, {"lines": f"{a.pk}\n{a.pk}, {b.pk}, 77777"})
    assert over.status_code == 400 and "Zeile 2:" in over.content.decode()
    assert not Ballot.objects.exists()
    client.post(made.url, {"lines": f"{a.pk}\n{a.pk}, {b.pk}"})
    page = client.get(made.url).content.decode()
    assert "2 Stimmzettel erfasst" in page and "900 €" in page
    assert "selbst erfasst" in page  # the person who entered it cannot confirm it
    client.force_login(second)
    page = client.get(made.url).content.decode()
    assert "Stapel bestätigen" in page and "Stimmzettel speichern" not in page
    client.post(reverse("budgets:paper_batch_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.confirmed_by == second
    assert "bestätigt" in client.get(batches_url).content.decode()
