"""Series of dates from a recurrence rule (python-dateutil's rrule)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mitmachen.events.models import Event, Frequency, Series, Status
from mitmachen.events.services import event_save, registration_register, series_create
from mitmachen.events.tests.factories import EventFactory
from mitmachen.notifications.models import Notification

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def _first(region, project, day=(2030, 3, 12)):
    """A Werkstatttreffen on the 2nd Tuesday of March 2030, 18:00–20:00 in Berlin."""
    start = datetime(*day, 18, tzinfo=BERLIN)
    return EventFactory(
        organisation=region["organisation"],
        projects=[project],
        title="Werkstatttreffen",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        registration_enabled=True,
        capacity=12,
        step_free=True,
    )


def test_monthly_second_tuesday_keeps_its_local_time_across_both_dst_changes(
    organiser, region, project
):
    first = _first(region, project)
    series = series_create(
        user=organiser,
        first=first,
        frequency=Frequency.MONTHLY,
        week_of_month=2,
        until=date(2030, 12, 31),
    )
    assert first.series == series  # the caller's object knows it (a later save keeps it)
    dates = list(Event.objects.filter(series=series).order_by("starts_at"))
    local = [d.starts_at.astimezone(BERLIN) for d in dates]
    # 2nd Tuesdays of 2030: through the last Sunday of March (31st) and of October (27th).
    assert [d.date() for d in local] == [
        date(2030, m, d)
        for m, d in (
            *[(3, 12), (4, 9), (5, 14), (6, 11), (7, 9), (8, 13)],
            *[(9, 10), (10, 8), (11, 12), (12, 10)],
        )
    ]
    assert {(d.hour, d.minute) for d in local} == {(18, 0)}
    assert {e.ends_at.astimezone(BERLIN).hour for e in dates} == {20}
    # In UTC the hour moves: 17:00 in winter, 16:00 in summer.
    assert [d.starts_at.astimezone(ZoneInfo("UTC")).hour for d in dates] == [17] + [16] * 7 + [
        17,
        17,
    ]
    copy = dates[1]
    assert (copy.title, copy.capacity, copy.step_free, copy.status) == (
        "Werkstatttreffen",
        12,
        True,
        Status.PLANNED,
    )
    assert list(copy.projects.all()) == [project]
    assert series.describe(1) == "jeden 2. Dienstag im Monat"


def test_the_feed_parses_back_with_one_vevent_per_date_at_local_time(
    client, organiser, region, project
):
    first = _first(region, project, day=(2030, 3, 19))
    series_create(user=organiser, first=first, frequency=Frequency.WEEKLY, until=date(2030, 4, 9))
    series_create(
        user=organiser,
        first=_first(region, project, day=(2030, 10, 22)),
        frequency=Frequency.WEEKLY,
        until=date(2030, 11, 5),
    )
    calendar = icalendar.Calendar.from_ical(client.get(reverse("events:feed")).content)
    starts = sorted(e.decoded("dtstart") for e in calendar.walk("VEVENT"))
    assert [s.date() for s in starts] == [
        date(2030, 3, 19),
        date(2030, 3, 26),
        date(2030, 4, 2),
        date(2030, 4, 9),
        date(2030, 10, 22),
        date(2030, 10, 29),
        date(2030, 11, 5),
    ]
    assert {(s.hour, str(s.tzinfo)) for s in starts} == {(18, "Europe/Berlin")}
    assert [s.utcoffset().seconds // 3600 for s in starts] == [1, 1, 2, 2, 2, 1, 1]
    assert len({str(e["uid"]) for e in calendar.walk("VEVENT")}) == 7


def test_a_rule_with_too_many_dates_is_refused_and_creates_nothing(organiser, region, project):
    first = _first(region, project)
    with pytest.raises(ValidationError) as error:
        series_create(
            user=organiser, first=first, frequency=Frequency.WEEKLY, until=date(2099, 12, 31)
        )
    assert "höchstens 100 Termine" in str(error.value)
    assert Series.objects.count() == 0
    assert Event.objects.count() == 1
    # 99 further weekly dates plus the first are exactly 100: allowed.
    series_create(
        user=organiser,
        first=first,
        frequency=Frequency.WEEKLY,
        until=(first.starts_at + timedelta(weeks=99)).date(),
    )
    assert Event.objects.count() == 100


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"frequency": Frequency.MONTHLY, "until": date(2030, 12, 1)}, "wievielte Wochentag"),
        ({"frequency": Frequency.WEEKLY, "until": date(2030, 3, 12)}, "nach dem ersten"),
        ({"frequency": Frequency.WEEKLY, "until": date(2030, 3, 18)}, "keinen weiteren Termin"),
        (
            {"frequency": Frequency.WEEKLY, "until": date(2030, 5, 1), "interval": 13},
            "kleiner oder gleich 12",
        ),
    ],
)
def test_bad_rules_are_refused_in_german(organiser, region, project, kwargs, message):
    with pytest.raises(ValidationError) as error:
        series_create(user=organiser, first=_first(region, project), **kwargs)
    assert message in str(error.value)
    assert Event.objects.count() == 1


def test_past_first_dates_and_residents_are_refused(organiser, resident, region, project):
    first = _first(region, project)
    with pytest.raises(PermissionDenied):
        series_create(
            user=resident, first=first, frequency=Frequency.WEEKLY, until=date(2030, 5, 1)
        )
    past = EventFactory(organisation=region["organisation"])
    Event.objects.filter(pk=past.pk).update(
        starts_at=datetime(2020, 1, 7, 18, tzinfo=BERLIN),
        ends_at=datetime(2020, 1, 7, 20, tzinfo=BERLIN),
    )
    past.refresh_from_db()
    with pytest.raises(ValidationError, match="vergangenen Termin"):
        series_create(
            user=organiser, first=past, frequency=Frequency.WEEKLY, until=date(2020, 3, 1)
        )


def test_one_date_moved_or_cancelled_tells_its_people_and_leaves_the_others(
    organiser, resident, region, project
):
    series = series_create(
        user=organiser,
        first=_first(region, project),
        frequency=Frequency.MONTHLY,
        week_of_month=2,
        until=date(2030, 6, 30),
    )
    april, may, june = Event.objects.filter(series=series).order_by("starts_at")[1:]
    registration_register(user=resident, event=april)
    april.starts_at += timedelta(days=7)
    april.ends_at += timedelta(days=7)
    april.status, april.status_note = Status.POSTPONED, "Der Saal ist belegt."
    event_save(user=organiser, event=april)
    (note,) = Notification.objects.filter(recipient=resident)
    assert note.title == "Verschoben: Werkstatttreffen"
    assert "Neuer Termin: 16.04.2030, 18:00 Uhr." in note.text
    may.status, may.status_note = Status.CANCELLED, "Krankheit."
    event_save(user=organiser, event=may)
    assert Notification.objects.filter(recipient=resident).count() == 1  # not registered there
    june.refresh_from_db()
    assert june.status == Status.PLANNED
    assert june.starts_at == datetime(2030, 6, 11, 18, tzinfo=BERLIN)


def test_the_event_page_names_the_rule_and_the_further_dates(client, organiser, region, project):
    first = _first(region, project)
    series_create(
        user=organiser,
        first=first,
        frequency=Frequency.MONTHLY,
        week_of_month=2,
        until=date(2030, 5, 31),
    )
    april = Event.objects.get(starts_at__date=date(2030, 4, 9))
    april.status, april.status_note = Status.CANCELLED, "Fällt aus."
    event_save(user=organiser, event=april)
    page = client.get(first.get_absolute_url()).content.decode()
    assert "findet jeden 2. Dienstag im Monat statt" in page
    assert "Dienstag, 9. April 2030, 18:00" in page
    assert "abgesagt" in page
    assert "Dienstag, 14. Mai 2030" in page


def test_staff_define_a_series_in_the_admin(client, organiser, region, project):
    first = _first(region, project)
    client.force_login(organiser)
    url = reverse("admin:events_series_add")
    data = {"first": first.pk, "frequency": "woechentlich", "interval": "1"}
    response = client.post(url, {**data, "until": "31.12.2099"})
    assert response.status_code == 200
    assert "höchstens 100 Termine" in response.content.decode()
    response = client.post(url, {**data, "until": "02.04.2030"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Event.objects.filter(series__isnull=False).count() == 4
    assert not mail.outbox
