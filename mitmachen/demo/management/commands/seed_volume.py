"""manage.py seed_volume – large data for benchmarks (bulk inserts, exact counters)."""

from __future__ import annotations

import time
from dataclasses import fields
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mitmachen.demo.volume import Volume, already_seeded, seed_volume


class Command(BaseCommand):
    help = (
        "Legt Lastdaten für Benchmarks an: Kommunen, Projekte, Vorschläge, Kommentare, "
        "Unterstützungen und Konten (Standard: Stadtgröße). Läuft nur einmal pro Datenbank."
    )

    def add_arguments(self, parser: Any) -> None:
        for field in fields(Volume):
            parser.add_argument(
                f"--{field.name.replace('_', '-')}", type=int, default=field.default
            )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Nichts tun (ohne Fehler), wenn die Lastdaten schon da sind.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if already_seeded():
            if options["if_missing"]:
                self.stdout.write("Lastdaten sind schon angelegt.")
                return
            raise CommandError("Die Lastdaten sind schon angelegt (neue Datenbank verwenden).")
        volume = Volume(**{f.name: options[f.name] for f in fields(Volume)})
        if volume.big_project_proposals > volume.proposals or volume.users < 2:
            raise CommandError("Ungültige Mengen.")
        started = time.monotonic()
        counts = seed_volume(volume, log=self.stdout.write)
        summary = ", ".join(f"{name}: {n:,}" for name, n in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Fertig in {time.monotonic() - started:.0f} s – {summary}")
        )
