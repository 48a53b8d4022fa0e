"""The measures of the demo region (``ParticipationModule.demo``): invented INSEK and
climate measures in every status, some born from demo proposals, with milestones and
updates. Written through the services by the demo administrator; idempotent (a measure
whose title exists is left alone); every measure is marked ``is_demo`` and its page says
it is invented."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from mitmachen.measures import services
from mitmachen.measures.demo_origins import budget_winners, contributions
from mitmachen.measures.models import (
    FieldOfAction,
    Goal,
    Measure,
    Milestone,
    Priority,
    ProgressMode,
    StatusKind,
)
from mitmachen.notifications.services import without_mail
from mitmachen.organisations.models import District, Organisation
from mitmachen.projects.models import Project
from mitmachen.proposals.models import Proposal

ADMIN = "admin@example.org"

# (organisation, field, project or None, [(goal, weight, [measure spec, …]), …])
CATALOGUE: list[tuple[str, str, str | None, list[tuple[str, int, list[dict[str, Any]]]]]] = [
    (
        "bad-belzig",
        "Vitale Innenstadt",
        "insek-bad-belzig-2035",
        [
            (
                "Der Marktplatz wird wieder Treffpunkt",
                2,
                [
                    {
                        "title": "Marktplatz-Programm: Schatten, Bänke, Trinkbrunnen",
                        "status": StatusKind.IN_PROGRESS,
                        "districts": ["bad-belzig"],
                        "responsible": "Bauamt, Sachgebiet Stadtplanung",
                        "cost": "185000",
                        "funding": "Städtebauförderung „Lebendige Zentren“",
                        "priority": Priority.HIGH,
                        "point": (52.1419, 12.5924),
                        # The market square and the streets next to it (invented outline).
                        "area": {
                            "type": "Polygon",
                            "coordinates": [
                                [
                                    [12.5912, 52.1413],
                                    [12.5936, 52.1413],
                                    [12.5938, 52.1425],
                                    [12.5910, 52.1426],
                                    [12.5912, 52.1413],
                                ]
                            ],
                        },
                        "proposals": ["Schattige Sitzplätze rund um den Marktplatz"],
                        "milestones": [
                            ("Standorte mit Feuerwehr und Markthändlern abgestimmt", -120, True, 1),
                            ("Acht Bänke mit Armlehnen aufgestellt", -30, True, 2),
                            ("Trinkbrunnen angeschlossen", 45, False, 1),
                            ("Sechs Bäume gepflanzt", 200, False, 2),
                        ],
                        "updates": [
                            "Die ersten acht Bänke stehen. Danke an alle, die im Frühjahr "
                            "mit uns über die Standorte gesprochen haben!",
                        ],
                    },
                    {
                        "title": "Feierabendmarkt im Sommer",
                        "status": StatusKind.DONE,
                        "districts": ["bad-belzig"],
                        "responsible": "Stadtmarketing",
                        "manual": 100,
                        "updates": [
                            "Der Feierabendmarkt fand von Juni bis August jeden Donnerstag statt."
                        ],
                    },
                ],
            ),
            (
                "Leerstand wird genutzt",
                1,
                [
                    {
                        "title": "Zwischennutzung leerer Läden in der Straße der Einheit",
                        "status": StatusKind.PREPARING,
                        "districts": ["bad-belzig"],
                        "responsible": "Wirtschaftsförderung",
                        "manual": 20,
                        "proposals": ["Leere Läden in der Straße der Einheit zwischennutzen"],
                    },
                    {
                        "title": "Städtische Innenstadt-Kita im ehemaligen Kaufhaus",
                        "status": StatusKind.DISCARDED,
                        "reason": "Das Gebäude ist statisch nicht für eine Kita geeignet; "
                        "die Kita entsteht stattdessen am Weitzgrunder Weg.",
                        "districts": ["bad-belzig"],
                        "manual": 0,
                    },
                ],
            ),
        ],
    ),
    (
        "bad-belzig",
        "Lokale Mobilität",
        "meine-stadt-der-zukunft",
        [
            (
                "Sicher und bequem zum Bahnhof",
                1,
                [
                    {
                        "title": "Überdachte Fahrradstellplätze am Bahnhof",
                        "from_proposal": "Überdachte und abschließbare Fahrradstellplätze "
                        "am Bahnhof",
                        "status": StatusKind.IN_PROGRESS,
                        "milestones": [
                            ("20 Fahrradbügel bestellt", -10, True, 1),
                            ("Überdachung genehmigt", 30, False, 1),
                            ("Abschließbare Boxen aufgestellt", 90, False, 2),
                        ],
                    },
                    {
                        "title": "Bordsteine absenken zwischen Bahnhof und Altstadt",
                        "status": StatusKind.PLANNED,
                        "districts": ["bad-belzig"],
                        "responsible": "Tiefbau",
                        "proposals": [
                            "Bordsteine absenken auf dem Weg vom Bahnhof in die Altstadt"
                        ],
                        "manual": 0,
                    },
                ],
            ),
            (
                "Die Dörfer bleiben angebunden",
                1,
                [
                    {
                        "title": "Rufbus am Nachmittag für Lüsse, Neschholz und Kuhlowitz",
                        "status": StatusKind.DEFERRED,
                        "reason": "Der Landkreis entscheidet erst im nächsten Nahverkehrsplan.",
                        "districts": ["luesse", "neschholz", "kuhlowitz"],
                        "proposals": [
                            "Rufbus für Lüsse, Neschholz und Kuhlowitz auch am Nachmittag"
                        ],
                        "manual": 10,
                    },
                ],
            ),
        ],
    ),
    (
        "bad-belzig",
        "Zukunftsfähige Wohnquartiere",
        "insek-bad-belzig-2035",
        [
            (
                "Wohnraum für alle Lebensphasen",
                1,
                [
                    {
                        "title": "Wohnbedarfsanalyse für Kernstadt und Ortsteile",
                        "status": StatusKind.DONE,
                        "responsible": "Bauamt mit einem Planungsbüro",
                        "cost": "42000",
                        "funding": "Haushalt der Stadt",
                        "milestones": [
                            ("Befragung der Haushalte", -300, True, 1),
                            ("Bericht im Bauausschuss", -90, True, 1),
                        ],
                    },
                ],
            ),
        ],
    ),
    (
        "bad-belzig",
        "Klimaschutzagenda",
        None,
        [
            (
                "Weniger Energie in städtischen Gebäuden",
                1,
                [
                    {
                        "title": "LED-Straßenbeleuchtung in allen Ortsteilen",
                        "status": StatusKind.IN_PROGRESS,
                        "districts": ["luebnitz", "ragoesen", "hagelberg"],
                        "responsible": "Stadtwerke",
                        "manual": 60,
                    },
                ],
            ),
            (
                "Mehr Strom aus der Sonne",
                1,
                [
                    {
                        "title": "Photovoltaik auf Schulen und Kitas",
                        "status": StatusKind.PREPARING,
                        "districts": ["bad-belzig"],
                        "responsible": "Gebäudemanagement mit den Stadtwerken",
                        "funding": "Förderprogramm des Landes (angefragt)",
                        "manual": 15,
                    },
                ],
            ),
        ],
    ),
    (
        "wiesenburg-mark",
        "Lokale Mobilität",
        None,
        [
            (
                "Mobil ohne eigenes Auto",
                1,
                [
                    {
                        "title": "On-Demand-Bus für die Dörfer der Gemeinde",
                        "status": StatusKind.PREPARING,
                        "districts": ["wiesenburg", "reetz", "schlamau", "medewitz"],
                        "responsible": "Gemeinde mit der Verkehrsgesellschaft",
                        "funding": "Landesprogramm „Meine Stadt der Zukunft“",
                        "priority": Priority.HIGH,
                        "milestones": [
                            ("Bedarf in den Dörfern erhoben", -60, True, 1),
                            ("Fahrzeug ausgeschrieben", 60, False, 1),
                            ("Probebetrieb", 240, False, 2),
                        ],
                    },
                ],
            ),
        ],
    ),
]


def demo(report: Any) -> None:
    admin = get_user_model().objects.filter(email=ADMIN).first()
    if admin is None:
        return
    with without_mail():
        for org_slug, field_title, project_slug, goals in CATALOGUE:
            organisation = Organisation.objects.filter(slug=org_slug).first()
            if organisation is None:
                continue
            project = Project.objects.filter(slug=project_slug).first() if project_slug else None
            field = FieldOfAction.objects.filter(
                organisation=organisation, title=field_title
            ).first()
            if field is None:
                field = services.field_of_action_save(
                    user=admin,
                    field=FieldOfAction(
                        organisation=organisation, title=field_title, project=project
                    ),
                )
                report.add("Handlungsfeld", field.title)
            for goal_title, weight, measures in goals:
                goal = Goal.objects.filter(field=field, title=goal_title).first()
                if goal is None:
                    goal = services.goal_save(
                        user=admin, goal=Goal(field=field, title=goal_title, weight=weight)
                    )
                    report.add("Ziel", goal.title)
                for spec in measures:
                    if Measure.objects.filter(
                        organisation=organisation, title=spec["title"]
                    ).exists():
                        continue
                    measure = _measure(admin, organisation, goal, project, spec)
                    report.add("Maßnahme", measure.title)
        _climate_targets(admin, report)
        budget_winners(admin, report)
        contributions(admin, report)


# The climate agenda's demo targets (climate's demo: indicator slugs in Bad Belzig) and
# the demo measures that work towards them.
CLIMATE_LINKS = (
    ("co2-emissionen", "LED-Straßenbeleuchtung in allen Ortsteilen"),
    ("co2-emissionen", "Photovoltaik auf Schulen und Kitas"),
    ("photovoltaik", "Photovoltaik auf Schulen und Kitas"),
)


def _climate_targets(admin: Any, report: Any) -> None:
    """Link the Klimaschutzagenda's demo measure to the demo climate targets. The
    climate module's demo (idempotent) runs first: the modules' demos run in the order
    of ``INSTALLED_APPS``, where measures come before climate."""
    from mitmachen.climate.models import Target
    from mitmachen.projects import modules

    for module in modules.registered():
        if module.label == "climate" and module.demo is not None:
            module.demo(report)
    for indicator_slug, title in CLIMATE_LINKS:
        measure = Measure.objects.filter(organisation__slug="bad-belzig", title=title).first()
        targets = Target.objects.filter(
            indicator__organisation__slug="bad-belzig", indicator__slug=indicator_slug
        ).select_related("indicator")
        if measure is None or not targets:
            continue
        linked = set(measure.climate_targets.all())
        if set(targets) <= linked:
            continue
        services.measure_save(user=admin, measure=measure, climate_targets=linked | set(targets))
        report.add("Maßnahme für ein Klima-Ziel", measure.title)


def _measure(
    admin: Any, organisation: Any, goal: Goal, project: Any, spec: dict[str, Any]
) -> Measure:
    today = timezone.localdate()
    if "from_proposal" in spec:
        proposal = Proposal.objects.get(title=spec["from_proposal"])
        measure = services.measure_from_proposal(
            user=admin, proposal=proposal, goal=goal, title=spec["title"]
        )
    else:
        districts = District.objects.filter(
            organisation=organisation, slug__in=spec.get("districts", [])
        )
        proposals = Proposal.objects.filter(
            project__organisation=organisation, title__in=spec.get("proposals", [])
        ).select_related("project")
        point = spec.get("point")
        measure = services.measure_save(
            user=admin,
            measure=Measure(
                organisation=organisation,
                goal=goal,
                project=project,
                title=spec["title"],
                description=spec.get("description", "")
                or "Erfundenes Beispiel für die Demo der Plattform.",
                responsible=spec.get("responsible", ""),
                cost=Decimal(spec["cost"]) if "cost" in spec else None,
                funding_source=spec.get("funding", ""),
                priority=spec.get("priority", Priority.MEDIUM),
                planned_start=today - timedelta(days=200),
                planned_end=today + timedelta(days=400),
                actual_start=today - timedelta(days=150)
                if spec["status"] in (StatusKind.IN_PROGRESS, StatusKind.DONE)
                else None,
                actual_end=today - timedelta(days=20)
                if spec["status"] == StatusKind.DONE
                else None,
                latitude=point[0] if point else None,
                longitude=point[1] if point else None,
                area=spec.get("area"),
                progress_mode=ProgressMode.MILESTONES
                if "milestones" in spec
                else ProgressMode.MANUAL,
                progress_manual=spec.get("manual", 0),
                status=services.default_status(spec["status"]),
                status_reason=spec.get("reason", ""),
                published=True,
            ),
            districts=districts,
            proposals=proposals,
        )
    Measure.objects.filter(pk=measure.pk).update(is_demo=True)
    measure.is_demo = True
    if "from_proposal" in spec:
        measure.progress_mode = ProgressMode.MILESTONES
        measure.status = services.default_status(spec["status"])
        services.measure_save(user=admin, measure=measure)
    for title, offset, done, weight in spec.get("milestones", []):
        services.milestone_save(
            user=admin,
            milestone=Milestone(
                measure=measure,
                title=title,
                due=today + timedelta(days=offset),
                done=done,
                weight=weight,
            ),
        )
    for text in spec.get("updates", []):
        services.update_post(user=admin, measure=measure, text=text, notify_followers=False)
    return measure
