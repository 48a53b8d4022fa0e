"""The Mitmachmobil tour: stops are van-stop events of a tour – visibility, bad input
(German messages, nothing stored), the timetable's bounded queries, the iCal feed."""

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.events.models import Event, Kind, Status, Tour
from mitmachen.events.services import event_create, event_save, tour_save
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tour(region, organiser):
    return tour_save(
        user=organiser,
        tour=Tour(organisation=region["organisation"], title="Sommertour", is_published=True),
    )


def _stop(organiser, tour, region, starts_at, hours=2, **fields):
    values = {
        "district": region["west"],
        "kind": Kind.VAN_STOP,
        "title": "Mitmachmobil in West",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=hours),
        "place_name": fields.pop("place_name", "Dorfplatz West"),
        "lat": 52.005,
        "lon": 12.005,
        "is_published": True,
    }
    values.update(fields)
    return event_create(user=organiser, organisation=region["organisation"], tour=tour, **values)


def _soon(days=3, hour=10):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def test_the_timetable_lists_stops_draft_stops_only_for_staff(client, organiser, region, tour):
    _stop(organiser, tour, region, _soon(3), place_name="Dorfplatz West")
    _stop(organiser, tour, region, _soon(4), place_name="Geheimer Halt", is_published=False)
    cancelled = _stop(organiser, tour, region, _soon(5), place_name="Bushaltestelle")
    cancelled.status, cancelled.status_note = Status.CANCELLED, "Die Straße ist gesperrt."
    event_save(user=organiser, event=cancelled)
    page = client.get(tour.get_absolute_url()).content.decode()
    assert "Dorfplatz West" in page and "Geheimer Halt" not in page
    # A cancelled stop stays in the timetable with its note.
    assert "Bushaltestelle" in page and "abgesagt" in page and "Die Straße ist gesperrt." in page
    assert "2 Halte" in page and "tour-points" in page
    client.force_login(UserFactory())
    assert "Geheimer Halt" not in client.get(tour.get_absolute_url()).content.decode()
    client.force_login(organiser)
    page = client.get(tour.get_absolute_url()).content.decode()
    assert "Geheimer Halt" in page and "3 Halte" in page and "Halt hinzufügen" in page


def test_a_draft_tour_is_seen_only_by_its_municipalitys_staff(client, organiser, region, tour):
    tour.is_published = False
    tour_save(user=organiser, tour=tour)
    _stop(organiser, tour, region, _soon(3))
    other_staff = MembershipFactory(organisation=OrganisationFactory(), role=Role.ADMIN).user
    moderator = MembershipFactory(organisation=region["organisation"], role=Role.MODERATOR).user
    for person, status in ((None, 404), (UserFactory(), 404), (other_staff, 404)):
        client.logout()
        if person is not None:
            client.force_login(person)
        assert client.get(tour.get_absolute_url()).status_code == status
        assert client.get(reverse("events:feed_tour", args=[tour.pk])).status_code == status
    for person in (moderator, organiser):
        client.force_login(person)
        assert client.get(tour.get_absolute_url()).status_code == 200


def test_a_stops_event_page_links_its_tour_only_when_the_tour_is_visible(
    client, organiser, region, tour
):
    stop = _stop(organiser, tour, region, _soon(3))
    assert "Sommertour" in client.get(stop.get_absolute_url()).content.decode()
    tour.is_published = False
    tour_save(user=organiser, tour=tour)
    assert "Sommertour" not in client.get(stop.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ends_at": -1}, "ends_at", "Das Ende muss nach dem Beginn liegen."),
        (
            {"starts_at": 1},
            "starts_at",
            "Zu dieser Zeit hält das Mitmachmobil schon in Dorfplatz West",
        ),
        ({"kind": Kind.WORKSHOP}, "kind", "Zu einer Tour gehören nur Veranstaltungen der Art"),
        ({"district": None}, "district", "in welchem Ortsteil das Mitmachmobil hält"),
        ({"lat": None, "lon": None}, "lat", "Ein Halt der Tour braucht einen Kartenpunkt"),
    ],
)
def test_bad_stops_are_refused_in_german_and_nothing_is_stored(
    organiser, region, tour, change, field, message
):
    _stop(organiser, tour, region, _soon(3))
    values = {}
    for key, value in change.items():
        if key == "ends_at":
            values["ends_at"] = _soon(3, 13) + timedelta(hours=value)  # before the start
            values["starts_at"] = _soon(3, 13)
        elif key == "starts_at":
            values["starts_at"] = _soon(3, 11)  # 11:00–13:00 overlaps 10:00–12:00
        else:
            values[key] = value
    values.setdefault("starts_at", _soon(3, 14))
    values.setdefault("place_name", "Zweiter Halt")
    with pytest.raises(ValidationError) as error:
        _stop(organiser, tour, region, **values)
    assert message in " ".join(error.value.message_dict[field])
    assert Event.objects.count() == 1


def test_stops_may_touch_and_a_cancelled_stop_frees_its_time(organiser, region, tour):
    first = _stop(organiser, tour, region, _soon(3, 10))
    _stop(organiser, tour, region, _soon(3, 12), place_name="Direkt danach")  # 12:00, touching
    with pytest.raises(ValidationError):
        _stop(organiser, tour, region, _soon(3, 10), place_name="Gleichzeitig")
    first.status, first.status_note = Status.CANCELLED, "Fällt aus."
    event_save(user=organiser, event=first)
    _stop(organiser, tour, region, _soon(3, 10), place_name="Gleichzeitig")
    assert Event.objects.filter(tour=tour).count() == 3
    # Another tour may be anywhere at the same time.
    other = tour_save(
        user=organiser, tour=Tour(organisation=region["organisation"], title="Zweites Mobil")
    )
    _stop(organiser, other, region, _soon(3, 12))


