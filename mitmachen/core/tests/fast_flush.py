"""Empty PostgreSQL tables after a transactional test with DELETE instead of TRUNCATE.

A transactional test (browser tests, the PostgreSQL race tests) cannot roll back, so
Django's ``flush`` empties every table afterwards with one ``TRUNCATE`` of all ~80 of
them. TRUNCATE gives each table a new file on disk: on the 2-core CI machine that took
2–4 s per test, while ``DELETE FROM`` of the same (small) tables takes 20–60 ms. Django
creates foreign keys ``DEFERRABLE INITIALLY DEFERRED``, so the deletes may run in any
order inside the flush's transaction. Tests only: a production flush keeps TRUNCATE.
"""

from __future__ import annotations

from typing import Any

from django.db import connection


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


def install() -> None:
    """Patch PostgreSQL's operations (no-op on SQLite, which deletes row by row anyway)."""
    global _truncate
    if connection.vendor != "postgresql" or _truncate is not None:
        return
    from django.db.backends.postgresql.operations import DatabaseOperations

    _truncate = DatabaseOperations.sql_flush
    DatabaseOperations.sql_flush = _delete_all  # type: ignore[method-assign,assignment]
