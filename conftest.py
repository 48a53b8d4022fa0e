"""Shared pytest fixtures."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.tests.factories import OrganisationFactory


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # Rate limits and sessions may live in Redis; each test starts clean.
    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def organisation(db):
    return OrganisationFactory(is_operator=True)


@pytest.fixture
def logged_in_client(client, user):
    client.force_login(user)
    return client
