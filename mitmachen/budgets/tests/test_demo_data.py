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
        Idea.objects.filter(feasibility=Feasibility.UNFEASIBLE).exclude(explanation="").count() == 4
    )
    phases = {p.name: p.actions for p in budget.project.phases.all()}
    assert "budget_idea" in phases["Vorschläge einreichen"]
    assert "budget_vote" in phases["Abstimmung"]
    report = SeedReport()
    demo(report)  # again: nothing new
    assert report.created == []
    assert Idea.objects.filter(budget__project=budget.project).count() == 25
