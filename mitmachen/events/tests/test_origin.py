"""What was said at a meeting becomes a measure (``events.origin``, issue 12 §3): events are
an origin kind of the measures module. Only an event that took place can become one; the
measure takes what its documentation says came out of it; the people registered are told;
the event page says what became of it. Events import no measures code (``make lint``);
the tests may."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.events.models import Documentation, Registration, RegistrationStatus, Status
from mitmachen.events.origin import ORIGIN, took_place
from mitmachen.events.tests.factories import EventFactory
from mitmachen.measures import services as measures_services
from mitmachen.measures.models import Measure, MeasureOrigin
from mitmachen.measures.tests.factories import GoalFactory
from mitmachen.notifications.models import Notification
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects import origins

pytestmark = pytest.mark.django_db


def _past(organisation, **fields):
    start = timezone.now() - timedelta(days=3)
    return EventFactory(
        organisation=organisation, starts_at=start, ends_at=start + timedelta(hours=2), **fields
    )


@pytest.fixture
def staff(region):
    return MembershipFactory(organisation=region["organisation"], role=Role.ADMIN).user


@pytest.fixture
def meeting(region):
    """A Werkstatttreffen three days ago, documented; two people came registered, one
    stayed on the waitlist."""
    event = _past(region["organisation"], title="Werkstatttreffen Hitze", description="Ablauf.")
    Documentation.objects.create(event=event, summary="Mehr Schatten am Marktplatz.")
    for status in (RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED):
        Registration.objects.create(
            event=event, user=UserFactory(), status=status, queued_at=timezone.now()
        )
    Registration.objects.create(
        event=event,
        user=UserFactory(),
        status=RegistrationStatus.WAITLISTED,
        queued_at=timezone.now(),
    )
    return event


@pytest.fixture
def goal(region):
    return GoalFactory(field__organisation=region["organisation"], title="Hitzeschutz")


def test_events_declare_themselves_as_an_origin():
    kind = origins.kind("veranstaltung")
    assert kind is ORIGIN
    assert kind.model == "events.Event" and kind.footer == "event.footer"


def test_only_an_event_that_took_place_is_ready(region, meeting):
    assert took_place(meeting)
    assert not took_place(EventFactory(organisation=region["organisation"]))  # next week
    assert not took_place(_past(region["organisation"], status=Status.CANCELLED))


def test_a_meeting_becomes_a_measure_and_the_registered_are_told(
    meeting, staff, goal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        measure = measures_services.measure_from_origin(user=staff, origin=meeting, goal=goal)
    assert measure.title == "Werkstatttreffen Hitze"
    assert measure.description == "Mehr Schatten am Marktplatz."  # what came out of it
    assert measure.project_id is None
    assert MeasureOrigin.objects.get().object_id == meeting.pk
    told = set(
        Notification.objects.filter(kind="measure_from_origin").values_list(
            "recipient_id", flat=True
        )
    )
    confirmed = set(
        meeting.registrations.filter(status=RegistrationStatus.CONFIRMED).values_list(
            "user_id", flat=True
        )
    )
    assert told == confirmed and len(told) == 2  # not the person on the waitlist


def test_an_event_still_to_come_cannot_become_a_measure(region, staff, goal):
    coming = EventFactory(organisation=region["organisation"])
    with pytest.raises(PermissionDenied):
        measures_services.measure_from_origin(user=staff, origin=coming, goal=goal)
    assert not Measure.objects.exists()


def test_staff_of_another_municipality_cannot(meeting, goal):
    stranger = MembershipFactory(organisation=OrganisationFactory(), role=Role.ADMIN).user
    with pytest.raises(PermissionDenied):
        measures_services.measure_from_origin(user=stranger, origin=meeting, goal=goal)
    assert not Measure.objects.exists()


def test_the_event_page_offers_staff_the_conversion_then_shows_the_measure(
    client, meeting, staff, goal
):
    client.force_login(staff)
    assert "Maßnahme daraus machen" in client.get(meeting.get_absolute_url()).content.decode()
    url = reverse("measures:from_origin", args=["veranstaltung", meeting.pk])
    response = client.post(url, {"goal": goal.pk, "title": "Schattensegel", "published": "on"})
    measure = Measure.objects.get()
    assert response.status_code == 302 and response.url == measure.get_absolute_url()
    client.logout()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Was daraus wurde" in page and f'href="{measure.get_absolute_url()}"' in page
    assert "Maßnahme daraus machen" not in page  # residents get no button


def test_residents_get_no_button_and_a_coming_event_none_for_staff(client, region, staff):
    coming = EventFactory(organisation=region["organisation"])
    client.force_login(staff)
    assert "Maßnahme daraus machen" not in client.get(coming.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    past = _past(region["organisation"])
    assert "Was daraus wurde" not in client.get(past.get_absolute_url()).content.decode()


def test_a_draft_event_is_visible_as_an_origin_only_to_its_staff(region, staff):
    from django.contrib.auth.models import AnonymousUser

    draft = _past(region["organisation"], is_published=False)
    shown = _past(region["organisation"])
    stranger = MembershipFactory(organisation=OrganisationFactory(), role=Role.ADMIN).user
    for person, expected in (
        (AnonymousUser(), {shown.pk}),
        (stranger, {shown.pk}),
        (staff, {shown.pk, draft.pk}),
    ):
        assert set(ORIGIN.visible(person, ORIGIN.rows()).values_list("pk", flat=True)) == expected
