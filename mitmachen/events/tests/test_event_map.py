"""The calendar's map of upcoming events: places as numbered points and as a list."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mitmachen.events import event_map
from mitmachen.events.models import Event, Kind
from mitmachen.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _map(client, **params):
    response = client.get(reverse("events:calendar"), {"ansicht": "karte", **params})
    assert response.status_code == 200
    return response.content.decode()


def test_places_on_the_map_and_in_the_list(client, region):
    organisation = region["organisation"]
    town_hall = {"lat": 52.005, "lon": 12.005, "place_name": "Rathaus"}
    first = EventFactory(
        organisation=organisation, district=region["west"], title="Erstes Treffen", **town_hall
    )
    EventFactory(
        organisation=organisation,
        district=region["west"],
        title="Zweites Treffen",
        starts_at=first.starts_at + timedelta(days=7),
        ends_at=first.ends_at + timedelta(days=7),
        **town_hall,
    )
    EventFactory(
        organisation=organisation,
        district=region["east"],
        title="Marktstand",
        kind=Kind.MARKET_STAND,
        place_name="Markt",
        lat=52.005,
        lon=12.015,
        starts_at=first.starts_at + timedelta(days=1),
        ends_at=first.ends_at + timedelta(days=1),
    )
    EventFactory(organisation=organisation, title="Ohne Punkt")
    EventFactory(organisation=organisation, title="Entwurf", lat=52.0, lon=12.0, is_published=False)
    EventFactory(
        organisation=organisation,
        title="Vorbei",
        lat=52.0,
        lon=12.0,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3, hours=-1),
    )
    page = _map(client)
    assert "Die nächsten Termine auf der Karte: 2 Orte" in page
    svg = page.split("<svg")[1].split("</svg>")[0]
    # One point per place: the two meetings in the town hall share theirs.
    assert svg.count("<circle") == 2
    assert "<title>1: Rathaus</title>" in svg and "<title>2: Markt</title>" in svg
    assert "<title>West</title>" in svg and "<title>Ost</title>" in svg
    places = page.split('class="event-map__places"')[1].split("</ol>")[0]
    assert (
        places.index("Rathaus") < places.index("Erstes Treffen") < places.index("Zweites Treffen")
    )
    assert places.index("Zweites Treffen") < places.index("Markt</span>")
    assert "Entwurf" not in page and "Vorbei" not in page
    assert "1 weiterer Termin hat keinen Kartenpunkt" in page
    assert 'aria-current="page">Karte der nächsten Termine' in page
    # The calendar's filters apply: only the market stand in Ortsteil Ost.
    east = _map(client, ortsteil=region["east"].pk)
    assert "Marktstand" in east and "Erstes Treffen" not in east


def test_nothing_to_place_says_so(client, region):
    EventFactory(organisation=region["organisation"], title="Online", place_name="")
    page = _map(client)
    assert "Keine kommende Veranstaltung mit Kartenpunkt passt zu diesen Filtern." in page
    assert "<svg" not in page.split("<main")[1].split("</main>")[0]


def _events(region, first, count):
    start = timezone.now() + timedelta(days=1)
    Event.objects.bulk_create(
        Event(
            organisation=region["organisation"],
            district=region["west"],
            kind=Kind.WORKSHOP,
            title=f"Termin {i}",
            starts_at=start + timedelta(hours=3 * i),
            ends_at=start + timedelta(hours=3 * i + 1),
            place_name=f"Ort {i % 40}",
            lat=52.0 + (i % 40) * 0.0002,
            lon=12.0 + (i % 40) * 0.0004,
            is_published=True,
        )
        for i in range(first, first + count)
    )


def test_the_map_runs_the_same_queries_with_few_or_many_events(client, region):
    counts = []
    for first, count in ((0, 3), (3, 147)):
        _events(region, first, count)
        with CaptureQueriesContext(connection) as queries:
            page = _map(client)
        counts.append(len(queries))
    # The filter form's choices, the events with a point, the others' count, the
    # Ortsteile, the footer: the same number for 3 and 150 events.
    assert counts[0] == counts[1] <= 9, counts
    assert f"Die Karte zeigt die nächsten {event_map.MAP_LIMIT} Termine." in page
    assert page.count("<circle") == 40
