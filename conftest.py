"""Shared pytest fixtures."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core import page_cache
from mitmachen.organisations.tests.factories import OrganisationFactory


@pytest.fixture(autouse=True)
def _clean_state() -> None:
    # Rate limits and sessions may live in Redis; each test starts clean, in German.
    cache.clear()
    page_cache.clear_local()
    translation.activate(settings.LANGUAGE_CODE)


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


@pytest.fixture
def postgres_only() -> None:
    """Skip unless the tests run on PostgreSQL (concurrency needs real parallel writers)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("Concurrency is tested on PostgreSQL (SQLite serialises writes).")
