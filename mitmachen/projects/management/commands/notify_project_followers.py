"""Tell followers about what became due by time: new phases, surveys opening, results."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from mitmachen.projects.follow_events import follow_checks
from mitmachen.projects.services import phases_started_notify


class Command(BaseCommand):
    help = (
        "Notify the followers of projects about phases that have started and about what "
        "the modules register (surveys that opened, results that became public). Each "
        "thing is announced exactly once, also with parallel runs. Run every few minutes "
        "(cron or systemd timer)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        self.stdout.write(f"phases: {phases_started_notify(now=now)} announced")
        for name, check in follow_checks().items():
            self.stdout.write(f"{name}: {check(now)} announced")
