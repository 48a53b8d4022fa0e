"""A city walk's route: entered as text, stored as a GeoJSON LineString, shown as a list
of stops and an SVG map on the event page."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from shapely.geometry import shape

from mitmachen.events import route
from mitmachen.events.models import Event, Kind
from mitmachen.events.tests.factories import EventFactory
from mitmachen.events.tests.test_admin import _form

pytestmark = pytest.mark.django_db


def square(lon, lat, size):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


TEXT = """52.00500, 12.00500 Marktplatz
52.00600; 12.00800
52.00700 12.01200 Kirche: Nordportal
"""


def test_text_becomes_a_geojson_line_with_its_stops():
    parsed = route.parse(TEXT)
    assert parsed["type"] == "Feature"
    assert parsed["geometry"] == {
        "type": "LineString",
        "coordinates": [[12.005, 52.005], [12.008, 52.006], [12.012, 52.007]],
    }
    assert parsed["properties"]["stops"] == ["Marktplatz", "", "Kirche: Nordportal"]
    assert shape(parsed["geometry"]).is_valid
    assert [(s.number, s.name) for s in route.stops(parsed)] == [
        (1, "Marktplatz"),
        (2, "Kirche: Nordportal"),
    ]
    assert route.parse(route.as_text(parsed)) == parsed  # the admin shows what it stored
    # About 0.22 km + 0.29 km along the ground.
    assert 480 < route.length_m(parsed) < 540
    assert route.parse("  \n ") is None
    # Written the German way, with decimal commas.
    german = route.parse("52,00500 12,00500 Marktplatz\n52,006; 12,008\n52,007 12,012 Kirche")
    assert german["geometry"]["coordinates"] == parsed["geometry"]["coordinates"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("52.0, 12.0 Start\nirgendwo", "Zeile 2: Bitte geben Sie Breiten- und Längengrad"),
        ("52, 5 12,5 Start\n52.1 12.1", "Zeile 1: Bitte geben Sie"),
        ("52.0, 12.0 Start\n52 13", "Zeile 2: Bitte geben Sie"),
        ("52.0, 12.0 Start\n95.0, 12.0", "Zeile 2: Der Breitengrad liegt zwischen"),
        ("52.0, 12.0 Start", "mindestens zwei Punkte"),
        ("52.0, 12.0 Start\n52.0, 12.0 Noch einmal", "zwei verschiedene Punkte"),
        ("52.0, 12.0\n52.1, 12.1 Ziel", "Treffpunkt: Bitte geben Sie ihm einen Namen"),
        ("52.0, 12.0 " + "x" * 101 + "\n52.1, 12.1", "Zeile 1: Der Name eines Halts"),
        ("\n".join(f"52.{i:04d}, 12.0 P{i}" for i in range(201)), "höchstens 200 Punkte"),
        ("52.0, 12.0 Start\n" * 2000, "höchstens 20.000 Zeichen"),
    ],
)
def test_bad_routes_are_refused_in_german(text, message):
    with pytest.raises(ValidationError) as raised:
        route.parse(text)
    assert message in raised.value.messages[0]


@pytest.mark.parametrize(
    "stored",
    [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [12, 52]}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[12, 52]]}},
        {"geometry": {"type": "LineString", "coordinates": "x"}, "properties": {"stops": []}},
        [1, 2],
        "LINESTRING(12 52, 13 53)",
    ],
)
def test_the_model_refuses_what_is_no_route(stored):
    event = EventFactory.build(kind=Kind.CITY_WALK, route=stored)
    with pytest.raises(ValidationError) as raised:
        event.clean()
    assert "route" in raised.value.message_dict


def test_only_a_city_walk_has_a_route(region):
    event = EventFactory.build(
        organisation=region["organisation"], kind=Kind.WORKSHOP, route=route.parse(TEXT)
    )
    with pytest.raises(ValidationError) as raised:
        event.clean()
    assert raised.value.message_dict["route"] == ["Eine Route gibt es nur bei einem Stadtrundgang."]
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(organisation=region["organisation"], route=route.parse(TEXT))


def test_staff_enter_a_route_in_the_admin(client, organiser, region, project):
    client.force_login(organiser)
    url = reverse("admin:events_event_add")
    data = _form(region["organisation"], project, region["west"], kind=Kind.CITY_WALK)
    response = client.post(url, {**data, "route": "52.005, 12.005 Markt\nquer feldein"})
    assert response.status_code == 200
    assert "Zeile 2: Bitte geben Sie Breiten- und Längengrad" in response.content.decode()
    assert not Event.objects.exists()
    workshop = _form(region["organisation"], project, region["west"])
    response = client.post(url, {**workshop, "route": TEXT})
    assert "Eine Route gibt es nur bei einem Stadtrundgang." in response.content.decode()
    assert not Event.objects.exists()
    response = client.post(url, {**data, "route": TEXT})
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    assert event.route == route.parse(TEXT)
    change = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert "52.005000, 12.005000 Marktplatz" in change


def test_the_event_page_lists_the_stops_and_draws_the_route(client, region):
    walk = EventFactory(
        organisation=region["organisation"],
        district=region["west"],
        kind=Kind.CITY_WALK,
        title="Rundgang",
        route=route.parse(TEXT),
    )
    plain = EventFactory(organisation=region["organisation"], title="Ohne Route")
    page = client.get(walk.get_absolute_url()).content.decode()
    assert "Route des Rundgangs" in page
    assert "Etwa 0,5 km mit 2 Halten" in page
    stops = page.split('class="event-route__stops"')[1].split("</ol>")[0]
    assert stops.index("Marktplatz") < stops.index("Kirche: Nordportal")
    assert "(Treffpunkt)" in stops
    svg = page.split("<svg")[1].split("</svg>")[0]
    assert 'role="img"' in svg and "Karte der Route: Rundgang" in svg
    assert svg.count("<circle") == 2 and "<title>West</title>" in svg
    assert "Route des Rundgangs" not in client.get(plain.get_absolute_url()).content.decode()
    # The route costs one query (the Ortsteil boundaries), and only with a route.
    with CaptureQueriesContext(connection) as without:
        client.get(plain.get_absolute_url())
    with CaptureQueriesContext(connection) as with_route:
        client.get(walk.get_absolute_url())
    assert len(with_route) == len(without) + 1


def test_the_map_fits_the_route_and_cuts_the_ortsteile():
    parsed = route.parse(TEXT)
    drawn = route.route_map(
        parsed,
        [
            ("Nah", square(12.0, 52.0, 0.02)),
            ("Fern", square(14.0, 54.0, 0.1)),
            ("Ohne", None),
        ],
    )
    assert [name for name, _path in drawn.outlines] == ["Nah"]
    assert drawn.width == 640 and 0 < drawn.height <= route.MAP_HEIGHT
    for stop in drawn.stops:
        assert 0 <= stop.x <= drawn.width and 0 <= stop.y <= drawn.height
    # North is up: the last stop lies further north, so higher on the map.
    assert drawn.stops[1].y < drawn.stops[0].y
