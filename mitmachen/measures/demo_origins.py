"""Demo: the winners of the finished Bürgerhaushalt, a question of the "Vitale
Innenstadt" survey, a comment and a paragraph of the Klimaschutzagenda draft become
measures, through the origins contract (``projects.origins``; the same
``services.measure_from_origin`` staff use on the "Maßnahme daraus machen" page). Their
status and progress are invented, the measures are marked ``is_demo`` and their pages
say so.

The modules' demos run in the order of ``INSTALLED_APPS``, where measures come before
budgets: the budgets module's demo (idempotent) runs first, through the registry.
"""

from __future__ import annotations

from typing import Any

from mitmachen.measures import services
from mitmachen.measures.models import FieldOfAction, Goal, Measure, MeasureOrigin, StatusKind
from mitmachen.measures.origins import content_type
from mitmachen.organisations.models import Organisation
from mitmachen.projects import modules, origins

ORGANISATION = "bad-belzig"
FIELD = "Bürgerhaushalt"
GOAL = "Die gewählten Ideen des Bürgerhaushalts umsetzen"
# Invented: status and progress of the winners in the order of their ideas.
PROGRESS = (
    (StatusKind.DONE, 100),
    (StatusKind.IN_PROGRESS, 60),
    (StatusKind.IN_PROGRESS, 25),
    (StatusKind.PREPARING, 10),
    (StatusKind.PLANNED, 0),
)
# One winner stays without a measure, so the results page shows "noch keine Maßnahme".
LEFT_OPEN = 1


def budget_winners(admin: Any, report: Any) -> None:
    try:
        kind = origins.kind("buergerhaushalt")
    except KeyError:  # budgets not installed
        return
    for module in modules.registered():
        if module.label == "budgets" and module.demo is not None:
            module.demo(report)
    organisation = Organisation.objects.filter(slug=ORGANISATION).first()
    if organisation is None:
        return
    linked = MeasureOrigin.objects.filter(content_type=content_type(kind)).exists()
    rows = [
        row
        for row in kind.rows().order_by("pk")
        if kind.organisation_id(row) == organisation.pk and kind.is_ready(row)
    ]
    if not rows or linked:
        return  # no finished budget, or made already (idempotent)
    field = FieldOfAction.objects.filter(organisation=organisation, title=FIELD).first()
    if field is None:
        field = services.field_of_action_save(
            user=admin, field=FieldOfAction(organisation=organisation, title=FIELD)
        )
        report.add("Handlungsfeld", field.title)
    goal = Goal.objects.filter(field=field, title=GOAL).first()
    if goal is None:
        goal = services.goal_save(user=admin, goal=Goal(field=field, title=GOAL))
        report.add("Ziel", goal.title)
    for n, row in enumerate(rows[: len(rows) - LEFT_OPEN]):
        status, progress = PROGRESS[n % len(PROGRESS)]
        measure = services.measure_from_origin(user=admin, origin=row, goal=goal)
        Measure.objects.filter(pk=measure.pk).update(is_demo=True)
        measure.is_demo = True
        measure.status = services.default_status(status)
        measure.progress_manual = progress
        services.measure_save(user=admin, measure=measure)
        report.add("Maßnahme aus dem Bürgerhaushalt", measure.title)


