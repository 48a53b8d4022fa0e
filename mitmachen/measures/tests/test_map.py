"""The map of measures: numbered markers and areas over the Ortsteile (SVG drawn on the
server), the same measures as a list, the overview's filters, and the area's checks."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from mitmachen.measures import services
from mitmachen.measures.maps import area_problem, measure_map
from mitmachen.measures.models import Measure
from mitmachen.measures.tests.factories import MeasureFactory, default_status

pytestmark = pytest.mark.django_db

# Inside the fixture's Ortsteil "West" (12.00–12.01 E, 52.00–52.01 N).
AREA = {
    "type": "Polygon",
    "coordinates": [[[12.002, 52.002], [12.006, 52.002], [12.006, 52.006], [12.002, 52.002]]],
}


def _url(organisation, query=""):
    return reverse("measures:map", args=[organisation.slug]) + query


def test_the_map_shows_points_and_areas_with_a_list(client, organisation, goal):
    with_point = MeasureFactory(goal=goal, title="Bänke", latitude=52.005, longitude=12.005)
    with_area = MeasureFactory(goal=goal, title="Grünzug", area=AREA)
    MeasureFactory(goal=goal, title="Studie")  # no place
    MeasureFactory(goal=goal, title="Entwurf", latitude=52.005, longitude=12.005, published=False)
    response = client.get(_url(organisation))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="measure-map__marker') == 2
    assert page.count('class="measure-map__area') == 1
    assert page.count('class="measure-map__district"') == 2  # both Ortsteile
    # The list says the same: numbers as on the map, alphabetical.
    assert page.index("Bänke") < page.index("Grünzug")
    assert with_point.get_absolute_url() in page and with_area.get_absolute_url() in page
    assert "1 weitere Maßnahme hat keinen Ort" in page
    assert "Entwurf" not in page
    assert "http://" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_the_map_takes_the_overview_filters(client, organisation, goal):
    MeasureFactory(
        goal=goal, title="Fertig", latitude=52.005, longitude=12.005, status=default_status("done")
    )
    MeasureFactory(goal=goal, title="Läuft", latitude=52.005, longitude=12.015)
    page = client.get(_url(organisation, "?status=done")).content.decode()
    assert "Fertig" in page and "Läuft" not in page
    page = client.get(_url(organisation, "?status=erfunden")).content.decode()
    assert "nicht angewendet" in page  # a bad filter value: a message, no error


def test_a_map_without_located_measures_says_so(client, organisation, goal):
    MeasureFactory(goal=goal)
    page = client.get(_url(organisation)).content.decode()
    assert "Noch keine Maßnahme hat einen Ort auf der Karte." in page
    assert "measure-map__svg" not in page


def test_map_queries_do_not_grow_with_measures(client, organisation, goal, region):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(organisation)).status_code == 200
        return len(queries)

    MeasureFactory(goal=goal, latitude=52.005, longitude=12.005)
    few = count()
    for i in range(30):
        MeasureFactory(goal=goal, latitude=52.001 + i / 10000, longitude=12.005, area=AREA)
    assert count() == few


def test_markers_lie_on_the_drawing(region):
    districts = [(d.name, d.geometry) for d in (region["west"], region["east"])]
    measures = [
        Measure(title="A", latitude=52.0, longitude=12.0),
        Measure(title="B", latitude=52.01, longitude=12.02),
        Measure(title="C", area=AREA),
        Measure(title="D", latitude=52.3, longitude=12.4),  # outside: the frame grows
    ]
    drawn = measure_map(districts, measures)
    assert [m.number for m in drawn.markers] == [1, 2, 3, 4]
    for marker in drawn.markers:
        assert 0 <= marker.x <= drawn.width and 0 <= marker.y <= drawn.height
    assert drawn.markers[2].area.startswith("M")


@pytest.mark.parametrize(
    "value",
    [
        {"type": "Point", "coordinates": [12.0, 52.0]},
        {"type": "Polygon", "coordinates": "kaputt"},
        {"type": "Polygon", "coordinates": [[[200, 52], [201, 52], [201, 53], [200, 52]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},  # a bow tie
        [1, 2, 3],
        "Marktplatz",
    ],
)
def test_a_bad_area_is_refused_in_german(goal, manager, value):
    assert area_problem(value)
    measure = Measure(goal=goal, title="Grünzug", area=value)
    with pytest.raises(ValidationError) as error:
        services.measure_save(user=manager, measure=measure)
    assert "area" in error.value.message_dict
    assert not Measure.objects.exists()


def test_a_good_area_is_stored(goal, manager):
    measure = services.measure_save(user=manager, measure=Measure(goal=goal, title="G", area=AREA))
    measure.refresh_from_db()
    assert measure.area == AREA


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-179, 179), st.floats(-89, 89)), min_size=0, max_size=6))
def test_area_check_never_crashes(points):
    value = {"type": "Polygon", "coordinates": [[list(p) for p in points]]}
    assert isinstance(area_problem(value), str)
