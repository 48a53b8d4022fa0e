"""Stored results of background tasks (django-tasks-db) hold personal data.

A finished mail task keeps its arguments: the recipient's address, the whole
message, often a personal link. They are pruned after a retention period
(``prune_task_results``, run by the operator on a schedule) and, when an account is
deleted, at once for every row that mentions the person's address.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def task_results_prune(*, older_than: timedelta) -> int:
    """Delete finished (successful or failed) task results older than ``older_than``.

    Waiting and running tasks stay. Returns the number of rows deleted.
    """
    cutoff = timezone.now() - older_than
    deleted, _ = (
        DBTaskResult.objects.finished()
        .filter(Q(finished_at__lte=cutoff) | Q(finished_at__isnull=True, enqueued_at__lte=cutoff))
        .delete()
    )
    return deleted


def task_results_delete_mentioning(*, text: str) -> int:
    """Delete every task result whose arguments contain ``text`` (case-insensitive).

    Used with a person's e-mail address when their account is deleted. Running tasks
    stay (the worker holds them); the scheduled pruning removes them once finished.
    The arguments are searched as stored JSON text, also in JSON-escaped form
    (non-ASCII letters are stored as ``\\u00fc`` on SQLite). Returns the number deleted.
    """
    text = text.strip()
    if not text:
        return 0
    forms = {text, json.dumps(text)[1:-1]}
    condition = Q()
    for form in forms:
        condition |= Q(arguments__icontains=form)
    deleted, _ = (
        DBTaskResult.objects.exclude(status=TaskResultStatus.RUNNING)
        .annotate(arguments=Cast("args_kwargs", TextField()))
        .filter(condition)
        .delete()
    )
    return deleted