# Invented: measures made of a survey question, a comment and a draft's paragraph, each
# through ``services.measure_from_origin`` (the "Maßnahme daraus machen" page's service),
# so the demo shows the way from a contribution to a measure and back on both pages;
# and the whole survey linked to the market-square programme (``services.origin_add``).
# Each: the origin kind, how to find its row, the field of action and goal (of Bad
# Belzig), the measure's title and description, its status and progress.
CONTRIBUTIONS: tuple[dict[str, Any], ...] = (
    {
        "kind": "frage",
        "find": {
            "poll__title": "Vitale Innenstadt",
            "poll__project__slug": "meine-stadt-der-zukunft",
            "text__startswith": "Soll die Brandenburger Straße an Samstagen",
        },
        "field": "Vitale Innenstadt",
        "goal": "Der Marktplatz wird wieder Treffpunkt",
        "title": "Autofreie Samstage in der Brandenburger Straße (Probephase)",
        "description": (
            "Erfundenes Beispiel für die Demo der Plattform: Die Umfrage „Vitale "
            "Innenstadt“ hat gefragt, ob die Brandenburger Straße an Samstagen testweise "
            "autofrei werden soll. Die Stadt bereitet eine Probephase im Sommer vor."
        ),
        "status": StatusKind.PREPARING,
        "progress": 20,
    },
    {
        "kind": "kommentar",
        "find": {
            "parent__isnull": True,
            "text__startswith": "Unbedingt mit Rückenlehne!",
        },
        "field": "Vitale Innenstadt",
        "goal": "Der Marktplatz wird wieder Treffpunkt",
        "title": "Bänke mit Rückenlehne am Busbahnhof",
        "description": (
            "Erfundenes Beispiel für die Demo der Plattform: Ein Kommentar zum Vorschlag "
            "für Bänke am Marktplatz wies auf die Bänke am Busbahnhof hin, die für ältere "
            "Menschen kaum nutzbar sind. Sie werden durch Bänke mit Rückenlehne ersetzt."
        ),
        "status": StatusKind.IN_PROGRESS,
        "progress": 50,
    },
    {
        "kind": "absatz",
        "find": {
            "draft__slug": "klimaschutzagenda-entwurf",
            "text__contains": "Energiegenossenschaft",
        },
        "field": "Klimaschutzagenda",
        "goal": "Mehr Strom aus der Sonne",
        "title": "Energiegenossenschaft für Bürgersolaranlagen gründen",
        "description": (
            "Erfundenes Beispiel für die Demo der Plattform: Der Entwurf der "
            "Klimaschutzagenda will, dass sich Bürgerinnen und Bürger an Solar- und "
            "Windparks beteiligen können. Die Stadtwerke prüfen die Gründung einer "
            "Energiegenossenschaft."
        ),
        "status": StatusKind.PLANNED,
        "progress": 0,
    },
)
# The whole survey joins a catalogue measure as a further origin.
SURVEY = {"title": "Vitale Innenstadt", "project__slug": "meine-stadt-der-zukunft"}
SURVEY_MEASURE = "Marktplatz-Programm: Schatten, Bänke, Trinkbrunnen"


def _row(key: str, find: dict[str, Any]) -> Any:
    """The newest row of kind ``key`` matching ``find`` (a draft's newest version), or
    None (the module is not installed or its demo has no such row)."""
    try:
        kind = origins.kind(key)
    except KeyError:
        return None
    return kind.rows().filter(**find).order_by("-pk").first()


def contributions(admin: Any, report: Any) -> None:
    """Make the measures of ``CONTRIBUTIONS`` once (a row something became of already is
    left alone: idempotent) and link the survey to the market-square programme."""
    organisation = Organisation.objects.filter(slug=ORGANISATION).first()
    if organisation is None:
        return
    for spec in CONTRIBUTIONS:
        row = _row(spec["kind"], spec["find"])
        goal = Goal.objects.filter(
            field__organisation=organisation, field__title=spec["field"], title=spec["goal"]
        ).first()
        if row is None or goal is None:
            continue
        kind = origins.kind(spec["kind"])
        if MeasureOrigin.objects.filter(content_type=content_type(kind), object_id=row.pk).exists():
            continue
        measure = services.measure_from_origin(
            user=admin,
            origin=row,
            goal=goal,
            title=spec["title"],
            description=spec["description"],
        )
        Measure.objects.filter(pk=measure.pk).update(is_demo=True)
        measure.is_demo = True
        measure.status = services.default_status(spec["status"])
        measure.progress_manual = spec["progress"]
        services.measure_save(user=admin, measure=measure)
        report.add(f"Maßnahme aus: {kind.label}", measure.title)
    survey = _row("umfrage", SURVEY)
    market = Measure.objects.filter(organisation=organisation, title=SURVEY_MEASURE).first()
    if survey is not None and market is not None:
        if services.origin_add(user=admin, measure=market, origin=survey):
            report.add("Umfrage als Herkunft einer Maßnahme", market.title)
