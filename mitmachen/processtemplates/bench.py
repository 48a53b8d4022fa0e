"""The template pages in ``make bench``: the library, the shared big project's entry and
its export page (staff), with the benchmark's city-size data in every module."""

from __future__ import annotations

from django.urls import reverse

from mitmachen.projects.modules import BenchContext, BenchPage


def bench(context: BenchContext) -> tuple[BenchPage, ...]:
    from mitmachen.core.channels import Channel
    from mitmachen.processtemplates.services import template_share

    shared = template_share(
        user=context.staff,
        project=context.project,
        method="Lastdaten (erfunden): ein großer Prozess, geteilt für die Messung.",
        channels=[Channel.ONLINE, Channel.WORKSHOP],
    )
    context.log("Vorlage des großen Projekts geteilt.")
    slug = context.project.slug
    return (
        BenchPage("Vorlagen-Bibliothek", reverse("processtemplates:library")),
        BenchPage("Geteilte Vorlage (großes Projekt)", shared.get_absolute_url()),
        BenchPage(
            "Vorlage exportieren (Verwaltung)",
            reverse("processtemplates:export", args=[slug]),
            anonymous=False,
            signed_in=False,
            staff=True,
        ),
        BenchPage(
            "Vorlagendatei herunterladen (Verwaltung)",
            reverse("processtemplates:export_file", args=[slug]),
            anonymous=False,
            signed_in=False,
            staff=True,
        ),
    )
