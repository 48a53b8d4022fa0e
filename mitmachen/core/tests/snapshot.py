"""A copy of the whole test database, taken once and put back before each test.

The browser tests each start from the demo region. Seeding it runs thousands of
queries through the services (seconds per test, tens of seconds on a loaded CI
machine); copying the finished rows back is a few statements. ``take`` copies every
model table into a ``snap_<table>`` table beside it (in the same test database, so
each xdist worker has its own); ``restore`` empties the model tables and copies the
rows back, with their primary keys, in one transaction.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

PREFIX = "snap_"


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def take() -> list[str]:
    """Copy every model table; returns the tables copied."""
    tables = _tables()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {_quote(PREFIX + table)}")
            cursor.execute(
                f"CREATE TABLE {_quote(PREFIX + table)} AS SELECT * FROM {_quote(table)}"
            )
    return tables


def restore(tables: list[str]) -> None:
    """Replace the contents of every model table with the copy ``take`` made.

    Foreign keys are checked at the end of the transaction (Django creates them
    deferrable), so the order of the tables does not matter. Afterwards the sequences
    are moved past the restored keys, and the caches Django keeps of rows it expects
    never to change (content types, the current site) are emptied.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        # DELETE, not TRUNCATE: on PostgreSQL much faster for small tables (fast_flush.py).
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in tables:
            cursor.execute(f"DELETE FROM {_quote(table)}")
        for table in tables:
            cursor.execute(f"INSERT INTO {_quote(table)} SELECT * FROM {_quote(PREFIX + table)}")
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    clear_model_caches()


def clear_model_caches() -> None:
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    if apps.is_installed("django.contrib.sites"):
        from django.contrib.sites.models import Site

        Site.objects.clear_cache()


def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where tests keep media files: seed_demo() writes project images, and the rows of the
    copy name them (kept out of var/media)."""
    return tmp_path_factory.getbasetemp() / "media"
