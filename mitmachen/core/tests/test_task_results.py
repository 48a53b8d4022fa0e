from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mitmachen.core.mail import send_email
from mitmachen.core.task_results import task_results_delete_mentioning

pytestmark = pytest.mark.django_db

DB_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]}
}


@pytest.fixture
def mails(settings, monkeypatch):
    """Three sent mails (8, 3 and 0 days ago) and one still waiting, in the database."""
    settings.TASKS = DB_TASKS
    # The worker closes "old" connections; on PostgreSQL that is the test's own.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    for n in range(3):
        send_email.enqueue(subject="Bestätigen", body=f"Link {n}", to=[f"p{n}@example.org"])
    call_command("db_worker", batch=True, queue_name="*", no_startup_delay=True, verbosity=0)
    rows = list(DBTaskResult.objects.order_by("args_kwargs"))
    for row, days in zip(rows, [8, 3, 0], strict=True):
        DBTaskResult.objects.filter(pk=row.pk).update(
            finished_at=timezone.now() - timedelta(days=days)
        )
    send_email.enqueue(subject="Wartet", body="noch", to=["p9@example.org"])
    return rows


def remaining():
    return sorted(r.args_kwargs["kwargs"]["to"][0] for r in DBTaskResult.objects.all())


def test_prune_deletes_finished_results_after_the_configured_retention(mails, settings):
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 3
    settings.TASK_RESULTS_RETENTION_DAYS = 7
    call_command("prune_task_results", verbosity=0)
    # Both queues ("mail" included); the waiting mail stays.
    assert remaining() == ["p1@example.org", "p2@example.org", "p9@example.org"]
    call_command("prune_task_results", days=2, verbosity=0)
    assert remaining() == ["p2@example.org", "p9@example.org"]


def test_prune_refuses_a_negative_retention(mails):
    with pytest.raises(CommandError):
        call_command("prune_task_results", days=-1)
    assert DBTaskResult.objects.count() == 4


def test_results_mentioning_an_address_are_deleted(mails):
    assert task_results_delete_mentioning(text="P1@example.org") == 1
    assert task_results_delete_mentioning(text="  ") == 0
    assert remaining() == ["p0@example.org", "p2@example.org", "p9@example.org"]
