"""The German 404 page under DEBUG as well (issue 18, no. 15)."""

import pytest

pytestmark = pytest.mark.django_db

TECHNICAL = "Using the URLconf defined in"


@pytest.fixture
def development(settings):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_404 = False


def test_unknown_address_shows_the_german_page_in_development(client, development):
    response = client.get("/gibt-es-nicht/")
    content = response.content.decode()
    assert response.status_code == 404
    assert "Seite nicht gefunden" in content and '<html lang="de"' in content
    assert TECHNICAL not in content


def test_not_found_raised_by_a_view_shows_the_german_page_in_development(client, development):
    response = client.get("/projekte/gibt-es-nicht/")
    content = response.content.decode()
    assert response.status_code == 404
    assert "Seite nicht gefunden" in content
    assert "Raised by:" not in content


def test_missing_trailing_slash_is_still_added(client, development):
    response = client.get("/projekte")
    assert response.status_code == 301 and response["Location"] == "/projekte/"


def test_technical_page_on_request(client, development, settings):
    settings.DEBUG_TECHNICAL_404 = True
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert TECHNICAL in response.content.decode()


def test_production_is_unchanged(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()
