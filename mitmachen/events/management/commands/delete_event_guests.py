"""Delete guest registrations some days after their event (personal data)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mitmachen.events.services import guests_delete


class Command(BaseCommand):
    help = (
        "Delete the guest registrations (name, e-mail address, answers) of events that "
        "ended more than EVENTS_GUEST_RETENTION_DAYS days ago (default 30). Run daily "
        "(cron or systemd timer)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days after the event (default: the setting EVENTS_GUEST_RETENTION_DAYS).",
        )

    def handle(self, *args: Any, days: int | None, **options: Any) -> None:
        if days is None:
            days = settings.EVENTS_GUEST_RETENTION_DAYS
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        deleted = guests_delete(days=days)
        self.stdout.write(
            f"Deleted {deleted} guest registration(s) of events that ended over {days} day(s) ago."
        )
