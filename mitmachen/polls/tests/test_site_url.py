"""The printed questionnaire's QR code and address lead to SITE_URL (issue 18, no. 3)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_printed_questionnaire_links_to_the_configured_site(client, settings, poll, questions):
    settings.SITE_URL = "https://beteiligung.example.org"
    settings.ALLOWED_HOSTS = ["intern.local"]
    html = client.get(reverse("polls:print", args=[poll.pk]), HTTP_HOST="intern.local")
    content = html.content.decode()
    assert f"https://beteiligung.example.org/umfragen/{poll.pk}/" in content
    assert "intern.local" not in content
