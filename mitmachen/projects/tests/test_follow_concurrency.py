"""A phase start found by two workers at the same time is announced exactly once
(PostgreSQL: real threads, each with its own connection and transaction)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.notifications.models import Notification
from mitmachen.projects import services
from mitmachen.projects.models import Follow
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]


def test_two_workers_notify_each_follower_once(monkeypatch):
    project = ProjectFactory()
    followers = UserFactory.create_batch(5)
    for person in followers:
        Follow.objects.create(user=person, project=project)
    now = timezone.now()
    PhaseFactory(project=project, start=now - timedelta(minutes=1), end=now + timedelta(days=7))

    # Both workers have read the due phase before either claims it: the worst case.
    both_read = threading.Barrier(2, timeout=20)
    real_due = services.due_phases

    def due_then_wait(moment):
        phases = real_due(moment)
        both_read.wait()
        return phases

    monkeypatch.setattr(services, "due_phases", due_then_wait)
    announced, errors = [], []

    def worker():
        try:
            announced.append(services.phases_started_notify())
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert sorted(announced) == [0, 1]
    for person in followers:
        assert Notification.objects.filter(recipient=person).count() == 1
