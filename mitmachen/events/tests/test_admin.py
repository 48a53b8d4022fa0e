"""Staff plan events in the admin; saving goes through ``services.event_save``."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.events.models import Event
from mitmachen.events.services import registration_register
from mitmachen.events.tests.factories import EventFactory
from mitmachen.notifications.models import Notification
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _form(organisation, project, district, **overrides):
    start = timezone.localtime() + timedelta(days=5)
    data = {
        "organisation": organisation.pk,
        "projects": [project.pk],
        "district": district.pk,
        "kind": "workshop",
        "title": "Workshop im Rathaus",
        "description": "",
        "starts_at_0": start.strftime("%d.%m.%Y"),
        "starts_at_1": "18:00:00",
        "ends_at_0": start.strftime("%d.%m.%Y"),
        "ends_at_1": "20:00:00",
        "status": "geplant",
        "status_note": "",
        "is_published": "on",
        "place_name": "Rathaus",
        "address": "",
        "lat": "",
        "lon": "",
        "online_url": "",
        "registration_enabled": "on",
        "capacity": "10",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_an_organiser_adds_an_event(client, organiser, region, project):
    client.force_login(organiser)
    url = reverse("admin:events_event_add")
    response = client.post(url, _form(region["organisation"], project, region["west"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    assert list(event.projects.all()) == [project]
    assert timezone.localtime(event.starts_at).hour == 18


def test_bad_input_in_the_admin_shows_german_messages(client, organiser, region, project):
    client.force_login(organiser)
    url = reverse("admin:events_event_add")
    data = _form(region["organisation"], project, region["west"], ends_at_1="17:00:00")
    response = client.post(url, data)
    assert "Das Ende muss nach dem Beginn liegen." in response.content.decode()
    foreign = _form(region["organisation"], ProjectFactory(), region["west"])
    response = client.post(url, foreign)
    assert response.status_code == 200
    assert not Event.objects.exists()


def test_staff_see_only_their_municipality(client, region, event):
    other = EventFactory(title="Anderswo")
    client.force_login(MembershipFactory(organisation=region["organisation"], role="admin").user)
    page = client.get(reverse("admin:events_event_changelist")).content.decode()
    assert event.title in page and "Anderswo" not in page
    assert client.get(reverse("admin:events_event_change", args=[other.pk])).status_code in (
        302,
        403,
        404,
    )


def test_cancelling_in_the_admin_tells_the_registered(client, organiser, region, project, event):
    people = [UserFactory() for _ in range(2)]
    for person in people:
        registration_register(user=person, event=event)
    client.force_login(organiser)
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    data = _form(
        region["organisation"],
        project,
        region["west"],
        title=event.title,
        starts_at_0=start.strftime("%d.%m.%Y"),
        starts_at_1=start.strftime("%H:%M:%S"),
        ends_at_0=end.strftime("%d.%m.%Y"),
        ends_at_1=end.strftime("%H:%M:%S"),
        capacity="3",
        status="abgesagt",
        status_note="Der Saal ist gesperrt.",
    )
    response = client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Notification.objects.filter(kind="event_changed").count() == 2
