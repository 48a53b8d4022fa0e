"""Who may do what in which phase: a matrix over roles × phase states."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.budgets.models import SUBMIT_IDEA, VOTE
from mitmachen.budgets.tests.conftest import set_budget_phase
from mitmachen.budgets.tests.factories import IdeaFactory
from mitmachen.core.permissions import decide

pytestmark = pytest.mark.django_db

PHASES = {
    "ideas": ([SUBMIT_IDEA], "now"),
    "ballot": ([VOTE], "now"),
    "after the ballot": ([VOTE], "past"),
    "before the ballot": ([VOTE], "future"),
}
# role → phase → (submit idea, vote in the town, vote in West, review, set the rule)
EXPECTED = {
    "anonymous": {p: (False, False, False, False, False) for p in PHASES},
    "resident of West": {
        "ideas": (True, False, False, False, False),
        "ballot": (False, True, True, False, False),
        "after the ballot": (False, False, False, False, False),
        "before the ballot": (False, False, False, False, False),
    },
    "resident of Ost": {
        "ideas": (True, False, False, False, False),
        "ballot": (False, True, False, False, False),
        "after the ballot": (False, False, False, False, False),
        "before the ballot": (False, False, False, False, False),
    },
    "manager": {
        "ideas": (True, False, False, True, True),
        "ballot": (False, True, False, False, False),
        "after the ballot": (False, False, False, False, False),
        "before the ballot": (False, False, False, True, True),
    },
}


@pytest.mark.parametrize("phase", list(PHASES))
@pytest.mark.parametrize("role", list(EXPECTED))
def test_permission_matrix(budget, town, west, project, region, manager, role, phase):
    actions, when = PHASES[phase]
    set_budget_phase(project, actions, when=when)
    user = {
        "anonymous": AnonymousUser(),
        "resident of West": UserFactory(home_district=region["west"]),
        "resident of Ost": UserFactory(home_district=region["east"]),
        "manager": manager,  # lives nowhere in particular: not in the West group
    }[role]
    idea = IdeaFactory(budget=budget, project=project, group=town)
    for obj in (budget, town.budget, west.budget, idea.budget):
        obj.project = project  # one project object, with the phases just set
    town.budget = west.budget = idea.budget = budget
    got = (
        decide(user, "budgets.submit_idea", budget).allowed,
        decide(user, "budgets.vote", town).allowed,
        decide(user, "budgets.vote", west).allowed,
        decide(user, "budgets.review_idea", idea).allowed,
        decide(user, "budgets.set_result_rule", budget).allowed,
    )
    assert got == EXPECTED[role][phase]


def test_refusals_are_german_sentences(budget, town, project):
    set_budget_phase(project, [SUBMIT_IDEA])
    assert decide(AnonymousUser(), "budgets.vote", town).reason == (
        "Bitte melden Sie sich an, um abzustimmen."
    )
    assert (
        decide(UserFactory(), "budgets.vote", town).reason == "Die Abstimmung ist nicht geöffnet."
    )
