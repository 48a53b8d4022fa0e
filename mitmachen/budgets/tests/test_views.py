from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.budgets import results, services
from mitmachen.budgets.models import (
    VOTE,
    Ballot,
    BallotChoice,
    Feasibility,
    GroupResult,
    Idea,
    ResultState,
)
from mitmachen.budgets.tests.conftest import set_budget_phase
from mitmachen.budgets.tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def add_ideas(budget, group, region, count):
    """``count`` ideas in all three review states, across both Ortsteile."""
    for n in range(count):
        state = [Feasibility.PENDING, Feasibility.FEASIBLE, Feasibility.UNFEASIBLE][n % 3]
        IdeaFactory(
            budget=budget,
            project=budget.project,
            group=group,
            district=region["west"] if n % 2 else region["east"],
            feasibility=state,
            explanation="" if state == Feasibility.PENDING else "Begründung",
            official_cost=250 if state == Feasibility.FEASIBLE else None,
        )


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_budget_page_queries_do_not_grow_with_ideas(
    client, budget, town, region, signed_in, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    if signed_in:
        client.force_login(UserFactory(home_district=region["west"]))
    url = reverse("budgets:detail", args=[budget.pk])
    add_ideas(budget, town, region, 25)
    few = queries(client, url)
    add_ideas(budget, town, region, 475)
    assert queries(client, url) == few
    assert queries(client, f"{url}?pruefung=unfeasible&ortsteil={region['west'].pk}") <= few + 1


def test_budget_page_filters_and_shows_unfeasible_reasons(client, budget, town, region):
    IdeaFactory(
        budget=budget, project=budget.project, group=town, title="Bank", district=region["west"]
    )
    IdeaFactory(
        budget=budget,
        project=budget.project,
        group=town,
        title="Brücke",
        feasibility=Feasibility.UNFEASIBLE,
        explanation="Die Brücke gehört dem Landkreis.",
    )
    url = reverse("budgets:detail", args=[budget.pk])
    page = client.get(url, {"pruefung": "unfeasible"}).content.decode()
    assert "Brücke" in page and "gehört dem Landkreis" in page and ">Bank<" not in page
    page = client.get(url, {"ortsteil": region["west"].pk}).content.decode()
    assert "Bank" in page and "Brücke</a>" not in page
    # A made-up value fails its own field only: a page, not an error.
    assert client.get(url, {"pruefung": "erfunden", "ortsteil": "x"}).status_code == 200


def test_idea_submission_form(client, budget, town, resident):
    client.force_login(resident)
    url = reverse("budgets:idea_create", args=[budget.pk])
    response = client.post(
        url, {"group": town.pk, "title": "Bank", "description": "Am Teich", "estimated_cost": "-3"}
    )
    assert response.status_code == 400  # as the offline form: a failed submit says so
    assert "mindestens 1 €" in response.content.decode()
    assert not Idea.objects.exists()
    response = client.post(
        url, {"group": town.pk, "title": "Bank", "description": "Am Teich", "estimated_cost": "800"}
    )
    idea = Idea.objects.get()
    assert response.status_code == 302 and response["Location"] == idea.get_absolute_url()


def test_staff_review_through_the_page(client, budget, town, resident, manager):
    idea = services.idea_submit(
        author=resident,
        budget=budget,
        group=town,
        title="Bank",
        description="x",
        estimated_cost=300,
    )
    url = reverse("budgets:review", args=[idea.pk])
    client.force_login(resident)
    assert client.get(url).status_code == 404
    client.force_login(manager)
    response = client.post(url, {"feasible": "nein", "explanation": ""})
    assert "öffentlich" in response.content.decode()
    response = client.post(url, {"feasible": "ja", "official_cost": "350", "explanation": "Geht."})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.feasibility, idea.official_cost) == (Feasibility.FEASIBLE, 350)
    assert "Geht." in client.get(idea.get_absolute_url()).content.decode()


def test_ballot_page_without_javascript(client, ballot_open, town, resident):
    a, b, c, _west = ballot_open
    client.force_login(resident)
    url = reverse("budgets:ballot", args=[town.pk])
    page = client.get(url).content.decode()
    assert 'name="idee"' in page and "Noch übrig: 1.000 €" in page
    # A crafted POST over the budget (400 + 500 + 300 > 1,000) is refused, nothing stored.
    response = client.post(url, {"idee": [a.pk, b.pk, c.pk]})
    assert response.status_code == 200
    assert "übersteigt das Budget" in response.content.decode()
    assert not Ballot.objects.exists()
    response = client.post(url, {"idee": [a.pk, b.pk]})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Noch übrig: 100 €" in page and "schon abgestimmt" in page


def test_ballot_queries_do_not_grow_with_ideas(client, budget, town, region, manager, project):
    settings_user = UserFactory(home_district=region["west"])
    client.force_login(settings_user)
    add_ideas(budget, town, region, 25)
    set_budget_phase(project, [VOTE])
    url = reverse("budgets:ballot", args=[town.pk])
    few = queries(client, url)
    add_ideas(budget, town, region, 475)
    assert queries(client, url) == few


