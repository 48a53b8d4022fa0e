"""The iCal feeds, parsed back with the ``icalendar`` library."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from mitmachen.events.models import Status
from mitmachen.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def _parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def _events(calendar):
    return [c for c in calendar.walk("VEVENT")]


def test_times_keep_their_local_hour_across_the_dst_change(client, region):
    """18:00 in Berlin before and after the last Sunday of March and of October 2030."""
    days = [(2030, 3, 26), (2030, 4, 2), (2030, 10, 22), (2030, 10, 29)]
    for y, m, d in days:
        start = datetime(y, m, d, 18, tzinfo=BERLIN)
        EventFactory(
            organisation=region["organisation"], starts_at=start, ends_at=start + timedelta(hours=2)
        )
    # The feeds keep the last 90 days and everything after; these lie in the future.
    calendar = _parse(client.get(reverse("events:feed")))
    starts = sorted(e.decoded("dtstart") for e in _events(calendar))
    assert [(s.hour, s.utcoffset()) for s in starts] == [
        (18, timedelta(hours=1)),
        (18, timedelta(hours=2)),
        (18, timedelta(hours=2)),
        (18, timedelta(hours=1)),
    ]
    assert all(str(s.tzinfo) == "Europe/Berlin" for s in starts)
    assert "TZID=Europe/Berlin" in client.get(reverse("events:feed")).content.decode()
    # The calendar carries the VTIMEZONE with both transitions of 2030.
    zone = calendar.walk("VTIMEZONE")[0]
    assert zone["TZID"] == "Europe/Berlin"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_an_event_feed_says_what_where_and_its_state(client, event):
    event.status, event.status_note = Status.CANCELLED, "Fällt aus."
    event.lat, event.lon = 52.14, 12.59
    event.save()
    (item,) = _events(_parse(client.get(reverse("events:feed_event", args=[event.pk]))))
    assert str(item["summary"]) == "Werkstatt Marktplatz"
    assert str(item["status"]) == "CANCELLED"
    assert "Fällt aus." in str(item["description"])
    assert str(item["location"]) == "Rathaus, Saal 1"
    assert item["url"].endswith(event.get_absolute_url())
    assert item.decoded("dtstart") == event.starts_at.replace(microsecond=0)
    assert item["uid"] == f"veranstaltung-{event.pk}@testserver"


def test_feeds_per_project_and_ortsteil_hold_their_published_events(client, event, region, project):
    other = EventFactory(organisation=region["organisation"], district=region["east"])
    EventFactory(organisation=region["organisation"], district=region["west"], is_published=False)
    old = timezone.now() - timedelta(days=200)
    EventFactory(
        organisation=region["organisation"],
        district=region["west"],
        starts_at=old,
        ends_at=old + timedelta(hours=1),
    )
    by_project = _events(_parse(client.get(reverse("events:feed_project", args=[project.slug]))))
    assert [str(e["summary"]) for e in by_project] == [event.title]
    url = reverse("events:feed_district", args=[region["organisation"].slug, "west"])
    assert [str(e["summary"]) for e in _events(_parse(client.get(url)))] == [event.title]
    url = reverse("events:feed_district", args=[region["organisation"].slug, "ost"])
    assert [str(e["summary"]) for e in _events(_parse(client.get(url)))] == [other.title]


def test_an_empty_feed_is_a_valid_calendar(client, db):
    calendar = _parse(client.get(reverse("events:feed")))
    assert _events(calendar) == []
    assert str(calendar["version"]) == "2.0"


def test_a_drafts_feed_is_not_found(client, region):
    draft = EventFactory(organisation=region["organisation"], is_published=False)
    assert client.get(reverse("events:feed_event", args=[draft.pk])).status_code == 404
