"""Shared pytest fixtures, and the set-up for parallel runs (mitmachen/core/tests/parallel.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core import cache as fail_open
from mitmachen.core import page_cache
from mitmachen.core.tests import fast_flush, parallel, snapshot
from mitmachen.organisations.tests.factories import OrganisationFactory

# --- parallel runs (pytest-xdist) ------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    # Workers share one Redis database: each keeps its keys under its own prefix.
    worker = parallel.worker_id(config)
    if worker and parallel.uses_redis():
        parallel.separate_cache_keys(worker)
    # Commits do not wait for the disk (a throw-away test database needs no durability).
    parallel.commit_without_waiting_for_disk()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The PostgreSQL concurrency tests (marker `postgres`) each fire up to 100 requests at a
    # live server, and one of them drops a constraint and checks in the next test that it
    # is back. With `--dist loadgroup` they all run on one worker, one after the other, in
    # file order; the other worker goes on with the rest meanwhile.
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.xdist_group(parallel.SERIAL_GROUP))


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete() -> None:
    # Transactional tests empty the tables with DELETE on PostgreSQL (fast_flush.py).
    fast_flush.install()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    request: pytest.FixtureRequest,
    django_db_modify_db_settings_parallel_suffix: None,
    django_db_blocker,
    django_db_use_migrations: bool,
    django_db_keepdb: bool,
    django_db_createdb: bool,
) -> None:
    """On PostgreSQL under xdist, let each worker's database be a copy of one template.

    pytest-django then creates ``test_<name>_gwN`` with ``CREATE DATABASE … TEMPLATE``;
    the migrations it runs afterwards find nothing left to do.
    """
    from django.db import connection

    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
    if not (
        parallel.worker_id(request.config)
        and run_id
        and connection.vendor == "postgresql"
        and django_db_use_migrations
        and (django_db_createdb or not django_db_keepdb)
    ):
        return
    with django_db_blocker.unblock():
        template = parallel.build_template(run_id)
    connection.settings_dict["TEST"]["TEMPLATE"] = template


def pytest_sessionfinish(session: pytest.Session) -> None:
    # The xdist controller drops the template once every worker has finished.
    config = session.config
    if parallel.worker_id(config) or not getattr(config.option, "numprocesses", None):
        return
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        parallel.drop_template()


# --- every test --------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _clean_state() -> None:
    # Rate limits and sessions may live in Redis; each test starts clean, in German, with
    # the cache reachable (a test of a Redis outage leaves it "unreachable" for seconds).
    parallel.clear_cache()
    page_cache.clear_local()
    fail_open.reset_warning()
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


@pytest.fixture
def fresh_page(client, settings, django_capture_on_commit_callbacks):
    """``fresh_page(url, write)``: with the page cache on, the page is cached, ``write``
    commits, and the next anonymous visitor gets a new page; returns its text. For the
    tests that every write path makes its project's cached pages stale."""
    settings.PAGE_CACHE_SECONDS = 60

    def check(url: str, write: Any) -> str:
        client.get(url)
        assert client.get(url)[page_cache.STATE_HEADER] == "hit"
        with django_capture_on_commit_callbacks(execute=True):
            write()
        page = client.get(url)
        assert page[page_cache.STATE_HEADER] == "miss", url
        return page.content.decode()

    return check


# --- the demo region -------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_snapshot(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> list[str]:
    """The demo region, seeded once per test process and copied (see snapshot.py).

    Taken when the first test asks for it, between two tests, on the empty test
    database; emptied again afterwards, as a transactional test leaves it.
    """
    from django.core.management import call_command
    from django.test import override_settings

    from mitmachen.demo.services import seed_demo

    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=snapshot.media_dir(tmp_path_factory)),
        translation.override(settings.LANGUAGE_CODE),
    ):
        seed_demo()
        tables = snapshot.take()
        call_command("flush", verbosity=0, interactive=False)
        snapshot.clear_model_caches()
    return tables


@pytest.fixture
def demo_rows(
    db: None, demo_snapshot: list[str], settings: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """The demo region inside the test's transaction, as seed_demo() leaves it, for tests
    that read it (copied back in well under a second instead of seeding it again; the
    browser tests' ``demo`` is the same for transactional tests).

    The test's rollback brings back the content types the copy replaced, so the caches
    Django keeps of them are emptied again afterwards: a content type read during the
    test (ids of the copy) must not reach the next test (ids of its own rows)."""
    settings.MEDIA_ROOT = snapshot.media_dir(tmp_path_factory)
    snapshot.restore(demo_snapshot)
    yield
    snapshot.clear_model_caches()
