"""The Bürgerhaushalt's pages in ``make bench`` (``ParticipationModule.bench``).

Two budgets of the same size, each with 2 groups, 200 ideas (180 feasible, 20 not) and
20,000 counted ballots (online ones of load accounts and confirmed paper ones), inserted
in bulk with exact counters:

- in the big project a budget whose ballot is open (its current phase also allows
  voting): the idea list, an idea page and the ballot page of a resident who has not
  voted;
- a finished budget (last year's): its ballot ended, so it needs a project of its own in
  the big project's municipality (a project's phases are its budgets' phases). Its
  results are computed once here through ``services.group_result`` and
  ``services.group_result_compute`` (what the background task runs), so the results
  page is measured reading a stored result, as every visit after the first does.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mitmachen.budgets import services
from mitmachen.budgets.models import (
    SUBMIT_IDEA,
    VOTE,
    Ballot,
    BallotChoice,
    BallotRule,
    Budget,
    BudgetGroup,
    Feasibility,
    Idea,
    PaperBatch,
    ResultRule,
)
from mitmachen.projects.models import Phase, Project, Visibility
from mitmachen.projects.modules import BenchContext, BenchPage, changed

OPEN_TITLE = "Bürgerhaushalt (Lastdaten)"
CLOSED_TITLE = "Bürgerhaushalt Vorjahr (Lastdaten)"
CLOSED_PROJECT_SLUG = "last-buergerhaushalt-vorjahr"
IDEAS = 200
BALLOTS = 20_000
BATCH = 5000
SUBJECTS = [
    "Trinkbrunnen", "Parkbank", "Spielplatz", "Bushaltestelle", "Radweg", "Baumreihe",
    "Bolzplatz", "Bücherschrank", "Mitfahrbank", "Fahrradbügel", "Sitzgruppe", "Hochbeet",
]  # fmt: skip
PLACES = ["am Markt", "im Park", "an der Schule", "am Bahnhof", "am Dorfteich", "am Friedhof"]


def _sizes(small: bool) -> tuple[int, int]:
    return (10, 12) if small else (IDEAS, BALLOTS)


def _groups(budget: Budget, district: Any) -> list[BudgetGroup]:
    town = services.group_create(budget=budget, name="Ganze Stadt", amount=300_000, order=1)
    local = services.group_create(
        budget=budget,
        name=f"Ortsteilbudget {district.name}" if district else "Ortsteilbudget",
        amount=60_000,
        ballot_rule=BallotRule.APPROVAL,
        max_choices=3,
        districts=[district] if district else [],
        order=2,
    )
    return [town, local]


def _ideas(
    budget: Budget, groups: list[BudgetGroup], authors: list[int], n: int, district: Any
) -> dict[int, list[Idea]]:
    """``n`` reviewed ideas, three quarters for the whole town; every tenth unfeasible."""
    rng = random.Random(budget.title)  # noqa: S311 - reproducible load data, not secrets
    now = timezone.now()
    rows = []
    for i in range(n):
        group = groups[0] if i % 4 else groups[1]
        cost = (
            rng.randrange(2_000, 40_000, 500)
            if group is groups[0]
            else rng.randrange(1_000, 20_000, 500)
        )
        feasible = i % 10 != 9
        rows.append(
            Idea(
                budget=budget,
                project_id=budget.project_id,
                group=group,
                author_id=authors[i % len(authors)],
                title=f"{SUBJECTS[i % len(SUBJECTS)]} {PLACES[i % len(PLACES)]} ({i + 1})",
                description="Eine Idee der Lastdaten (erfunden).",
                estimated_cost=cost,
                district=district if group is groups[1] else None,
                feasibility=Feasibility.FEASIBLE if feasible else Feasibility.UNFEASIBLE,
                official_cost=cost + 1_000 if feasible else None,
                explanation="Geprüft (Lastdaten)."
                if feasible
                else "Nicht machbar: Die Fläche gehört nicht der Stadt (Lastdaten).",
                reviewed_at=now,
            )
        )
    Idea.objects.bulk_create(rows, batch_size=BATCH)
    feasible_ideas: dict[int, list[Idea]] = {g.pk: [] for g in groups}
    for idea in Idea.objects.on_ballot().filter(budget=budget).order_by("pk"):
        feasible_ideas[idea.group_id].append(idea)
    return feasible_ideas


def _choices(rng: random.Random, group: BudgetGroup, ideas: list[Idea]) -> list[Idea]:
    """A valid ballot: popular ideas more often (a skewed pick), within the group's rule."""
    wanted = rng.randint(1, 6)
    chosen: list[Idea] = []
    spent = 0
    for _ in range(wanted * 3):
        idea = ideas[min(int(rng.expovariate(1 / 12)), len(ideas) - 1)]
        if idea in chosen:
            continue
        if group.is_knapsack and spent + idea.cost > group.amount:
            continue
        chosen.append(idea)
        spent += idea.cost
        if len(chosen) == wanted or (group.max_choices and len(chosen) == group.max_choices):
            break
    return chosen


