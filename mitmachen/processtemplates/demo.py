"""The demo's template exchange (``ParticipationModule.demo``): Bad Belzig shares
"Meine Stadt der Zukunft" in the library, and the small third municipality of the demo,
Haldensleben (invented demo data), starts its own process from that template – through
the import service, as its administrator would. Idempotent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from mitmachen.accounts.models import User
from mitmachen.core.channels import Channel
from mitmachen.organisations.models import Organisation
from mitmachen.processtemplates import services
from mitmachen.processtemplates.models import SharedTemplate
from mitmachen.projects import setup_services
from mitmachen.projects.models import Project, Visibility

SOURCE = "meine-stadt-der-zukunft"
METHOD = """\
Wir haben mit einer kurzen **Umfrage** begonnen (online und auf Papier im Bürgerbüro),
um zu erfahren, wie die Menschen die Innenstadt nutzen. Danach konnten alle acht Wochen
lang **Vorschläge** einreichen und unterstützen; ab 50 Unterstützungen prüfte die
Verwaltung jeden Vorschlag und antwortete öffentlich. Eine **Debatte** zur autofreien
Brandenburger Straße lief parallel.

Bewährt hat sich der Marktstand am Samstag: dort kamen viele Vorschläge von Menschen, die
online nicht mitgemacht hätten. Beim nächsten Mal würden wir die Umfrage kürzer halten.

*Demo: Dieser Bericht ist erfunden.*
"""
HALDENSLEBEN_TITLE = "Unsere Stadt der Zukunft – Haldensleben"
HALDENSLEBEN_SUMMARY = (
    "Haldensleben sammelt Ideen für eine lebendige Innenstadt, Wege ohne Auto und gutes "
    "Wohnen – nach dem Vorbild von Bad Belzig. (Demo: erfunden.)"
)
HALDENSLEBEN_DESCRIPTION = """\
Dieser Beteiligungsprozess ist aus der Vorlage **„Meine Stadt der Zukunft“** der Stadt
Bad Belzig entstanden, die Bad Belzig in der Vorlagen-Bibliothek teilt: Phasen, Umfrage,
Debatte und die Einstellungen der Vorschläge wurden mit einem Schritt übernommen.

*Alle Inhalte zu Haldensleben in dieser Demo sind erfunden; die Stadt nimmt an dieser
Plattform nicht teil.*
"""


def seed_demo(report: Any) -> None:
    source = Project.objects.filter(slug=SOURCE).first()
    manager = User.objects.filter(email="projekt@example.org").first()
    if source is None or manager is None:
        return
    if not SharedTemplate.objects.filter(project=source).exists():
        services.template_share(
            user=manager,
            project=source,
            method=METHOD,
            channels=[Channel.ONLINE, Channel.MARKET_STAND, Channel.OFFICE],
        )
        report.add("Geteilte Vorlage", source.title)
    town = Organisation.objects.filter(slug="haldensleben").first()
    admin = User.objects.filter(email="haldensleben@example.org").first()
    if town is None or admin is None or Project.objects.filter(organisation=town).exists():
        return
    shared = SharedTemplate.objects.get(project=source)
    # Bad Belzig's meetings (a market stand, the Mitmachmobil in its villages) are places
    # of Bad Belzig: Haldensleben plans its own and takes every other part.
    document = dict(shared.document)
    document["modules"] = {k: v for k, v in document["modules"].items() if k != "events"}
    # Started ten days ago: the survey phase of the template runs now.
    project = services.template_import(
        user=admin,
        organisation=town,
        raw=services.template_dumps(document),
        start=timezone.localdate() - timedelta(days=10),
    )
    setup_services.project_update(
        user=admin,
        project=project,
        topics=list(project.topics.all()),
        districts=[],
        title=HALDENSLEBEN_TITLE,
        slug="stadt-der-zukunft-haldensleben",
        summary=HALDENSLEBEN_SUMMARY,
        description=HALDENSLEBEN_DESCRIPTION,
        image_alt="",
    )
    setup_services.project_set_visibility(user=admin, project=project, visibility=Visibility.PUBLIC)
    report.add("Beteiligungsprozess", project.title)
