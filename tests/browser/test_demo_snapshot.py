"""The ``demo`` fixture restores a copy of the demo region instead of seeding it for
every test: the copy must be what seed_demo() makes, and the database must go on
working after it (new rows, generic relations)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.db import connection


def _rows_per_table() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(only_existing=True)):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _natural_keys() -> dict[str, list[Any]]:
    user = apps.get_model("accounts", "User")
    project = apps.get_model("projects", "Project")
    return {
        "users": sorted(user.objects.values_list("email", flat=True)),
        "projects": sorted(project.objects.values_list("slug", "title")),
    }


def test_the_restored_demo_is_what_seed_demo_makes(demo: None, settings, tmp_path) -> None:
    restored = _rows_per_table(), _natural_keys()
    assert restored[0]["projects_project"] > 0 and restored[0]["polls_response"] > 0

    call_command("flush", verbosity=0, interactive=False)
    settings.MEDIA_ROOT = tmp_path
    from mitmachen.demo.services import seed_demo

    seed_demo()
    assert (_rows_per_table(), _natural_keys()) == restored


def test_after_the_restore_new_rows_and_content_types_work(demo: None) -> None:
    from django.contrib.contenttypes.models import ContentType

    from mitmachen.accounts.tests.factories import UserFactory
    from mitmachen.projects.models import Project

    # The next keys lie past the restored ones (no IntegrityError on PostgreSQL).
    restored = max(apps.get_model("accounts", "User").objects.values_list("pk", flat=True))
    users = [UserFactory(), UserFactory()]
    assert users[1].pk > users[0].pk > restored
    cached = ContentType.objects.get_for_model(Project)
    stored = ContentType.objects.filter(app_label="projects", model="project").get()
    assert cached.pk == stored.pk
