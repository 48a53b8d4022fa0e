"""A stack of paper ballots collected at an event (the ballot box at a market stand, the
Mitmachmobil) is linked to it when staff create the stack (``projects.contributions``):
the event page counts its ballots once they count – confirmed by a second person, not
replaced by a correction – and the municipality's staff see the others marked; a foreign
or forged event is refused with nothing stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mitmachen.budgets import correction_services, services
from mitmachen.budgets.collected import PAPER_COLLECTED
from mitmachen.budgets.models import PaperBatch
from mitmachen.events.collected import collected_at
from mitmachen.events.models import EventContribution
from mitmachen.events.tests.factories import EventFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _past_event(organisation, title, **fields):
    start = timezone.now() - timedelta(days=2)
    return EventFactory(
        organisation=organisation,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        title=title,
        **fields,
    )


@pytest.fixture
def stand(project):
    return _past_event(project.organisation, "Marktstand Bürgerhaushalt", projects=[project])


@pytest.fixture
def second(project):
    user = MembershipFactory(organisation=project.organisation, role=Role.PROJECT_MANAGER).user
    project.managers.add(user)
    return user


def _form(**extra):
    return {"collected_on": timezone.localdate().isoformat(), "place": "Urne am Stand"} | extra


def test_a_batch_created_with_its_event_is_linked_and_counted_once_confirmed(
    client, ballot_open, town, manager, second, resident, stand
):
    a, b, c, _west = ballot_open
    url = reverse("budgets:paper_batches", args=[town.pk])
    client.force_login(manager)
    form_page = client.get(url).content.decode()
    assert 'name="event"' in form_page and "Marktstand Bürgerhaushalt" in form_page
    response = client.post(url, _form(event=str(stand.pk)))
    batch = PaperBatch.objects.get()
    assert response.status_code == 302 and response.url == batch.get_absolute_url()
    link = EventContribution.objects.get()
    assert (link.event, link.object_id, link.linked_by) == (stand, batch.pk, manager)
    services.paper_ballots_add(user=manager, batch=batch, lines=f"{a.pk}\n{b.pk}, {c.pk}\n-")

    # Not confirmed yet: it does not count, so residents see nothing of it; staff see it
    # marked.
    client.force_login(resident)
    assert "Papierstimmzettel" not in client.get(stand.get_absolute_url()).content.decode()
    client.force_login(second)
    staff_page = client.get(stand.get_absolute_url()).content.decode()
    assert "3 Papierstimmzettel für den Bürgerhaushalt" in staff_page
    assert "noch nicht bestätigt" in staff_page

    services.paper_batch_confirm(user=second, batch=batch)
    client.force_login(resident)
    page = client.get(stand.get_absolute_url()).content.decode()
    assert "3 Papierstimmzettel für den Bürgerhaushalt" in page
    assert f'href="{town.budget.get_absolute_url()}"' in page
    assert "gesammelt am" in page and "– Urne am Stand" in page
    assert "noch nicht bestätigt" not in page
    [group] = collected_at(AnonymousUser(), stand)
    assert group.kind is PAPER_COLLECTED and group.total == 3


def test_a_foreign_or_forged_event_is_refused_and_nothing_stored(
    client, ballot_open, town, manager
):
    foreign = _past_event(OrganisationFactory(slug="anderswo"), "Treffen in Anderswo")
    url = reverse("budgets:paper_batches", args=[town.pk])
    client.force_login(manager)
    for forged in (str(foreign.pk), "999999", "abc"):
        response = client.post(url, _form(event=forged))
        assert response.status_code == 400
        assert "Bitte wählen Sie eine Veranstaltung aus der Liste" in response.content.decode()
    with pytest.raises(ValidationError, match="anderen Kommune"):
        services.paper_batch_create(
            user=manager, group=town, collected_on=timezone.localdate(), event=foreign.pk
        )
    assert not PaperBatch.objects.exists() and not EventContribution.objects.exists()


def test_a_batch_collected_before_the_event_is_refused(ballot_open, town, manager, stand):
    with pytest.raises(ValidationError, match="vor dem Tag der Veranstaltung"):
        services.paper_batch_create(
            user=manager,
            group=town,
            collected_on=timezone.localdate() - timedelta(days=5),
            event=stand.pk,
        )
    assert not PaperBatch.objects.exists() and not EventContribution.objects.exists()


def test_a_replaced_batch_no_longer_counts_on_the_event_page(
    ballot_open, town, manager, second, stand
):
    a = ballot_open[0]
    batch = services.paper_batch_create(
        user=manager, group=town, collected_on=timezone.localdate(), event=stand.pk
    )
    services.paper_ballots_add(user=manager, batch=batch, lines=f"{a.pk}\n{a.pk}")
    services.paper_batch_confirm(user=second, batch=batch)
    assert collected_at(AnonymousUser(), stand)[0].total == 2
    correction = correction_services.paper_batch_correct(
        user=manager, batch=batch, reason="Zeile 2 doppelt erfasst"
    )
    services.paper_ballot_delete(user=manager, ballot=correction.ballots.order_by("pk").last())
    services.paper_batch_confirm(user=second, batch=correction)
    assert collected_at(AnonymousUser(), stand) == []
    # Deleting a stack leaves no link behind.
    correction.delete()
    batch.delete()
    assert not EventContribution.objects.exists()
