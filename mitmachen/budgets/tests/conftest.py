from datetime import timedelta

import pytest
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.budgets import services
from mitmachen.budgets.models import SUBMIT_IDEA, VOTE, BallotRule
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.projects.tests.factories import PhaseFactory
from mitmachen.proposals.tests.conftest import project, region  # noqa: F401 - fixtures


def set_budget_phase(target, actions, *, when="now"):
    """Replace the phases of the project ``target`` by one with ``actions``: running ``now``, in the
    ``past`` (ended yesterday) or in the ``future`` (starts tomorrow)."""
    target.phases.all().delete()
    now = timezone.now()
    start, end = {
        "now": (now - timedelta(days=1), now + timedelta(days=10)),
        "past": (now - timedelta(days=10), now - timedelta(days=1)),
        "future": (now + timedelta(days=1), now + timedelta(days=10)),
    }[when]
    PhaseFactory(project=target, actions=actions, start=start, end=end)
    target.__dict__.pop("_prefetched_objects_cache", None)


@pytest.fixture
def manager(project):  # noqa: F811
    user = MembershipFactory(organisation=project.organisation, role=Role.PROJECT_MANAGER).user
    project.managers.add(user)
    return user


@pytest.fixture
def resident(region):  # noqa: F811
    return UserFactory(display_name="Renate", home_district=region["west"])


@pytest.fixture
def budget(project, region, manager):  # noqa: F811
    """A budget with a whole-town knapsack group (1,000 €) and an approval group of up
    to 2 for Ortsteil West (500 €); the project collects ideas."""
    set_budget_phase(project, [SUBMIT_IDEA])
    budget = services.budget_create(project=project, title="Bürgerhaushalt 2027", user=manager)
    services.group_create(budget=budget, name="Ganze Stadt", amount=1000, order=1)
    services.group_create(
        budget=budget,
        name="Ortsteilbudget West",
        amount=500,
        ballot_rule=BallotRule.APPROVAL,
        max_choices=2,
        districts=[region["west"]],
        order=2,
    )
    return budget


@pytest.fixture
def town(budget):
    return budget.groups.get(name="Ganze Stadt")


@pytest.fixture
def west(budget):
    return budget.groups.get(name="Ortsteilbudget West")


def feasible_idea(budget, group, cost, *, title=None, author=None, manager=None):
    idea = services.idea_submit(
        author=author or UserFactory(),
        budget=budget,
        group=group,
        title=title or f"Idee für {cost} €",
        description="Beschreibung",
        estimated_cost=cost,
        check_permission=False,
    )
    return services.idea_review(
        user=manager,
        idea=idea,
        feasible=True,
        explanation="Machbar.",
        official_cost=cost,
        check_permission=False,
    )


@pytest.fixture
def ballot_open(budget, town, manager, project):  # noqa: F811
    """Three feasible ideas in the whole town (400, 500, 300 €), one in West (200 €);
    the ballot is open."""
    ideas = [feasible_idea(budget, town, c, manager=manager) for c in (400, 500, 300)]
    ideas.append(
        feasible_idea(budget, budget.groups.get(name="Ortsteilbudget West"), 200, manager=manager)
    )
    set_budget_phase(project, [VOTE])
    budget.project.__dict__.pop("_prefetched_objects_cache", None)
    return ideas
