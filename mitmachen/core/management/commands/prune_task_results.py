"""Delete finished background-task results after the retention period (personal data)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mitmachen.core.task_results import task_results_prune


class Command(BaseCommand):
    help = (
        "Delete finished task results (stored mails with addresses and links) older than "
        "TASK_RESULTS_RETENTION_DAYS days, in every queue. Run daily (cron or systemd timer)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Retention in days (default: the setting TASK_RESULTS_RETENTION_DAYS).",
        )

    def handle(self, *args: Any, days: int | None, **options: Any) -> None:
        if days is None:
            days = settings.TASK_RESULTS_RETENTION_DAYS
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        deleted = task_results_prune(older_than=timedelta(days=days))
        self.stdout.write(f"Deleted {deleted} finished task result(s) older than {days} day(s).")
