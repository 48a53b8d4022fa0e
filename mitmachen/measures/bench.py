"""The measures' pages in ``make bench`` (``ParticipationModule.bench``): a catalogue of
500 measures in 8 fields of action of the big project's municipality, with 4 milestones
each and 2,000 updates (one measure with 100 of them, the page the bench loads).

Written in bulk; every stored figure is the one the services would store: a measure's
progress from its milestones (``progress.milestone_progress``) or by hand, a discarded
measure with its reason. Goals and fields are never stored, so their roll-ups are exact
by construction (``selectors.catalogue`` computes them when a page is drawn).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from shapely.geometry import shape

from mitmachen.measures.models import (
    FieldOfAction,
    Goal,
    Measure,
    MeasureUpdate,
    Milestone,
    ProgressMode,
    StatusKind,
)
from mitmachen.measures.progress import milestone_progress
from mitmachen.measures.services import default_status
from mitmachen.projects.modules import BenchContext, BenchPage, changed

FIELDS = 8
GOALS_PER_FIELD = 3
MILESTONES = 4
MARK = "(Lastdaten)"
FIELD_TITLES = [
    "Vitale Innenstadt",
    "Mobilität vor Ort",
    "Zukunftsfähige Quartiere",
    "Klimaschutz",
    "Digitalisierung",
    "Bildung und Familie",
    "Kultur und Tourismus",
    "Gesundheit und Pflege",
]
STATUS_CYCLE = [
    StatusKind.IN_PROGRESS,
    StatusKind.PLANNED,
    StatusKind.PREPARING,
    StatusKind.IN_PROGRESS,
    StatusKind.DONE,
    StatusKind.DEFERRED,
    StatusKind.IN_PROGRESS,
    StatusKind.DISCARDED,
]
UPDATE_TEXTS = [
    "Die Planung ist mit den Fachbereichen abgestimmt.",
    "Der Förderantrag ist gestellt; die Entscheidung erwarten wir im Frühjahr.",
    "Die Bauarbeiten haben begonnen. Es kann zu Sperrungen kommen.",
    "Der erste Abschnitt ist fertig und wurde mit Anwohnenden begangen.",
]


def _sizes(small: bool) -> tuple[int, int, int]:
    """(measures, updates in all, updates of the benchmark's measure)."""
    return (16, 12, 5) if small else (500, 2000, 100)


@contextmanager
def _given_created_at() -> Iterator[None]:
    """Let bulk_create keep the ``created_at`` set on updates (spread over time, as in
    real data) instead of stamping every row with the same "now"."""
    field = MeasureUpdate._meta.get_field("created_at")
    saved = field.auto_now_add
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = saved


def _title(n: int) -> str:
    return f"{FIELD_TITLES[n % len(FIELD_TITLES)]} {MARK}"


@transaction.atomic
def _catalogue(context: BenchContext) -> tuple[Measure, FieldOfAction]:
    """The catalogue (created once); returns the measure with the most updates and the
    first field of action."""
    project = context.project
    organisation = project.organisation
    existing = FieldOfAction.objects.filter(organisation=organisation, title=_title(0)).first()
    if existing is not None:
        measure = (
            Measure.objects.filter(goal__field=existing).order_by("pk").first()
        )  # the first measure is the one with the most updates
        assert measure is not None
        return measure, existing
    measure_n, update_n, first_updates = _sizes(context.small)
    fields = FieldOfAction.objects.bulk_create(
        FieldOfAction(
            organisation=organisation,
            project=project,
            title=_title(n),
            description="Ein Handlungsfeld der Lastdaten (erfunden).",
            order=100 + n,
        )
        for n in range(FIELDS)
    )
    goals = Goal.objects.bulk_create(
        Goal(field=field, title=f"Ziel {g + 1} – {field.title}", weight=1 + g, order=g)
        for field in fields
        for g in range(GOALS_PER_FIELD)
    )
    statuses = {kind: default_status(kind) for kind in set(STATUS_CYCLE)}
    districts = list(project.districts.order_by("pk").values_list("pk", flat=True))
    # Every second measure gets a point inside one of the project's Ortsteile (the map).
    spots = [
        shape(geometry).representative_point()
        for geometry in project.districts.order_by("pk").values_list("geometry", flat=True)
        if geometry
    ]
    today = timezone.localdate()
    # Milestones first as plain data: the progress of a measure follows from them.
    plans: list[list[tuple[str, date, bool, int]]] = []
    measures: list[Measure] = []
    for n in range(measure_n):
        kind = STATUS_CYCLE[n % len(STATUS_CYCLE)]
        start = today - timedelta(days=400) + timedelta(days=7 * (n % 80))
        end = start + timedelta(days=180 + 30 * (n % 12))
        done = {StatusKind.DONE: MILESTONES, StatusKind.PLANNED: 0}.get(kind, n % MILESTONES)
        plan = [
            (
                f"Schritt {m + 1}",
                start + (end - start) * (m + 1) / MILESTONES,
                m < done,
                1 + (m + n) % 3,
            )
            for m in range(MILESTONES)
        ]
        plans.append(plan)
        from_milestones = n % 2 == 0
        manual = (n * 37) % 101
        progress = milestone_progress((w, d) for _t, _due, d, w in plan)
        measures.append(
            Measure(
                organisation=organisation,
                goal=goals[n % len(goals)],
                project=project,
                title=f"Maßnahme {n + 1} {MARK}",
                description="Eine erfundene Maßnahme der Lastdaten mit Meilensteinen.",
                responsible="Fachbereich Stadtentwicklung",
                cost=10_000 + 2_500 * (n % 40),
                funding_source="Städtebauförderung" if n % 3 else "Haushalt der Stadt",
                planned_start=start,
                planned_end=end,
                actual_start=start + timedelta(days=14) if kind != StatusKind.PLANNED else None,
                actual_end=end + timedelta(days=30) if kind == StatusKind.DONE else None,
                status=statuses[kind],
                status_reason=(
                    "Der Stadtrat hat andere Prioritäten gesetzt (erfunden)."
                    if kind == StatusKind.DISCARDED
                    else ""
                ),
                progress_mode=ProgressMode.MILESTONES if from_milestones else ProgressMode.MANUAL,
                progress_manual=manual,
                progress=progress if from_milestones else manual,
                weight=1 + n % 4,
                published=True,
                is_demo=True,
                latitude=spots[n % len(spots)].y + (n % 7) / 5000 if spots and n % 2 else None,
                longitude=spots[n % len(spots)].x + (n % 5) / 5000 if spots and n % 2 else None,
            )
        )
    measures = Measure.objects.bulk_create(measures, batch_size=500)
    Milestone.objects.bulk_create(
        (
            Milestone(measure=measure, title=title, due=due, done=done, weight=weight)
            for measure, plan in zip(measures, plans, strict=True)
            for title, due, done, weight in plan
        ),
        batch_size=1000,
    )
    if districts:
        through = Measure.districts.through
        through.objects.bulk_create(
            (
                through(measure_id=m.pk, district_id=districts[i % len(districts)])
                for i, m in enumerate(measures)
            ),
            batch_size=1000,
        )
    # The first measure gets ``first_updates``; the others share the rest in turn.
    now = timezone.now()
    targets = [measures[0]] * first_updates + [
        measures[1 + i % (len(measures) - 1)] for i in range(update_n - first_updates)
    ]
    with _given_created_at():
        MeasureUpdate.objects.bulk_create(
            (
                MeasureUpdate(
                    measure=measure,
                    author=context.staff,
                    text=UPDATE_TEXTS[i % len(UPDATE_TEXTS)],
                    created_at=now - timedelta(hours=6 * i),
                )
                for i, measure in enumerate(targets)
            ),
            batch_size=1000,
        )
    # Bulk inserts send no signal; measures show on pages of no project too.
    changed(everywhere=True)
    context.log(
        f"Maßnahmenkatalog: {FIELDS} Handlungsfelder, {len(goals)} Ziele, {len(measures)} "
        f"Maßnahmen, {len(measures) * MILESTONES} Meilensteine, {len(targets)} Neuigkeiten."
    )
    return measures[0], fields[0]


def bench(context: BenchContext) -> tuple[BenchPage, ...]:
    measure, field = _catalogue(context)
    slug = context.project.organisation.slug
    measure_n, _update_n, first_updates = _sizes(context.small)
    overview = reverse("measures:overview", args=[slug])
    pages: list[Any] = [
        BenchPage(f"Umsetzung: Katalog mit {measure_n} Maßnahmen", overview),
        BenchPage(
            "Umsetzung: gefiltert nach Handlungsfeld und Status",
            f"{overview}?handlungsfeld={field.pk}&status={StatusKind.IN_PROGRESS}",
        ),
        BenchPage(
            f"Maßnahme mit {first_updates} Neuigkeiten und {MILESTONES} Meilensteinen",
            measure.get_absolute_url(),
        ),
        BenchPage("Umsetzung: Atom-Feed der Neuigkeiten", reverse("measures:feed", args=[slug])),
        BenchPage(
            f"Umsetzung: Karte (die Hälfte von {measure_n} Maßnahmen mit Ort)",
            reverse("measures:map", args=[slug]),
        ),
        BenchPage(
            f"Umsetzung: Excel-Export mit {measure_n} Maßnahmen (Verwaltung)",
            reverse("measures:export_xlsx", args=[slug]),
            anonymous=False,
            signed_in=False,
            staff=True,
        ),
    ]
    return tuple(pages)