def test_results_page(client, ballot_open, town, project, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    a, b, c, _west = ballot_open
    budget = town.budget
    for n in range(40):
        services.ballot_submit(
            voter=UserFactory(), group=town, idea_ids=[a.pk, c.pk] if n % 2 else [b.pk]
        )
    url = reverse("budgets:results", args=[budget.pk])
    assert "erscheinen, sobald" in client.get(url).content.decode()
    assert "Ergebnis der Abstimmung" not in client.get(a.get_absolute_url()).content.decode()
    pabulib = reverse("budgets:pabulib", args=[town.pk])
    assert client.get(pabulib).status_code == 404  # not before the vote is over
    set_budget_phase(project, [VOTE], when="past")
    # The first visit queues one computation per group and sends the visitor to the
    # progress page, which reloads itself (no JavaScript) and is never cached.
    first = client.get(url)
    progress_url = reverse("budgets:results_progress", args=[budget.pk])
    assert first.status_code == 302 and first.url == progress_url
    assert GroupResult.objects.filter(state=ResultState.QUEUED).count() == 2
    progress = client.get(progress_url)
    assert progress["Refresh"] == f"3; url={url}" and "no-store" in progress["Cache-Control"]
    assert "wartet auf die Berechnung" in progress.content.decode()
    result = GroupResult.objects.get(group=town)
    GroupResult.objects.filter(pk=result.pk).update(state=ResultState.RUNNING, progress=30)
    assert "wird berechnet (30 %)" in client.get(progress_url).content.decode()
    GroupResult.objects.filter(pk=result.pk).update(state=ResultState.QUEUED, progress=0)
    for queued in GroupResult.objects.all():  # what the background worker does
        services.group_result_compute(result_id=queued.pk)
    assert client.get(progress_url).url == url  # done: on to the results
    page = client.get(url).content.decode()
    assert "Ergebnis der Abstimmung" in page and "Methode der gleichen Anteile" in page
    assert "20 Stimmen" in page
    # Each idea's page says how it fared under the binding rule and why, and under the
    # other rule for comparison (here the rules differ: greedy takes a, MES takes b).
    data = GroupResult.objects.get(group=town).data
    assert data["binding"] == "mes"
    rows = {row["idea"]: row for row in data["rows"]}
    assert [bool(rows[i.pk]["mes"]) for i in (a, b, c)] == [False, True, True]
    assert [bool(rows[i.pk]["greedy"]) for i in (a, b, c)] == [True, False, True]
    for idea, verdict in ((a, "nicht gewählt"), (b, "gewählt"), (c, "gewählt")):
        idea_page = client.get(idea.get_absolute_url()).content.decode()
        assert f"Ergebnis der Abstimmung: {verdict}</h2>" in idea_page
        assert results.explain(rows[idea.pk], data, "mes") in idea_page
        assert results.explain(rows[idea.pk], data, "greedy") in idea_page
    export = client.get(pabulib)
    assert export.status_code == 200 and export["Content-Type"].startswith("text/plain")
    text = export.content.decode()
    assert "vote_type;approval" in text and "num_votes;40" in text and "rule;equalshares" in text
    few = queries(client, url)
    ballots = Ballot.objects.bulk_create(Ballot(group=town) for _ in range(39_960))
    BallotChoice.objects.bulk_create(
        (BallotChoice(ballot=ballot, idea=a) for ballot in ballots), batch_size=5_000
    )
    assert Ballot.objects.filter(group=town).count() == 40_000
    # The stored result stands: the closed ballot cannot change it, and reading it costs
    # the same whatever the number of ballots.
    assert queries(client, url) == few


def test_project_page_shows_the_budget(client, budget, town, region):
    add_ideas(budget, town, region, 3)
    page = client.get(budget.project.get_absolute_url()).content.decode()
    assert "Bürgerhaushalt 2027" in page and "3 Ideen" in page


def test_personal_data_export(ballot_open, town, resident, budget):
    from mitmachen.accounts.services import personal_data_export

    services.ballot_submit(voter=resident, group=town, idea_ids=[ballot_open[0].pk])
    data = personal_data_export(user=resident)["buergerhaushalt"]
    assert data["stimmzettel"][0]["gewaehlte_vorschlaege"] == [ballot_open[0].title]
    assert data["ideen"] == []


def test_personal_data_export_lists_staff_work(ballot_open, town, manager, resident, budget):
    """Staff's "Meine Daten" name the budget work recorded with their account: the rule
    they fixed, the ideas they reviewed, the paper stacks they entered or confirmed."""
    from django.utils import timezone

    from mitmachen.accounts.services import personal_data_export
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import MembershipFactory

    second = MembershipFactory(organisation=budget.project.organisation, role=Role.PROJECT_MANAGER)
    budget.project.managers.add(second.user)
    batch = services.paper_batch_create(
        user=manager, group=town, collected_on=timezone.localdate(), place="Urne im Rathaus"
    )
    services.paper_ballots_add(user=manager, batch=batch, lines=f"{ballot_open[0].pk}\n-")
    services.paper_batch_confirm(user=second.user, batch=batch)

    work = personal_data_export(user=manager)["buergerhaushalt_verwaltung"]
    assert [r["buergerhaushalt"] for r in work["festgelegte_auszaehlungsregeln"]] == [
        "Bürgerhaushalt 2027"
    ]
    assert sorted(i["idee"] for i in work["ideen"] if i["geprueft"]) == sorted(
        i.title for i in ballot_open
    )
    [stack] = work["papierstapel"]
    assert (stack["ort"], stack["stimmzettel"], stack["erfasst"], stack["bestaetigt"]) == (
        "Urne im Rathaus",
        2,
        True,
        False,
    )
    checked = personal_data_export(user=second.user)["buergerhaushalt_verwaltung"]
    assert [(s["erfasst"], s["bestaetigt"]) for s in checked["papierstapel"]] == [(False, True)]
    assert personal_data_export(user=resident)["buergerhaushalt_verwaltung"] == {
        "festgelegte_auszaehlungsregeln": [],
        "festgelegte_auswahlen": [],
        "ideen": [],
        "papierstapel": [],
    }
