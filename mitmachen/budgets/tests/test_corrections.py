"""Correcting a confirmed stack of paper ballots: a second stack, two people again, the
log keeps both, and a computed result is computed again."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mitmachen.budgets import correction_services, services
from mitmachen.budgets.models import VOTE, Ballot, GroupResult, PaperBatch, ResultState
from mitmachen.budgets.tests.conftest import set_budget_phase
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(project):
    user = MembershipFactory(organisation=project.organisation, role=Role.PROJECT_MANAGER).user
    project.managers.add(user)
    return user


@pytest.fixture
def confirmed(ballot_open, town, manager, second):
    """A confirmed stack of three ballots: {a, b}, {c}, and {a} typed by mistake."""
    a, b, c, _west = ballot_open
    batch = services.paper_batch_create(
        user=manager, group=town, collected_on=timezone.localdate(), place="Urne im Rathaus"
    )
    services.paper_ballots_add(user=manager, batch=batch, lines=f"{a.pk},{b.pk}\n{c.pk}\n{a.pk}")
    return services.paper_batch_confirm(user=second, batch=batch)


def counted_sets(group):
    return sorted(sorted(s) for s in services.election_of(group).ballots)


def test_a_correction_replaces_the_stack_once_a_second_person_confirms_it(
    ballot_open, town, manager, second, confirmed
):
    a, b, c, _west = ballot_open
    assert counted_sets(town) == sorted([sorted([a.pk, b.pk]), [c.pk], [a.pk]])
    correction = correction_services.paper_batch_correct(
        user=second, batch=confirmed, reason="Zeile 3 war ein Stimmzettel für Ost."
    )
    assert (correction.corrects, correction.entered_by, correction.is_confirmed) == (
        confirmed,
        second,
        False,
    )
    copies = list(Ballot.objects.filter(batch=correction).order_by("pk"))
    assert len(copies) == 3  # starts as a copy of the stack
    # Until it is confirmed, the old stack counts and the copy does not.
    assert len(services.election_of(town).ballots) == 3
    services.paper_ballot_delete(user=second, ballot=copies[2])
    services.paper_ballots_add(user=second, batch=correction, lines=str(b.pk))
    with pytest.raises(PermissionDenied, match="selbst erfasst"):
        services.paper_batch_confirm(user=second, batch=correction)
    services.paper_batch_confirm(user=manager, batch=correction)
    confirmed.refresh_from_db()
    assert confirmed.is_superseded and confirmed.is_confirmed  # the log keeps both
    assert counted_sets(town) == sorted([sorted([a.pk, b.pk]), [c.pk], [b.pk]])
    assert services.paper_count(town) == 3
    assert services.paper_votes(town) == {str(a.pk): 1, str(b.pk): 2, str(c.pk): 1}


def test_correction_refusals_and_bad_input_change_nothing(
    ballot_open, town, manager, second, resident, confirmed
):
    with pytest.raises(ValidationError) as error:
        correction_services.paper_batch_correct(user=second, batch=confirmed, reason="   ")
    assert "begründen" in " ".join(error.value.message_dict["reason"])
    with pytest.raises(ValidationError, match="zu lang"):
        correction_services.paper_batch_correct(user=second, batch=confirmed, reason="x" * 1001)
    with pytest.raises(PermissionDenied, match="Nur die Verwaltung"):
        correction_services.paper_batch_correct(user=resident, batch=confirmed, reason="Fehler")
    assert not PaperBatch.objects.filter(corrects=confirmed).exists()
    open_batch = services.paper_batch_create(
        user=manager, group=town, collected_on=timezone.localdate()
    )
    with pytest.raises(PermissionDenied, match="bestätigter Stapel"):
        correction_services.paper_batch_correct(user=second, batch=open_batch, reason="Fehler")
    correction = correction_services.paper_batch_correct(
        user=second, batch=confirmed, reason="Fehler"
    )
    with pytest.raises(PermissionDenied, match="schon eine Korrektur angelegt"):
        correction_services.paper_batch_correct(user=manager, batch=confirmed, reason="Fehler")
    services.paper_batch_confirm(user=manager, batch=correction)
    with pytest.raises(PermissionDenied, match="schon durch eine Korrektur ersetzt"):
        correction_services.paper_batch_correct(user=manager, batch=confirmed, reason="Fehler")
    # The confirmed correction itself can be corrected in turn.
    again = correction_services.paper_batch_correct(
        user=manager, batch=correction, reason="Noch ein Fehler"
    )
    assert again.corrects == correction


def test_a_correction_after_the_result_computes_it_again(
    client,
    ballot_open,
    town,
    manager,
    second,
    confirmed,
    project,
    django_capture_on_commit_callbacks,
):
    _a, _b, _c, _west = ballot_open
    set_budget_phase(project, [VOTE], when="past")
    with django_capture_on_commit_callbacks(execute=True):
        services.group_result(group=town)
    before = GroupResult.objects.get(group=town)
    assert before.done and before.data["paper_ballots"] == 3
    assert before.data["corrections"] == []
    # New stacks are refused once the result exists; a correction is not.
    with pytest.raises(PermissionDenied, match="schon berechnet"):
        services.paper_batch_create(user=manager, group=town, collected_on=timezone.localdate())
    correction = correction_services.paper_batch_correct(
        user=second, batch=confirmed, reason="Zeile 3 doppelt erfasst."
    )
    last = Ballot.objects.filter(batch=correction).order_by("-pk").first()
    services.paper_ballot_delete(user=second, ballot=last)
    with django_capture_on_commit_callbacks(execute=True):
        services.paper_batch_confirm(user=manager, batch=correction)
    after = GroupResult.objects.get(group=town)
    assert after.state == ResultState.DONE and after.pk == before.pk
    assert after.data["paper_ballots"] == 2
    assert [c["reason"] for c in after.data["corrections"]] == ["Zeile 3 doppelt erfasst."]
    with django_capture_on_commit_callbacks(execute=True):  # the other group's result
        client.get(reverse("budgets:results", args=[town.budget_id]))
    page = client.get(reverse("budgets:results", args=[town.budget_id])).content.decode()
    assert "Grund: Zeile 3 doppelt erfasst." in page


def test_a_stale_run_does_not_overwrite_the_queued_result(
    ballot_open, town, manager, second, confirmed, project, monkeypatch
):
    """A correction confirmed while a computation runs queues the result again; the
    running computation's data (read before the correction) is not stored, even when
    the new computation has begun (shown to fail without the ``started_at`` guard)."""
    set_budget_phase(project, [VOTE], when="past")
    result = GroupResult.objects.create(group=town)
    correction = correction_services.paper_batch_correct(
        user=second, batch=confirmed, reason="Fehler"
    )
    compute = services.results.compute

    def compute_while_corrected(*args, **kwargs):
        data = compute(*args, **kwargs)
        services.paper_batch_confirm(user=manager, batch=correction)  # during the run
        # … and the new task has started already when the stale run finishes.
        GroupResult.objects.filter(pk=result.pk).update(state=ResultState.RUNNING)
        return data

    monkeypatch.setattr(services.results, "compute", compute_while_corrected)
    services.group_result_compute(result_id=result.pk)
    result.refresh_from_db()
    assert result.state == ResultState.RUNNING and result.data is None


def test_correction_pages(client, ballot_open, town, manager, second, resident, confirmed):
    url = reverse("budgets:paper_batch_correction", args=[confirmed.pk])
    client.force_login(resident)
    assert client.get(url).status_code == 404
    client.force_login(second)
    page = client.get(confirmed.get_absolute_url()).content.decode()
    assert "Stapel korrigieren" in page
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()
    response = client.post(url, {"reason": "Zeile 2 falsch."})
    correction = PaperBatch.objects.get(corrects=confirmed)
    assert response.status_code == 302 and response["Location"] == correction.get_absolute_url()
    page = client.get(correction.get_absolute_url()).content.decode()
    assert "Korrektur des" in page and "Zeile 2 falsch." in page
    client.force_login(manager)
    client.post(reverse("budgets:paper_batch_confirm", args=[correction.pk]))
    page = client.get(confirmed.get_absolute_url()).content.decode()
    assert "Durch eine Korrektur ersetzt" in page
    listing = client.get(reverse("budgets:paper_batches", args=[town.pk])).content.decode()
    assert "durch Korrektur ersetzt" in listing
