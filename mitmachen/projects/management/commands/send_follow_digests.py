"""Send the weekly summary mails of followed projects."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mitmachen.projects.services import follow_digests_send


class Command(BaseCommand):
    help = (
        "Send each person who chose the weekly summary one mail with what is new in the "
        "projects they follow, grouped by project. At most one mail per person and ISO "
        "week, however often it runs. Run once a week (cron or systemd timer)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = follow_digests_send()
        self.stdout.write(f"Queued {sent} weekly summary mail(s).")
