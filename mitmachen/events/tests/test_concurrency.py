"""Registration under real concurrency (PostgreSQL, a live server: each request in its
own thread, connection and transaction).

Each test fails without what it guards (checked by removing it): without the event row
lock (``services._locked``) 100 parallel registrations for 20 places ended with 21
confirmed, 10 parallel cancellations left 13 confirmed instead of 20, and 100 guests
confirming at once for 20 places ended with 23 confirmed. One person
registering 20 times at once is kept to one registration by the lock and, should any
other code write registrations, by the unique constraint on (event, user)
(``test_services.test_the_database_keeps_one_registration_per_person`` fails without it).
Overlapping reminder runs send each reminder once (the conditional UPDATE of
``reminded_at``). Ten parallel first saves of an event's documentation make one and tell
each registered person once; without the event row lock in
``services.documentation_save`` most of them ended in a server error (the one-to-one
constraint).
"""

from __future__ import annotations

import pytest

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.tests.live import in_parallel, post, session_cookie
from mitmachen.events.models import Registration
from mitmachen.events.services import registration_register
from mitmachen.events.tests.factories import EventFactory
from mitmachen.organisations.tests.factories import OrganisationFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]


@pytest.fixture
def twenty_places(db):
    return EventFactory(organisation=OrganisationFactory(), registration_enabled=True, capacity=20)


def _counts(event):
    rows = Registration.objects.filter(event=event)
    return rows.filter(status="angemeldet").count(), rows.filter(status="warteliste").count()


def test_100_people_for_20_places_end_20_registered_80_waiting(live_server, twenty_places):
    sessions = [session_cookie(UserFactory()) for _ in range(100)]
    url = f"{live_server.url}/veranstaltungen/{twenty_places.pk}/anmelden/"
    statuses = in_parallel([lambda s=s: post(url, s, {}) for s in sessions])
    assert set(statuses) == {302}, statuses
    assert _counts(twenty_places) == (20, 80)


def test_one_person_registering_20_times_at_once_is_registered_once(live_server, twenty_places):
    session = session_cookie(UserFactory())
    url = f"{live_server.url}/veranstaltungen/{twenty_places.pk}/anmelden/"
    statuses = in_parallel([lambda: post(url, session, {}) for _ in range(20)])
    assert set(statuses) == {302}, statuses
    assert _counts(twenty_places) == (1, 0)


def test_parallel_cancellations_promote_exactly_one_each(live_server, twenty_places):
    people = [UserFactory() for _ in range(40)]
    for person in people:
        registration_register(user=person, event=twenty_places)
    assert _counts(twenty_places) == (20, 20)
    url = f"{live_server.url}/veranstaltungen/{twenty_places.pk}/abmelden/"
    leaving = [session_cookie(p) for p in people[:10]]
    statuses = in_parallel([lambda s=s: post(url, s, {}) for s in leaving])
    assert set(statuses) == {302}, statuses
    # Ten left, ten moved up (the first ten who waited), ten still wait.
    assert _counts(twenty_places) == (20, 10)
    promoted = set(
        Registration.objects.filter(event=twenty_places, user__in=people[20:30]).values_list(
            "status", flat=True
        )
    )
    assert promoted == {"angemeldet"}


def test_100_guests_confirming_at_once_for_20_places(live_server, twenty_places):
    from mitmachen.events.services import guest_register

    tokens = [
        guest_register(
            event=twenty_places,
            name=f"Gast {n}",
            email=f"gast{n}@example.org",
            site_url=live_server.url,
        ).token
        for n in range(100)
    ]
    calls = [
        lambda t=t: post(f"{live_server.url}/veranstaltungen/anmeldung/{t}/bestaetigen/", "", {})
        for t in tokens
    ]
    statuses = in_parallel(calls)
    assert set(statuses) == {302}, statuses
    assert _counts(twenty_places) == (20, 80)


