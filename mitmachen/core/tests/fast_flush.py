"""Empty PostgreSQL tables after a transactional test with DELETE instead of TRUNCATE.

A transactional test (browser tests, the PostgreSQL race tests) cannot roll back, so
Django's ``flush`` empties every table afterwards with one ``TRUNCATE`` of all ~80 of
them. TRUNCATE gives each table a new file on disk: on the 2-core CI machine that took
2–4 s per test, while ``DELETE FROM`` of the same (small) tables takes 20–60 ms. Django
creates foreign keys ``DEFERRABLE INITIALLY DEFERRED``, so the deletes may run in any
order inside the flush's transaction. Tests only: a production flush keeps TRUNCATE.

After emptying the tables, ``flush`` sends ``post_migrate``, whose receivers fill in the
content types, the permissions and the site again: about 240 queries (Django's receivers
and ``core.signals.sync_site`` run once per app), 0.2 CPU s and on the loaded CI machine
1.5–3 s per transactional test. Their result is the same after every flush, so the first
flush of a test process lets them run and copies the rows they made (``migrated_<table>``
beside each table they filled); every later flush puts that copy back instead – a few
``INSERT … SELECT`` – and moves the sequences past the copied keys.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, connections, transaction

COPY_PREFIX = "migrated_"


def _delete_all(
    self: Any,
    style: Any,
    tables: list[str],
    *,
    reset_sequences: bool = False,
    allow_cascade: bool = False,
) -> list[str]:
    if reset_sequences or allow_cascade:
        # Asked to restart the ids or to empty tables outside the list: TRUNCATE does both.
        return _truncate(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    return ["SET CONSTRAINTS ALL DEFERRED;"] + [
        f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
        for table in tables
    ]


_truncate: Any = None
_emit_post_migrate: Any = None
# Per database alias: the tables post_migrate filled after the first flush.
_migrated: dict[str, list[str]] = {}


def _post_migrate_from_copy(
    verbosity: int, interactive: bool, database: str, **kwargs: Any
) -> None:
    """Stands in for ``emit_post_migrate_signal`` in the ``flush`` command (tests only)."""
    db = connections[database]
    quote = db.ops.quote_name
    if database not in _migrated:
        _emit_post_migrate(verbosity, interactive, database, **kwargs)
        filled = []
        with transaction.atomic(using=database), db.cursor() as cursor:
            for table in sorted(db.introspection.django_table_names(only_existing=True)):
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")
                if cursor.fetchone()[0]:
                    filled.append(table)
                    copy = quote(COPY_PREFIX + table)
                    cursor.execute(f"DROP TABLE IF EXISTS {copy}")
                    cursor.execute(f"CREATE TABLE {copy} AS SELECT * FROM {quote(table)}")
        _migrated[database] = filled
        return
    filled = _migrated[database]
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table in filled
    ]
    with transaction.atomic(using=database), db.cursor() as cursor:
        for table in filled:
            cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {quote(COPY_PREFIX + table)}")
        # After a flush that restarted the ids, the next row must not take a copied key.
        for statement in db.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    # post_migrate's receivers empty these caches too (content type ids may differ from
    # the ones cached during the test).
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    if apps.is_installed("django.contrib.sites"):
        from django.contrib.sites.models import Site

        Site.objects.clear_cache()


def install() -> None:
    """Patch PostgreSQL's operations and the flush command's post_migrate (no-op on SQLite,
    which deletes row by row anyway)."""
    global _truncate, _emit_post_migrate
    if connection.vendor != "postgresql" or _truncate is not None:
        return
    from django.core.management.commands import flush
    from django.db.backends.postgresql.operations import DatabaseOperations

    _truncate = DatabaseOperations.sql_flush
    DatabaseOperations.sql_flush = _delete_all  # type: ignore[method-assign,assignment]
    _emit_post_migrate = flush.emit_post_migrate_signal  # type: ignore[attr-defined]
    flush.emit_post_migrate_signal = _post_migrate_from_copy  # type: ignore[attr-defined]
