"""Sign-up says when the two passwords differ (issue 18, no. 13)."""

import re

import pytest
from django.urls import reverse

from mitmachen.accounts.models import User

pytestmark = pytest.mark.django_db

MISMATCH = "Die beiden Passwörter stimmen nicht überein."


def _signup(client, password1, password2):
    response = client.post(
        reverse("account_signup"),
        {"email": "neu@example.org", "password1": password1, "password2": password2},
    )
    assert response.status_code == 200
    return response.content.decode()


def _field_block(html: str, field_id: str) -> str:
    """The markup of one form field, from its label to the end of its input."""
    match = re.search(
        rf'<label[^>]*for="{field_id}".*?<input[^>]*id="{field_id}"[^>]*>', html, re.S
    )
    assert match, field_id
    return match.group(0)


@pytest.mark.parametrize(
    ("password1", "password2"),
    [
        pytest.param("123", "456", id="both too weak"),
        pytest.param("Fläming-Wald-2035", "Fläming-Wald-2036", id="strong, one typo"),
    ],
)
def test_different_passwords_are_named_at_the_field_and_in_the_summary(
    client, password1, password2
):
    html = _signup(client, password1, password2)
    summary = html[
        html.index('id="form-errors"') : html.index("</ul>", html.index('id="form-errors"'))
    ]
    assert f'href="#id_password2">Passwort (Wiederholung): {MISMATCH}' in summary
    assert MISMATCH in _field_block(html, "id_password2")
    assert html.count(MISMATCH) == 2  # once at the field, once in the summary
    assert "You must type the same password" not in html
    assert not User.objects.exists()


def test_weak_passwords_still_show_the_strength_errors(client):
    html = _signup(client, "123", "456")
    assert "zu kurz" in html
    assert MISMATCH in html


def test_equal_passwords_show_no_mismatch(client):
    html = _signup(client, "123", "123")
    assert MISMATCH not in html
    assert "zu kurz" in html
