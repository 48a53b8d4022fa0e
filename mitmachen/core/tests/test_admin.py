"""The admin site: its login page, and links only where the person may go."""

import logging

import pytest
from django.urls import reverse

from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_admin_login_page_works_when_logged_out(client):
    # The module list used to ask the scoped admins about an anonymous person's roles
    # (TypeError: Field 'id' expected a number but got AnonymousUser).
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


def test_admin_logout_page_works_when_logged_out(client):
    assert client.post(reverse("admin:logout"), follow=True).status_code == 200


def test_403_is_logged_once_without_traceback(client, caplog, settings):
    manager = MembershipFactory(role=Role.PROJECT_MANAGER).user
    client.force_login(manager)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("admin:accounts_user_change", args=[manager.pk]))
    assert response.status_code == 403
    records = [r for r in caplog.records if r.getMessage().startswith("Forbidden")]
    assert len(records) == 1
    text = caplog.handler.format(records[0])
    assert "Traceback" not in text and records[0].exc_info is None
    # Not passed on to Django's own "django" handlers (a second copy under DEBUG).
    assert settings.LOGGING["loggers"]["django.request"]["propagate"] is False