def test_a_tour_of_another_municipality_is_refused(organiser, region):
    foreign = Tour.objects.create(organisation=OrganisationFactory(), title="Fremde Tour")
    with pytest.raises(ValidationError) as error:
        _stop(organiser, foreign, region, _soon(3))
    assert "Diese Tour gehört zu einer anderen Kommune." in error.value.message_dict["tour"]
    assert not Event.objects.exists()


def test_the_admin_shows_the_overlap_at_the_field_and_stores_nothing(
    client, organiser, region, tour
):
    _stop(organiser, tour, region, _soon(3, 10))
    client.force_login(organiser)
    start = _soon(3, 11)
    data = {
        "organisation": region["organisation"].pk,
        "district": region["west"].pk,
        "kind": "mitmachmobil",
        "tour": tour.pk,
        "title": "Zweiter Halt",
        "description": "",
        "starts_at_0": start.strftime("%d.%m.%Y"),
        "starts_at_1": "11:00:00",
        "ends_at_0": start.strftime("%d.%m.%Y"),
        "ends_at_1": "13:00:00",
        "status": "geplant",
        "status_note": "",
        "is_published": "on",
        "place_name": "Kirche",
        "address": "",
        "lat": "52.005",
        "lon": "12.005",
        "online_url": "",
        "capacity": "",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:events_event_add"), data)
    assert response.status_code == 200
    assert (
        "Zu dieser Zeit hält das Mitmachmobil schon in Dorfplatz West" in response.content.decode()
    )
    assert Event.objects.count() == 1
    data["starts_at_1"], data["ends_at_1"] = "12:00:00", "14:00:00"
    assert client.post(reverse("admin:events_event_add"), data).status_code == 302
    assert Event.objects.filter(tour=tour).count() == 2


def test_the_tour_choice_in_the_admin_holds_only_the_own_municipalitys_tours(
    client, organiser, tour
):
    Tour.objects.create(organisation=OrganisationFactory(), title="Fremde Tour")
    client.force_login(organiser)
    page = client.get(reverse("admin:events_event_add")).content.decode()
    assert "Sommertour" in page and "Fremde Tour" not in page


def _many_stops(region, tour, n):
    start = _soon(1, 8)
    Event.objects.bulk_create(
        Event(
            organisation=region["organisation"],
            district=region["west"] if i % 2 else region["east"],
            tour=tour,
            kind=Kind.VAN_STOP,
            title=f"Halt {i}",
            starts_at=start + timedelta(hours=3 * i),
            ends_at=start + timedelta(hours=3 * i + 2),
            place_name=f"Platz {i}",
            lat=52.005,
            lon=12.005,
            is_published=True,
        )
        for i in range(n)
    )


def test_the_tour_page_runs_the_same_queries_for_8_and_80_stops(client, organiser, region):
    counts = {}
    for n in (8, 80):
        tour = Tour.objects.create(
            organisation=region["organisation"], title=f"Tour {n}", is_published=True
        )
        _many_stops(region, tour, n)
        for who in ("anonymous", "staff"):
            client.logout()
            if who == "staff":
                client.force_login(organiser)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(tour.get_absolute_url())
            assert response.status_code == 200
            assert f"{n} Halte" in response.content.decode()
            counts[(who, n)] = len(queries)
    assert counts[("anonymous", 8)] == counts[("anonymous", 80)], counts
    assert counts[("staff", 8)] == counts[("staff", 80)], counts
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("events:feed_tour", args=[tour.pk])).status_code == 200
    assert len(queries) <= 4


def test_the_tour_feed_parses_back_with_local_times_across_the_dst_change(
    client, organiser, region, tour, settings
):
    # Stops on the Saturday before and the Monday after the last Sunday of March 2030,
    # both at 10:00 local time: 09:00 UTC in winter, 08:00 UTC in summer.
    rows = [
        Event(
            organisation=region["organisation"],
            district=region["west"],
            tour=tour,
            kind=Kind.VAN_STOP,
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place_name=title,
            lat=52.005,
            lon=12.005,
            is_published=published,
            status=status,
            status_note="Fällt aus." if status == Status.CANCELLED else "",
        )
        for title, starts, published, status in (
            ("Vor der Umstellung", datetime(2030, 3, 30, 9, tzinfo=UTC), True, Status.PLANNED),
            ("Nach der Umstellung", datetime(2030, 4, 1, 8, tzinfo=UTC), True, Status.PLANNED),
            ("Abgesagt", datetime(2030, 4, 2, 8, tzinfo=UTC), True, Status.CANCELLED),
            ("Entwurf", datetime(2030, 4, 3, 8, tzinfo=UTC), False, Status.PLANNED),
        )
    ]
    Event.objects.bulk_create(rows)
    response = client.get(reverse("events:feed_tour", args=[tour.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Mitmachmobil: Sommertour"
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Vor der Umstellung", "Nach der Umstellung", "Abgesagt"}
    for title in ("Vor der Umstellung", "Nach der Umstellung"):
        start = events[title].decoded("DTSTART")
        assert (start.hour, start.minute) == (10, 0), title
        assert str(start.tzinfo) == "Europe/Berlin"
    assert events["Vor der Umstellung"].decoded("DTSTART").utcoffset() == timedelta(hours=1)
    assert events["Nach der Umstellung"].decoded("DTSTART").utcoffset() == timedelta(hours=2)
    assert str(events["Abgesagt"]["STATUS"]) == "CANCELLED"
    assert calendar.walk("VTIMEZONE")
