import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mitmachen.projects.models import Visibility
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_geojson_lists_located_proposals_with_filters(client, project, region):
    located = ProposalFactory(
        project=project, title="Bank <am> Teich", lon=12.005, lat=52.005, district=region["west"]
    )
    ProposalFactory(project=project, title="Ohne Ort")
    ProposalFactory(project=project, title="Osten", lon=12.015, lat=52.005, district=region["east"])
    response = client.get(f"/projekte/{project.slug}/vorschlaege.geojson")
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    titles = {f["properties"]["title"] for f in data["features"]}
    assert titles == {"Bank <am> Teich", "Osten"}
    feature = next(f for f in data["features"] if f["properties"]["id"] == located.pk)
    assert feature["geometry"] == {"type": "Point", "coordinates": [12.005, 52.005]}
    assert feature["properties"]["url"] == located.get_absolute_url()
    filtered = client.get(
        f"/projekte/{project.slug}/vorschlaege.geojson?ortsteil={region['east'].pk}"
    )
    assert [f["properties"]["title"] for f in filtered.json()["features"]] == ["Osten"]
    assert client.get(f"/projekte/{project.slug}/vorschlaege.geojson?ortsteil=x").status_code == 200


def test_geojson_query_count_is_constant(client, project):
    counts = []
    for n in (10, 200):
        for _ in range(n - (10 if counts else 0)):
            ProposalFactory(project=project, lon=12.005, lat=52.005)
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/projekte/{project.slug}/vorschlaege.geojson")
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6, counts


def test_map_page_has_the_accessible_list(client, project, region):
    ProposalFactory(
        project=project, title="Mit Punkt", lon=12.005, lat=52.005, district=region["west"]
    )
    ProposalFactory(project=project, title="Ohne Punkt")
    content = client.get(f"/projekte/{project.slug}/vorschlaege/karte/").content.decode()
    assert "Mit Punkt" in content and "1 Vorschlag mit Ort" in content
    assert "1 weiterer Vorschlag hat keinen Punkt" in content
    assert 'data-url="/projekte/zukunft/vorschlaege.geojson?' in content


def test_hidden_project_has_no_geojson(client, project):
    project.visibility = Visibility.PRIVATE
    project.save()
    assert client.get(f"/projekte/{project.slug}/vorschlaege.geojson").status_code == 404
    assert client.get(f"/projekte/{project.slug}/vorschlaege/karte/").status_code == 404
