"""What lets the test suite run in parallel (pytest-xdist); used by the root conftest.

Each xdist worker gets its own test database (pytest-django adds ``_gw0``, ``_gw1``, …)
and its own cache keys in Redis (``<KEY_PREFIX>:<worker>``), so workers never see each
other's data. On PostgreSQL the workers copy their database from a template migrated
once per run instead of each running every migration (docs/testing.md).
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache

# xdist group of the tests that run on one worker, one after the other (root conftest).
SERIAL_GROUP = "serial"


def worker_id(config: pytest.Config) -> str | None:
    """``gw0``, ``gw1``, … in an xdist worker; None in a run without xdist."""
    return getattr(config, "workerinput", {}).get("workerid")


def uses_redis() -> bool:
    return "redis" in str(settings.CACHES["default"]["BACKEND"]).lower()


def separate_cache_keys(worker: str) -> None:
    """Put this worker's cache keys under their own prefix (before the cache is first used:
    Django reads the options when it creates the cache object)."""
    default = settings.CACHES["default"]
    default["KEY_PREFIX"] = f"{default.get('KEY_PREFIX', '')}:{worker}"


def clear_cache() -> None:
    """Empty the cache of this test process only.

    ``cache.clear()`` on Redis is FLUSHDB: it would also delete the sessions and rate
    limits of the tests other workers are running at the same moment. So on Redis only
    the keys under this process's prefix go.
    """
    if not uses_redis():
        cache.clear()
        return
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


def commit_without_waiting_for_disk() -> None:
    """Let every test connection to PostgreSQL commit with ``synchronous_commit=off``.

    A commit then returns before its WAL record is flushed to disk: on the CI machine a
    flushed commit costs several milliseconds, and the transactional tests (browser
    tests, the race tests with their live servers) commit thousands of times. What other
    connections see, locks and constraints are unchanged; only a crash of PostgreSQL
    could lose the last commits – of a test database. Production keeps the default.
    Must run before the first connection is made (the root conftest's pytest_configure).
    """
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return
    options = db.setdefault("OPTIONS", {})
    if "synchronous_commit" not in options.get("options", ""):
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


def template_name() -> str:
    return f"test_{settings.DATABASES['default']['NAME']}_template"


def maintenance_connection() -> Any:
    """A psycopg connection to the ``postgres`` database (to create and drop databases)."""
    import psycopg

    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        autocommit=True,
    )


def template_run_id(cursor: Any, name: str) -> str | None:
    """The run that built the template ``name`` (its comment), or None without one."""
    cursor.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [name],
    )
    row = cursor.fetchone()
    return None if row is None else (row[0] or "")


def build_template(run_id: str) -> str:
    """Migrate the template database once per run and return its name.

    The first worker builds it while the others wait on an advisory lock; a template
    left by an earlier run (another run id) is rebuilt.
    """
    from django.db import connection
    from psycopg import sql

    template = template_name()
    lock = int.from_bytes(hashlib.sha256(template.encode()).digest()[:8], "big", signed=True)
    with maintenance_connection() as maintenance, maintenance.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock])
        try:
            if template_run_id(cursor, template) != run_id:
                test_settings = connection.settings_dict["TEST"]
                name, test_name = connection.settings_dict["NAME"], test_settings.get("NAME")
                test_settings["NAME"] = template
                try:
                    connection.creation.create_test_db(
                        verbosity=0, autoclobber=True, serialize=False, keepdb=False
                    )
                finally:
                    # No connection may stay open on a database that is being copied.
                    connection.close()
                    connection.settings_dict["NAME"] = name
                    settings.DATABASES["default"]["NAME"] = name
                    test_settings["NAME"] = test_name
                cursor.execute(
                    sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                        sql.Identifier(template), sql.Literal(run_id)
                    )
                )
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock])
    return template


def drop_template() -> None:
    from psycopg import sql

    with maintenance_connection() as maintenance, maintenance.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(template_name()))
        )
