import pytest

from mitmachen.budgets.models import Budget, Feasibility, Idea

pytestmark = pytest.mark.django_db


def test_demo_budget_is_seeded_once_with_reviewed_ideas(demo_rows):
    from mitmachen.budgets.demo import demo
    from mitmachen.demo.services import SeedReport

    # demo_rows: the region as seed_demo() leaves it, this module's demo hook included.
    budget = Budget.objects.get(title="Bürgerhaushalt 2027")
    assert "erfunden" in budget.description  # invented content says so on the page
    assert budget.groups.count() == 3
    assert Idea.objects.filter(budget=budget).count() == 25
    assert (
        Idea.objects.filter(budget=budget, feasibility=Feasibility.UNFEASIBLE)
        .exclude(explanation="")
        .count()
        == 4
    )
    phases = {p.name: p.actions for p in budget.project.phases.all()}
    assert "budget_idea" in phases["Vorschläge einreichen"]
    assert "budget_vote" in phases["Abstimmung"]
    report = SeedReport()
    demo(report)  # again: nothing new
    assert report.created == []
    assert Idea.objects.filter(budget__project=budget.project).count() == 25


def test_last_years_budget_is_finished_with_paper_and_online_ballots_and_results(
    demo_rows, client, settings
):
    from mitmachen.budgets.demo import demo_finished
    from mitmachen.budgets.models import Ballot, GroupResult, PaperBatch
    from mitmachen.demo.services import SeedReport

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    budget = Budget.objects.get(title="Bürgerhaushalt 2026")
    assert budget.ballot_closed() and "erfunden" in budget.description
    group = budget.groups.get()
    counted = Ballot.objects.counted().filter(group=group)
    assert counted.count() == 400 == Ballot.objects.filter(group=group).count()
    assert counted.filter(voter__isnull=False).count() == 60 == group.ballot_count
    stacks = PaperBatch.objects.filter(group=group)
    assert stacks.count() == 3 and not stacks.filter(confirmed_at__isnull=True).exists()
    assert all(s.confirmed_by_id != s.entered_by_id for s in stacks)  # a second person
    result = GroupResult.objects.get(group=group)
    assert result.done and result.data["paper_ballots"] == 340
    titles = dict(Idea.objects.filter(budget=budget).values_list("pk", "title"))
    mes = {titles[r["idea"]] for r in result.data["rows"] if r["mes"]}
    greedy = {titles[r["idea"]] for r in result.data["rows"] if r["greedy"]}
    # What the budget's description explains: the two rules choose differently.
    assert greedy == {
        "Sitzbänke in der Innenstadt",
        "Neue Spielgeräte im Stadtpark",
        "Skaterfläche am Sportplatz sanieren",
    }
    assert {"Bücherzelle in Fredersdorf", "Bushaltestelle in Lüsse überdachen"} <= mes
    assert "Skaterfläche am Sportplatz sanieren" not in mes
    page = client.get(f"/buergerhaushalte/{budget.pk}/ergebnis/").content.decode()
    assert "für die Demo erfunden" in page and "Davon 60 online und 340 auf Papier" in page
    assert "jede abstimmende Person hatte einen Anteil von 125" in page
    report = SeedReport()
    demo_finished(report)  # again: nothing new
    assert report.created == []
    assert Ballot.objects.filter(group=group).count() == 400


def test_last_years_winners_became_invented_measures(demo_rows, client, settings):
    """The measures demo turns the 2026 winners into measures (origins contract), all
    but one; the results page and the measures say what became of them."""
    from mitmachen.budgets.origin import idea_won
    from mitmachen.demo.services import SeedReport
    from mitmachen.measures.demo import demo as measures_demo
    from mitmachen.measures.models import Measure, MeasureOrigin

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    budget = Budget.objects.get(title="Bürgerhaushalt 2026")
    winners = [i for i in Idea.objects.filter(budget=budget) if idea_won(i)]
    origins = MeasureOrigin.objects.filter(object_id__in=[i.pk for i in winners])
    assert len(winners) >= 3 and origins.count() == len(winners) - 1
    measures = Measure.objects.filter(origins__in=origins)
    assert all(m.is_demo for m in measures)
    assert len({m.progress for m in measures}) > 1  # invented progress, not all alike
    page = client.get(f"/buergerhaushalte/{budget.pk}/ergebnis/").content.decode()
    assert page.count("Daraus wurde die Maßnahme") == len(winners) - 1
    assert page.count("noch keine Maßnahme.") == 1
    measure = measures.first()
    assert "Erfundenes Beispiel" in client.get(measure.get_absolute_url()).content.decode()
    report = SeedReport()
    measures_demo(report)  # again: nothing new
    assert report.created == []
    assert MeasureOrigin.objects.filter(object_id__in=[i.pk for i in winners]).count() == (
        len(winners) - 1
    )