def _ballots(
    group: BudgetGroup, ideas: list[Idea], voters: list[int], total: int, staff: Any
) -> None:
    """``total`` counted ballots: one per voter online, the rest on confirmed paper."""
    rng = random.Random(group.pk)  # noqa: S311 - reproducible load data, not secrets
    online = voters[:total]
    paper = total - len(online)
    batch = None
    if paper:
        batch = PaperBatch.objects.create(
            group=group,
            place="Urne im Rathaus (Lastdaten)",
            collected_on=timezone.localdate(),
            confirmed_by=staff,
            confirmed_at=timezone.now(),
        )
    rows = [Ballot(group=group, voter_id=v) for v in online]
    rows += [Ballot(group=group, batch=batch) for _ in range(paper)]
    for start in range(0, len(rows), BATCH):
        ballots = Ballot.objects.bulk_create(rows[start : start + BATCH])
        BallotChoice.objects.bulk_create(
            (
                BallotChoice(ballot=ballot, idea=idea)
                for ballot in ballots
                for idea in _choices(rng, group, ideas)
            ),
            batch_size=BATCH,
        )
    BudgetGroup.objects.filter(pk=group.pk).update(ballot_count=len(online))


def _budget(context: BenchContext, project: Project, title: str) -> Budget:
    """A budget in ``project`` with two groups, ideas and ballots (split 80/20 between the
    whole town and the Ortsteil group); nothing is added if it exists."""
    existing = Budget.objects.filter(project=project, title=title).first()
    if existing is not None:
        return existing
    ideas_n, ballots_n = _sizes(context.small)
    district = context.project.districts.order_by("pk").first()
    budget = services.budget_create(
        project=project,
        title=title,
        description="Ein Bürgerhaushalt der Lastdaten (erfunden).",
        result_rule=ResultRule.MES,
        user=context.staff,
    )
    groups = _groups(budget, district)
    authors = list(context.accounts.values_list("pk", flat=True)[:ideas_n])
    feasible = _ideas(budget, groups, authors, ideas_n, district)
    town_n = ballots_n * 4 // 5
    town_voters = list(context.accounts.values_list("pk", flat=True)[: town_n * 9 // 10])
    local_voters = list(
        context.accounts.filter(home_district=district).values_list("pk", flat=True)[
            : (ballots_n - town_n) * 9 // 10
        ]
    )
    _ballots(groups[0], feasible[groups[0].pk], town_voters, town_n, context.staff)
    _ballots(groups[1], feasible[groups[1].pk], local_voters, ballots_n - town_n, context.staff)
    changed(project_id=project.pk)  # the bulk inserts send no signal
    context.log(f"{title}: {ideas_n} Ideen, {ballots_n} Stimmzettel angelegt.")
    return budget


@transaction.atomic
def _open_budget(context: BenchContext) -> Budget:
    for phase in context.project.phases.all():
        services.phase_allow(phase=phase, action=VOTE)
    return _budget(context, context.project, OPEN_TITLE)


@transaction.atomic
def _closed_budget(context: BenchContext) -> Budget:
    big = context.project
    project, created = Project.objects.get_or_create(
        slug=CLOSED_PROJECT_SLUG,
        defaults={
            "organisation": big.organisation,
            "title": "Bürgerhaushalt Vorjahr",
            "summary": "Ein abgeschlossener Bürgerhaushalt der Lastdaten.",
            "description": "Lastdaten für Benchmarks (erfunden).",
            "visibility": Visibility.PUBLIC,
        },
    )
    if created:
        project.districts.set(big.districts.all())
        now = timezone.now()
        Phase.objects.create(
            project=project,
            name="Ideen sammeln",
            start=now - timedelta(days=120),
            end=now - timedelta(days=60),
            actions=[SUBMIT_IDEA],
        )
        Phase.objects.create(
            project=project,
            name="Abstimmung",
            start=now - timedelta(days=40),
            end=now - timedelta(days=10),
            actions=[VOTE],
        )
    return _budget(context, project, CLOSED_TITLE)


def _results(budget: Budget) -> None:
    """Each group's result, computed once through the results service (the background
    task's work, run here so that no request waits for it)."""
    for group in budget.groups.select_related("budget__project"):
        result = services.group_result(group=group)
        assert result is not None, "the ballot has closed"
        if not result.done:
            services.group_result_compute(result_id=result.pk)


def bench(context: BenchContext) -> tuple[BenchPage, ...]:
    budget = _open_budget(context)
    closed = _closed_budget(context)
    _results(closed)
    town = budget.groups.order_by("order", "pk").first()
    idea = Idea.objects.on_ballot().filter(budget=budget).order_by("pk").first()
    assert town is not None and idea is not None
    cheapest = list(
        Idea.objects.on_ballot()
        .filter(group=town)
        .order_by("official_cost", "pk")
        .values_list("pk", flat=True)[:2]
    )
    return (
        BenchPage("Bürgerhaushalt: Ideenliste", budget.get_absolute_url()),
        BenchPage("Bürgerhaushalt: Idee", idea.get_absolute_url()),
        BenchPage(
            "Bürgerhaushalt: Stimmzettel (20.000 abgegeben)",
            reverse("budgets:ballot", args=[town.pk]),
            anonymous=False,
        ),
        BenchPage(
            "Bürgerhaushalt: Ergebnis (20.000 Stimmzettel)",
            reverse("budgets:results", args=[closed.pk]),
        ),
        # Storing a ballot (the first time, then changing it): the two cheapest ideas.
        BenchPage(
            "Bürgerhaushalt: Stimmzettel abgeben (Schreiben)",
            reverse("budgets:ballot", args=[town.pk]),
            anonymous=False,
            form="&".join(f"idee={pk}" for pk in cheapest),
        ),
    )
