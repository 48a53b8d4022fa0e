"""Login throttling slows guessing down without locking real people out (issue 18, no. 4)."""

import time as real_time

import pytest
from allauth.core.internal import ratelimit
from django.urls import reverse

from mitmachen.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
SCHOOL = "192.0.2.10"


class Clock:
    """Stands in for the ``time`` module inside allauth's rate limiter."""

    def __init__(self) -> None:
        self.now = real_time.time()

    def time(self) -> float:
        return self.now

    monotonic = staticmethod(real_time.monotonic)
    sleep = staticmethod(real_time.sleep)


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(ratelimit, "time", fake)
    return fake


def _login(client, email, password, ip, **extra):
    response = client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip, **extra
    )
    signed_in = "_auth_user_id" in client.session
    client.logout()
    return response, signed_in


def _throttled(response) -> bool:
    return response.status_code == 429 or "zu viele" in response.content.decode().lower()


def test_wrong_passwords_elsewhere_do_not_lock_out_the_owner(client):
    user = UserFactory()
    for _ in range(25):
        _login(client, user.email, "falsch", ATTACKER)
    response, signed_in = _login(client, user.email, PASSWORD, OWNER)
    assert signed_in, response.content.decode()


def test_attacker_is_throttled_and_slowed_down_more_and_more(client, clock):
    user = UserFactory()
    for _ in range(5):
        response, _signed_in = _login(client, user.email, "falsch", ATTACKER)
        assert not _throttled(response)
    # The sixth try within a minute is refused, even with the right password.
    response, signed_in = _login(client, user.email, PASSWORD, ATTACKER)
    assert not signed_in and _throttled(response)

    # A minute later the address may try again: slowed down, not locked.
    clock.now += 61
    response, signed_in = _login(client, user.email, PASSWORD, ATTACKER)
    assert signed_in
    # Guessing on, minute after minute: after 20 wrong passwords in an hour the
    # address waits longer than a minute.
    for _ in range(3):
        clock.now += 61
        for _ in range(5):
            _login(client, user.email, "falsch", ATTACKER)
    clock.now += 61
    response, signed_in = _login(client, user.email, PASSWORD, ATTACKER)
    assert not signed_in and _throttled(response)
    clock.now += 3600
    response, signed_in = _login(client, user.email, PASSWORD, ATTACKER)
    assert signed_in


def test_one_address_guessing_across_many_accounts_is_capped(client, clock):
    users = UserFactory.create_batch(13)
    tries = 0
    for user in users[:12]:
        for _ in range(5):
            response, _signed_in = _login(client, user.email, "falsch", ATTACKER)
            tries += 1
            assert not _throttled(response), tries
    # 60 wrong passwords from one address in ten minutes: the next account is refused too.
    response, signed_in = _login(client, users[12].email, PASSWORD, ATTACKER)
    assert not signed_in and _throttled(response)
    # Other addresses are not affected.
    _response, signed_in = _login(client, users[12].email, PASSWORD, OWNER)
    assert signed_in


def test_sixty_people_behind_one_address_sign_in_within_a_minute(client, clock):
    users = UserFactory.create_batch(60)
    for user in users:
        response, signed_in = _login(client, user.email, PASSWORD, SCHOOL)
        assert signed_in, (user.email, response.status_code)


def test_behind_the_proxy_each_visitor_counts_on_their_own(client, settings, clock):
    settings.BEHIND_PROXY = True
    user = UserFactory()
    proxy = "10.0.0.1"
    for _ in range(8):
        _login(client, user.email, "falsch", proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    _response, signed_in = _login(client, user.email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR=OWNER)
    assert signed_in
