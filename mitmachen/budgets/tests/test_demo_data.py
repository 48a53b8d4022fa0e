import pytest

from mitmachen.budgets.models import Budget, Feasibility, Idea

pytestmark = pytest.mark.django_db


def test_demo_budget_is_seeded_once_with_reviewed_ideas():
    from mitmachen.demo.services import seed_demo

    report = seed_demo()
    budget = Budget.objects.get(title="Bürgerhaushalt 2027")
    assert "erfunden" in budget.description  # invented content says so on the page
    assert budget.groups.count() == 3
    assert Idea.objects.filter(budget=budget).count() == 25
    assert (
        Idea.objects.filter(feasibility=Feasibility.UNFEASIBLE).exclude(explanation="").count() == 4
    )
    assert any(line.startswith("Idee: ") for line in report.created)
    phases = {p.name: p.actions for p in budget.project.phases.all()}
    assert "budget_idea" in phases["Vorschläge einreichen"]
    assert "budget_vote" in phases["Abstimmung"]
    seed_demo()
    assert Idea.objects.filter(budget__project=budget.project).count() == 25
