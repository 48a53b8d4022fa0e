"""manage.py import_districts – import Ortsteile from a GeoJSON FeatureCollection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mitmachen.organisations.geo import GeometryError
from mitmachen.organisations.models import Organisation
from mitmachen.organisations.services import districts_import


class Command(BaseCommand):
    help = (
        "Importiert Ortsteile einer Kommune aus einer GeoJSON-FeatureCollection "
        "(Polygone in WGS84). Vorhandene Ortsteile werden über die Kurzbezeichnung "
        "aktualisiert."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="Kurzbezeichnung der Kommune, z. B. bad-belzig")
        parser.add_argument("file", type=Path, help="GeoJSON-Datei")
        parser.add_argument("--name-property", default="name", help="Eigenschaft mit dem Namen")
        parser.add_argument(
            "--slug-property", default="slug", help="Eigenschaft mit der Kurzbezeichnung"
        )
        parser.add_argument(
            "--demo", action="store_true", help="Grenzen als Demo-Grenzen markieren"
        )
        parser.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts speichern")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organisation = Organisation.objects.get(slug=options["organisation"])
        except Organisation.DoesNotExist as error:
            raise CommandError(
                f"Keine Kommune mit der Kurzbezeichnung „{options['organisation']}“."
            ) from error
        path: Path = options["file"]
        try:
            collection = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise CommandError(f"Datei nicht gefunden: {path}") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"Die Datei ist kein gültiges JSON: {error}") from error
        try:
            result = districts_import(
                organisation=organisation,
                collection=collection,
                name_property=options["name_property"],
                slug_property=options["slug_property"],
                demo_boundaries=True if options["demo"] else None,
                dry_run=options["dry_run"],
            )
        except GeometryError as error:
            raise CommandError(str(error)) from error
        prefix = "[Probelauf] " if options["dry_run"] else ""
        for name in result.created:
            self.stdout.write(f"{prefix}neu:            {name}")
        for name in result.updated:
            self.stdout.write(f"{prefix}aktualisiert:   {name}")
        for label, reason in result.rejected:
            self.stderr.write(f"{prefix}abgelehnt:      {label} – {reason}")
        summary = (
            f"{prefix}{len(result.created)} neu, {len(result.updated)} aktualisiert, "
            f"{len(result.rejected)} abgelehnt."
        )
        self.stdout.write(
            self.style.WARNING(summary) if result.rejected else self.style.SUCCESS(summary)
        )
        if result.rejected and not (result.created or result.updated):
            raise CommandError("Kein Ortsteil importiert.")
