from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.events.models import Event, Kind, Registration, RegistrationStatus, Status
from mitmachen.events.services import (
    event_create,
    event_save,
    registration_cancel,
    registration_register,
)
from mitmachen.moderation.services import block
from mitmachen.notifications.models import Notification
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    start = timezone.now() + timedelta(days=3)
    fields = {
        "kind": Kind.WORKSHOP,
        "title": "Workshop Innenstadt",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "place_name": "Rathaus",
        "is_published": True,
    }
    fields.update(overrides)
    return fields


def test_organiser_creates_an_event_with_its_projects(organiser, region, project):
    event = event_create(
        user=organiser, organisation=region["organisation"], projects=[project], **_fields()
    )
    assert list(event.projects.all()) == [project]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": timezone.now() + timedelta(days=2)}, "ends_at", "nach dem Beginn"),
        (
            {
                "starts_at": timezone.now() - timedelta(days=1),
                "ends_at": timezone.now() + timedelta(hours=1),
            },
            "starts_at",
            "Vergangenheit",
        ),
        ({"kind": Kind.ONLINE, "place_name": ""}, "online_url", "Link"),
        ({"place_name": " "}, "place_name", "wo die Veranstaltung"),
        ({"lat": 52.1}, "lon", "Breiten- und Längengrad"),
        ({"status": Status.CANCELLED}, "status_note", "warum"),
        ({"capacity": 10}, "capacity", "nur mit Anmeldung"),
        ({"online_url_registered_only": True}, "online_url_registered_only", "Nur mit"),
    ],
)
def test_bad_input_is_refused_in_german_and_stores_nothing(
    organiser, region, overrides, field, message
):
    with pytest.raises(ValidationError) as error:
        event_create(user=organiser, organisation=region["organisation"], **_fields(**overrides))
    assert message in " ".join(error.value.message_dict[field])
    assert not Event.objects.exists()


def test_ortsteil_and_projects_of_another_municipality_are_refused(organiser, region):
    other = ProjectFactory()
    with pytest.raises(ValidationError) as error:
        event_create(
            user=organiser, organisation=region["organisation"], projects=[other], **_fields()
        )
    assert "anderen Kommune" in str(error.value)
    from mitmachen.organisations.tests.factories import DistrictFactory

    with pytest.raises(ValidationError):
        event_create(
            user=organiser,
            organisation=region["organisation"],
            **_fields(district=DistrictFactory()),
        )
    assert not Event.objects.exists()


def test_residents_and_other_municipalities_staff_create_no_events(resident, region):
    other_staff = MembershipFactory().user
    for user in (resident, other_staff):
        with pytest.raises(PermissionDenied):
            event_create(user=user, organisation=region["organisation"], **_fields())
    assert not Event.objects.exists()


def test_registration_fills_places_then_the_waitlist(event):
    people = [UserFactory() for _ in range(5)]
    statuses = [registration_register(user=p, event=event).status for p in people]
    assert statuses == [RegistrationStatus.CONFIRMED] * 3 + [RegistrationStatus.WAITLISTED] * 2


def test_registering_twice_keeps_one_registration(event, resident):
    first = registration_register(user=resident, event=event)
    again = registration_register(user=resident, event=event)
    assert first.pk == again.pk
    assert Registration.objects.filter(user=resident).count() == 1


def test_a_cancellation_promotes_the_longest_waiting_and_tells_them(event):
    people = [UserFactory() for _ in range(5)]
    for person in people:
        registration_register(user=person, event=event)
    promoted = registration_cancel(user=people[0], event=event)
    assert promoted.user == people[3]
    rows = dict(Registration.objects.values_list("user_id", "status"))
    assert rows == {
        people[1].pk: "angemeldet",
        people[2].pk: "angemeldet",
        people[3].pk: "angemeldet",
        people[4].pk: "warteliste",
    }
    assert Notification.objects.filter(recipient=people[3], kind="event_promoted").count() == 1
    # Someone on the waitlist who leaves frees no place: nobody moves up.
    assert registration_cancel(user=people[4], event=event) is None
    assert registration_cancel(user=people[4], event=event) is None  # nothing to cancel


def test_more_places_move_the_waitlist_up(event, organiser):
    people = [UserFactory() for _ in range(5)]
    for person in people:
        registration_register(user=person, event=event)
    event.capacity = 4
    event_save(user=organiser, event=event)
    assert Registration.objects.filter(status="angemeldet").count() == 4
    assert Registration.objects.get(user=people[4]).status == "warteliste"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"registration_enabled": False, "capacity": None}, "keine Anmeldung nötig"),
        ({"status": Status.CANCELLED, "status_note": "Krank"}, "abgesagt"),
        ({"starts_at": timezone.now() - timedelta(minutes=5)}, "schon begonnen"),
        ({"is_published": False}, "nicht veröffentlicht"),
    ],
)
def test_registration_is_refused_with_a_reason(event, resident, change, reason):
    Event.objects.filter(pk=event.pk).update(**change)
    with pytest.raises(PermissionDenied, match=reason):
        registration_register(user=resident, event=event)
    assert not Registration.objects.exists()


def test_blocked_people_cannot_register(event, resident, region):
    admin = MembershipFactory(organisation=region["organisation"], role="admin").user
    block(moderator=admin, user=resident, organisation=region["organisation"], reason="Spam")
    with pytest.raises(PermissionDenied, match="gesperrt"):
        registration_register(user=resident, event=event)


def test_cancelling_the_event_tells_everyone_registered(event, organiser):
    people = [UserFactory() for _ in range(4)]
    for person in people:
        registration_register(user=person, event=event)
    event.status = Status.CANCELLED
    event.status_note = "Der Saal ist gesperrt; neuer Termin folgt."
    event_save(user=organiser, event=event)
    assert Notification.objects.filter(kind="event_changed").count() == 4
    event_save(user=organiser, event=event)  # saved again unchanged: nobody is told twice
    assert Notification.objects.filter(kind="event_changed").count() == 4


def test_the_database_keeps_one_registration_per_person(event, resident):
    """The constraint behind ``registering_twice``: a second row for the same person and
    event is refused by the database itself, whatever code writes it."""
    from django.db import IntegrityError, transaction

    now = timezone.now()
    Registration.objects.create(event=event, user=resident, status="angemeldet", queued_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, user=resident, status="warteliste", queued_at=now)
