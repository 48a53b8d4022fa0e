"""An idea handed in at an event (a workshop, a market stand) is linked to it when staff
enter it (``projects.contributions``): the event page counts it, a batch keeps the event
for the next idea, and another municipality's or a forged event is refused with nothing
stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mitmachen.budgets import services
from mitmachen.budgets.models import Idea
from mitmachen.core.channels import Channel
from mitmachen.events.models import EventContribution
from mitmachen.events.tests.factories import EventFactory
from mitmachen.organisations.tests.factories import OrganisationFactory

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
def foreign():
    return _past_event(OrganisationFactory(slug="anderswo"), "Treffen in Anderswo")


def _data(town, **extra):
    return {
        "channel": Channel.MARKET_STAND,
        "submitted_on": timezone.localdate().isoformat(),
        "offline_place": "Marktstand auf dem Wochenmarkt",
        "group": town.pk,
        "title": "Bänke am Teich",
        "description": "Drei Bänke mit Lehne.",
        "estimated_cost": "900",
    } | extra


def test_an_idea_entered_with_its_event_is_linked_and_counted(
    client, budget, town, manager, stand, resident
):
    url = reverse("budgets:idea_offline_create", args=[budget.pk])
    client.force_login(manager)
    form_page = client.get(url).content.decode()
    assert 'name="event"' in form_page and "Marktstand Bürgerhaushalt" in form_page
    response = client.post(url, _data(town, event=str(stand.pk), weiter="1"))
    assert response.status_code == 302 and f"veranstaltung={stand.pk}" in response.url
    # The next idea of the batch starts with the same event chosen.
    assert f'<option value="{stand.pk}" selected>' in client.get(response.url).content.decode()
    idea = Idea.objects.get()
    link = EventContribution.objects.get()
    assert (link.event, link.object_id, link.linked_by) == (stand, idea.pk, manager)
    client.force_login(resident)
    page = client.get(stand.get_absolute_url()).content.decode()
    assert "1 Idee für den Bürgerhaushalt" in page
    assert f'href="{idea.get_absolute_url()}"' in page


def test_a_foreign_or_forged_event_is_refused_and_nothing_stored(
    client, budget, town, manager, foreign
):
    client.force_login(manager)
    url = reverse("budgets:idea_offline_create", args=[budget.pk])
    for forged in (str(foreign.pk), "999999", "abc"):
        response = client.post(url, _data(town, event=forged))
        assert response.status_code == 400
        assert "Bitte wählen Sie eine Veranstaltung aus der Liste" in response.content.decode()
    assert not Idea.objects.exists() and not EventContribution.objects.exists()


def test_the_service_refuses_a_foreign_event_and_stores_nothing(budget, town, manager, foreign):
    origin = services.OfflineOrigin(
        channel=Channel.WORKSHOP,
        submitted_on=timezone.localdate(),
        place="Werkstatt",
        event_id=foreign.pk,
    )
    with pytest.raises(ValidationError, match="anderen Kommune"):
        services.idea_submit(
            author=None,
            budget=budget,
            group=town,
            title="T",
            description="X",
            estimated_cost=100,
            offline=origin,
            entered_by=manager,
        )
    assert not Idea.objects.exists() and not EventContribution.objects.exists()
