"""Remind the people registered for tomorrow's events (once each)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mitmachen.events.services import reminders_send


class Command(BaseCommand):
    help = (
        "Remind everyone with a place in an event that starts tomorrow (Europe/Berlin): "
        "accounts in-app and by mail, guests by mail. Each registration is reminded "
        "exactly once, also with overlapping runs. Run hourly or daily (cron or systemd "
        "timer); the mails are sent by db_worker."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Sent {reminders_send()} reminder(s).")
