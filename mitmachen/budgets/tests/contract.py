"""The Bürgerhaushalt's rows in the platform-wide tests (``core/tests/module_contracts.py``)."""

from __future__ import annotations

from typing import Any

from mitmachen.budgets import services, support_services
from mitmachen.budgets.models import SUBMIT_IDEA, SUPPORT, VOTE, Budget, BudgetGroup
from mitmachen.budgets.tests.conftest import set_budget_phase
from mitmachen.budgets.tests.factories import IdeaFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.projects.tests.factories import ProjectFactory


def deletion_seed(seed: Any) -> set[tuple[str, str]]:
    """An idea of the person, reviewed, the person's support for it and their ballot for
    it (both must still count after the deletion, without the person)."""
    project = ProjectFactory(organisation=seed.organisation)
    manager = MembershipFactory(organisation=seed.organisation, role=Role.PROJECT_MANAGER).user
    project.managers.add(manager)
    set_budget_phase(project, [SUBMIT_IDEA])
    budget = services.budget_create(project=project, title="Bürgerhaushalt", user=manager)
    group = services.group_create(budget=budget, name="Ganze Stadt", amount=1000)
    idea = services.idea_submit(
        author=seed.person,
        budget=budget,
        group=group,
        title=f"Bank {seed.content}",
        description=f"Am Teich {seed.content}",
        estimated_cost=300,
    )
    services.idea_review(
        user=manager, idea=idea, feasible=True, explanation="Ja", official_cost=300
    )
    set_budget_phase(project, [SUPPORT])
    support_services.idea_support(user=seed.person, idea=idea)
    set_budget_phase(project, [VOTE])
    services.ballot_submit(voter=seed.person, group=group, idea_ids=[idea.pk])
    return {("budgets_idea", "title"), ("budgets_idea", "description")}


def admin_scope_objects(town: Any, project: Any) -> list[Any]:
    budget = Budget.objects.create(project=project, title=f"Bürgerhaushalt {project.slug}")
    group = BudgetGroup.objects.create(budget=budget, name=f"Ganze Stadt {project.pk}", amount=1000)
    group.districts.set(town.districts)
    idea = IdeaFactory(
        budget=budget,
        project=project,
        group=group,
        author=town.resident,
        district=town.districts[0],
    )
    return [budget, group, idea]
