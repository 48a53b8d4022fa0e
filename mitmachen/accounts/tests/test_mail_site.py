"""Account mails name the configured platform and link to SITE_URL (audit issue 18, no. 3)."""

import re

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.urls import reverse

from mitmachen.accounts.checks import check_site_url
from mitmachen.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC = "https://beteiligung.example.org"


@pytest.fixture
def public_site(settings):
    """The platform runs at PUBLIC under its own name; the sites row is stale (it is only
    synchronised by migrate) and requests reach the app under another host."""
    settings.SITE_URL = PUBLIC
    settings.PLATFORM_NAME = "Beteiligung Fläming"
    settings.ALLOWED_HOSTS = ["intern.local", "testserver"]
    Site.objects.filter(pk=settings.SITE_ID).update(domain="127.0.0.1:8000", name="Mitmachen")
    Site.objects.clear_cache()


def _links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def test_signup_mail_names_the_configured_site(client, public_site):
    client.post(
        reverse("account_signup"),
        {
            "email": "neu@example.org",
            "password1": "Fläming-Wald-2035",
            "password2": "Fläming-Wald-2035",
        },
        HTTP_HOST="intern.local",
    )
    [message] = mail.outbox
    assert message.subject.startswith("[Beteiligung Fläming] ")
    assert "bei beteiligung.example.org für" in message.body
    assert "Beteiligung Fläming" in message.body
    assert "127.0.0.1" not in message.body and "intern.local" not in message.body
    links = _links(message.body)
    assert links and all(link.startswith(f"{PUBLIC}/konto/confirm-email/") for link in links)


def test_password_reset_mail_links_to_the_configured_site(client, public_site):
    user = UserFactory()
    client.post(reverse("account_reset_password"), {"email": user.email}, HTTP_HOST="intern.local")
    [message] = mail.outbox
    assert message.subject.startswith("[Beteiligung Fläming] ")
    links = _links(message.body)
    assert links and all(link.startswith(f"{PUBLIC}/konto/password/reset/key/") for link in links)
    assert "127.0.0.1" not in message.body and "intern.local" not in message.body


def test_mail_to_an_existing_address_links_to_the_configured_site(client, public_site):
    # Signing up with a taken address sends "you already have an account" with the
    # sign-up and password-reset addresses (enumeration protection).
    user = UserFactory()
    client.post(
        reverse("account_signup"),
        {"email": user.email, "password1": "Fläming-Wald-2035", "password2": "Fläming-Wald-2035"},
        HTTP_HOST="intern.local",
    )
    [message] = mail.outbox
    links = _links(message.body)
    assert links and all(link.startswith(f"{PUBLIC}/konto/") for link in links)


@pytest.mark.parametrize(
    ("site_url", "warns"),
    [
        ("http://127.0.0.1:8000", True),
        ("https://localhost", True),
        ("http://beteiligung.example.org", True),
        (PUBLIC, False),
    ],
)
def test_deploy_check_warns_about_a_local_site_url(settings, site_url, warns):
    settings.SITE_URL = site_url
    assert bool(check_site_url()) is warns


def test_deploy_check_is_registered():
    from django.core.checks import registry

    assert check_site_url in registry.registry.get_checks(include_deployment_checks=True)
    assert check_site_url not in registry.registry.get_checks()  # quiet in development
