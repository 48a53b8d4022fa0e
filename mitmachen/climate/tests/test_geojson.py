"""The GeoJSON download of a campaign's observations: valid RFC 7946 (points as
longitude/latitude, null geometry for an Ortsteil without a point), visible observations
only, licence and source in the file, nothing about the people who reported, the same
visibility as the campaign page, and a fixed number of queries."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.climate.models import Observation
from mitmachen.climate.tests.factories import campaign_in
from mitmachen.climate.tests.test_observations import inside, page_url, submit, town  # noqa: F401
from mitmachen.projects.models import Visibility

pytestmark = pytest.mark.django_db


def download(client, campaign):
    response = client.get(page_url(campaign, "daten.geojson"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json; charset=utf-8"
    assert response["Content-Disposition"].endswith('.geojson"')
    return json.loads(b"".join(response.streaming_content))


def test_points_ortsteile_licence_and_no_person(client, town):  # noqa: F811
    project, altstadt, neustadt = town
    campaign = campaign_in(project)
    anna = UserFactory(email="anna.beispiel@example.org", display_name="Anna Beispiel")
    lon, lat = inside(neustadt)
    submit(anna, campaign, lon=lon, lat=lat)
    submit(
        UserFactory(), campaign, district=altstadt, place_description="Am Markt", number_value=31
    )
    hidden = submit(UserFactory(), campaign, district=altstadt, number_value=99.0)
    Observation.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    data = download(client, campaign)
    assert data["type"] == "FeatureCollection"
    assert data["lizenz"] == "CC BY 4.0" and data["quelle"].startswith("Mitmach-Daten ")
    assert data["beispieldaten"] is campaign.is_example_data
    point, place = data["features"]
    assert point["type"] == "Feature"
    assert point["geometry"] == {"type": "Point", "coordinates": [lon, lat]}
    assert point["properties"]["ortsteil"] == "Neustadt"
    assert point["properties"]["antwort"] == 34.5
    assert place["geometry"] is None
    assert (
        place["properties"]["ortsteil"] == "Altstadt" and place["properties"]["ort"] == "Am Markt"
    )
    assert place["properties"]["antwort"] == 31
    raw = json.dumps(data, ensure_ascii=False).replace(str(campaign.pk), "")
    for personal in ("anna", "Anna", "Beispiel", str(anna.pk) + ","):
        assert personal not in raw
    assert 99 not in [f["properties"]["antwort"] for f in data["features"]]


def test_an_empty_campaign_is_an_empty_collection(client, town):  # noqa: F811
    project, _a, _b = town
    assert download(client, campaign_in(project))["features"] == []


def test_a_campaign_nobody_may_see_has_no_download(client, town):  # noqa: F811
    project, _a, _b = town
    campaign = campaign_in(project)
    project.visibility = Visibility.DRAFT
    project.save()
    assert client.get(page_url(campaign, "daten.geojson")).status_code == 404


def test_queries_do_not_grow_with_observations(client, town):  # noqa: F811
    project, altstadt, _b = town
    campaign = campaign_in(project)

    def count():
        with CaptureQueriesContext(connection) as queries:
            download(client, campaign)
        return len(queries)

    submit(UserFactory(), campaign, district=altstadt)
    few = count()
    for n in range(12):
        lon, lat = inside(altstadt)
        submit(UserFactory(), campaign, lon=lon + n * 0.0001, lat=lat)
    assert count() == few <= 4
