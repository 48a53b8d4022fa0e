"""The admin site: its login page, and links only where the person may go."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_login_page_works_when_logged_out(client):
    # The module list used to ask the scoped admins about an anonymous person's roles
    # (TypeError: Field 'id' expected a number but got AnonymousUser).
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


def test_admin_logout_page_works_when_logged_out(client):
    assert client.post(reverse("admin:logout"), follow=True).status_code == 200
