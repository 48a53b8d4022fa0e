"""The flush after a transactional test empties every table (fast_flush.py on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.projects.tests.factories import PhaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_flush_empties_every_table_whatever_refers_to_what():
    # Rows that refer to each other across apps (membership → user and organisation,
    # phase → project → organisation): deleted in table order, checked at commit.
    MembershipFactory()
    PhaseFactory()
    call_command("flush", verbosity=0, interactive=False)
    # (Django's flush fills content types, permissions and the site in again.)
    left = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model.__module__.startswith("mitmachen.")
    }
    assert "organisations.Membership" in left
    assert not {label: n for label, n in left.items() if n}


def test_on_postgresql_the_flush_deletes_instead_of_truncating():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's flush deletes anyway")
    from django.core.management.color import no_style

    statements = connection.ops.sql_flush(no_style(), ["a", "b"])
    assert statements == ["SET CONSTRAINTS ALL DEFERRED;", 'DELETE FROM "a";', 'DELETE FROM "b";']
    # Restarting ids still truncates (nothing here asks for it, but Django may).
    assert "TRUNCATE" in connection.ops.sql_flush(no_style(), ["a"], reset_sequences=True)[0]