def test_overlapping_reminder_runs_remind_each_person_once(db):
    """Eight runs of ``send_event_reminders`` at once (threads, each with its own
    connection): 30 people get 30 reminders. Without the condition on ``reminded_at``
    in the claiming UPDATE the eight runs sent 240 (checked by removing it)."""
    from datetime import datetime, time, timedelta

    from django.db import connection
    from django.utils import timezone

    from mitmachen.core.tests.live import in_parallel
    from mitmachen.events.services import reminders_send
    from mitmachen.notifications.models import Notification

    tomorrow = timezone.localdate() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time(18)))
    event = EventFactory(
        organisation=OrganisationFactory(),
        registration_enabled=True,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    for _ in range(30):
        registration_register(user=UserFactory(), event=event)

    def run() -> int:
        try:
            return reminders_send()
        finally:
            connection.close()

    sent = in_parallel([run for _ in range(8)])
    assert sum(sent) == 30, sent
    assert Notification.objects.filter(kind="event_reminder").count() == 30


def test_ten_parallel_first_saves_of_the_documentation_make_one_and_tell_once(
    live_server, settings, tmp_path
):
    """Two staff (here: one, ten times) publishing "Was dabei herauskam" at once: one
    documentation, every registered person told once, and no error page for the others
    (the event row lock; without it the later requests hit the one-to-one constraint)."""
    from datetime import timedelta

    from django.utils import timezone

    from mitmachen.events.models import Documentation
    from mitmachen.events.services import EVENT_DOCUMENTED
    from mitmachen.notifications.models import Notification
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import MembershipFactory

    settings.MEDIA_ROOT = tmp_path
    organiser = MembershipFactory(role=Role.PROJECT_MANAGER).user
    start = timezone.now() - timedelta(days=2)
    event = EventFactory(
        organisation=organiser.memberships.get().organisation,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        registration_enabled=True,
    )
    people = [UserFactory() for _ in range(5)]
    Registration.objects.bulk_create(
        Registration(event=event, user=p, status="angemeldet", queued_at=start) for p in people
    )
    session = session_cookie(organiser)
    url = f"{live_server.url}/veranstaltungen/{event.pk}/dokumentation/"
    statuses = in_parallel(
        [lambda i=i: post(url, session, {"summary": f"Fassung {i}"}) for i in range(10)]
    )
    assert set(statuses) == {302}, statuses
    assert Documentation.objects.filter(event=event).count() == 1
    told = Notification.objects.filter(kind=EVENT_DOCUMENTED)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(p.pk for p in people)


def test_parallel_overlapping_stops_of_a_tour_end_with_one(db):
    """Ten staff add a stop at the same time to one tour: one is stored, nine are refused
    with the overlap message. Without the tour row lock in ``services._check_tour_stop``
    9 of the 10 were stored (each checked before the others had written)."""
    import threading
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.db import connection
    from django.utils import timezone

    from mitmachen.events.models import Event, Kind, Tour
    from mitmachen.events.services import event_create
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import DistrictFactory, MembershipFactory

    organiser = MembershipFactory(role=Role.PROJECT_MANAGER).user
    organisation = organiser.memberships.get().organisation
    district = DistrictFactory(organisation=organisation)
    tour = Tour.objects.create(organisation=organisation, title="Tour", is_published=True)
    starts = timezone.now() + timedelta(days=3)
    barrier = threading.Barrier(10)
    results: list[str] = []

    def add(i: int) -> None:
        try:
            barrier.wait()
            event_create(
                user=organiser,
                organisation=organisation,
                district=district,
                tour=tour,
                kind=Kind.VAN_STOP,
                title=f"Halt {i}",
                starts_at=starts + timedelta(minutes=i),
                ends_at=starts + timedelta(hours=2),
                place_name=f"Platz {i}",
                lat=52.0,
                lon=12.0,
                is_published=True,
            )
            results.append("stored")
        except ValidationError as error:
            results.append(" ".join(error.message_dict["starts_at"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("stored") == 1, results
    assert Event.objects.filter(tour=tour).count() == 1
    assert all("dürfen sich nicht überschneiden" in r for r in results if r != "stored")
