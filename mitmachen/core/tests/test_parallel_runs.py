"""The suite runs in parallel (pytest-xdist): workers must not see each other's state.

These tests check mitmachen/core/tests/parallel.py and the root conftest. Most only
mean something in the configuration they name (Redis, PostgreSQL, an xdist worker) and
skip elsewhere; CI runs all of those configurations.
"""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from django.db import connection

from mitmachen.core.tests import parallel

WORKER = os.environ.get("PYTEST_XDIST_WORKER")


def _redis_only() -> None:
    if not parallel.uses_redis():
        pytest.skip("Only Redis is shared between the test processes.")


def test_clearing_the_cache_keeps_the_keys_of_other_workers() -> None:
    """A test clearing the cache must not log out the people in another worker's test."""
    _redis_only()
    # The Redis client sits behind a private attribute of Django's RedisCache.
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    foreign = "another-test-process:1:session"
    client.set(foreign, b"x", ex=60)
    cache.set("mine", 1)
    try:
        parallel.clear_cache()
        assert cache.get("mine") is None
        assert client.get(foreign) == b"x"
    finally:
        client.delete(foreign)


def test_each_worker_has_its_own_cache_keys() -> None:
    _redis_only()
    if not WORKER:
        pytest.skip("Only an xdist worker adds its name to the cache keys.")
    assert cache.make_key("x").endswith(f":{WORKER}:1:x")


@pytest.mark.django_db
def test_each_worker_has_its_own_database() -> None:
    if not WORKER or connection.vendor == "sqlite":
        pytest.skip("An xdist worker adds its name to a database server's test database.")
    assert connection.settings_dict["NAME"].endswith(f"_{WORKER}")


@pytest.mark.django_db
def test_postgres_workers_copy_a_template_migrated_once_per_run() -> None:
    if connection.vendor != "postgresql" or not WORKER:
        pytest.skip("The template is used on PostgreSQL under xdist.")
    template = connection.settings_dict["TEST"].get("TEMPLATE")
    assert template and template.endswith("_template")
    with connection.cursor() as cursor:
        assert parallel.template_run_id(cursor, template) == os.environ["PYTEST_XDIST_TESTRUNUID"]
        # The copy has every migration, and the run found none left to apply.
        cursor.execute("SELECT count(*) FROM django_migrations")
        assert cursor.fetchone()[0] > 20


def test_the_postgres_concurrency_tests_run_on_one_worker_in_order(request) -> None:
    """They load a live server with up to 100 requests each, and one of them checks that
    the test before it (on the same database) put a dropped constraint back."""
    concurrency = [i for i in request.session.items if i.get_closest_marker("postgres")]
    if not concurrency:
        pytest.skip("Checked in runs that collect the concurrency tests (the whole suite).")
    for item in concurrency:
        groups = [mark.args[0] for mark in item.iter_markers("xdist_group")]
        assert groups == [parallel.SERIAL_GROUP], item.nodeid


@pytest.mark.django_db
def test_postgres_test_connections_commit_without_waiting_for_the_disk() -> None:
    """The test connections, a live server thread's included, set synchronous_commit=off."""
    if connection.vendor != "postgresql":
        pytest.skip("A setting of PostgreSQL.")
    from django.db import connections

    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "off"
    # A connection made anew (as each live server thread makes its own) gets it too.
    fresh = connections.create_connection("default")
    try:
        with fresh.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "off"
    finally:
        fresh.close()
