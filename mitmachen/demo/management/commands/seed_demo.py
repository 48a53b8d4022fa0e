"""manage.py seed_demo – load the Bad Belzig / Wiesenburg/Mark demo region."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mitmachen.demo.services import demo_logins, seed_demo


class Command(BaseCommand):
    help = "Lädt die Demo-Region Bad Belzig und Wiesenburg/Mark (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_demo()
        if report.created:
            for line in report.created:
                self.stdout.write(f"  + {line}")
            self.stdout.write(self.style.SUCCESS(f"{len(report.created)} Einträge angelegt."))
        else:
            self.stdout.write("Demo-Region ist bereits vollständig geladen; nichts geändert.")
        self.stdout.write("\nDemo-Zugänge:")
        for login in demo_logins():
            self.stdout.write(f"  {login['name']:<28} {login['email']:<28} {login['password']}")
