"""Selecting by supports: residents support ideas, staff fix what goes to the ballot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.budgets import services, support_services
from mitmachen.budgets.models import (
    SUBMIT_IDEA,
    SUPPORT,
    VOTE,
    BudgetGroup,
    Idea,
    IdeaSupport,
    SelectionRule,
)
from mitmachen.budgets.tests.conftest import feasible_idea, set_budget_phase
from mitmachen.core.permissions import decide
from mitmachen.projects.tests.factories import PhaseFactory

pytestmark = pytest.mark.django_db


def phases(project, *spec):
    """Replace the project's phases: ``(actions, start_days, end_days)`` from today."""
    project.phases.all().delete()
    now = timezone.now()
    for actions, start, end in spec:
        PhaseFactory(
            project=project,
            actions=actions,
            start=now + timedelta(days=start),
            end=now + timedelta(days=end),
        )
    project.__dict__.pop("_prefetched_objects_cache", None)


def fresh(idea):
    return Idea.objects.select_related("budget__project", "group").get(pk=idea.pk)


def supported_ideas(budget, group, manager, counts):
    """Feasible ideas of ``group`` with the given numbers of supports (and costs 100,
    200, … in order), supported while the phase of supports runs."""
    ideas = [
        feasible_idea(budget, group, 100 * (n + 1), title=f"Idee {n}", manager=manager)
        for n in range(len(counts))
    ]
    phases(budget.project, ([SUPPORT], -1, 10))
    for idea, count in zip(ideas, counts, strict=True):
        for _ in range(count):
            support_services.idea_support(user=UserFactory(), idea=idea)
    return ideas


def test_support_counts_once_and_can_be_taken_back(budget, town, manager, resident):
    (idea,) = supported_ideas(budget, town, manager, [0])
    assert support_services.idea_support(user=resident, idea=idea) is True
    assert support_services.idea_support(user=resident, idea=idea) is False
    assert fresh(idea).support_count == 1
    assert IdeaSupport.objects.filter(idea=idea).count() == 1
    assert support_services.idea_unsupport(user=resident, idea=idea) is True
    assert support_services.idea_unsupport(user=resident, idea=idea) is False
    assert fresh(idea).support_count == 0


# role → phase → (support an idea of the town, support an idea of West, select for the ballot)
PHASES = {
    "supports": ([[SUPPORT], -1, 10],),
    "ideas": ([[SUBMIT_IDEA], -1, 10],),
    "after the supports": ([[SUPPORT], -10, -1], [[VOTE], 5, 10]),
    "ballot": ([[SUPPORT], -10, -5], [[VOTE], -1, 10]),
}
EXPECTED = {
    "anonymous": {p: (False, False, False) for p in PHASES},
    "resident of West": {
        "supports": (True, True, False),
        "ideas": (False, False, False),
        "after the supports": (False, False, False),
        "ballot": (False, False, False),
    },
    "resident of Ost": {
        "supports": (True, False, False),
        "ideas": (False, False, False),
        "after the supports": (False, False, False),
        "ballot": (False, False, False),
    },
    "manager": {
        "supports": (True, False, False),
        "ideas": (False, False, False),
        "after the supports": (False, False, True),
        "ballot": (False, False, False),
    },
}


@pytest.mark.parametrize("phase", list(PHASES))
@pytest.mark.parametrize("role", list(EXPECTED))
def test_permission_matrix(budget, town, west, project, region, manager, role, phase):
    in_town = feasible_idea(budget, town, 300, manager=manager)
    in_west = feasible_idea(budget, west, 200, manager=manager)
    phases(project, *PHASES[phase])
    user = {
        "anonymous": AnonymousUser(),
        "resident of West": UserFactory(home_district=region["west"]),
        "resident of Ost": UserFactory(home_district=region["east"]),
        "manager": manager,
    }[role]
    got = (
        decide(user, "budgets.support_idea", fresh(in_town)).allowed,
        decide(user, "budgets.support_idea", fresh(in_west)).allowed,
        decide(user, "budgets.select_for_ballot", BudgetGroup.objects.get(pk=town.pk)).allowed,
    )
    assert got == EXPECTED[role][phase]


def test_unfeasible_and_hidden_ideas_are_not_supported(budget, town, manager, resident):
    idea = services.idea_submit(
        author=UserFactory(),
        budget=budget,
        group=town,
        title="Schloss",
        description="Ein Schloss.",
        estimated_cost=900,
    )
    services.idea_review(user=manager, idea=idea, feasible=False, explanation="Zu teuer.")
    hidden = feasible_idea(budget, town, 100, manager=manager)
    Idea.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    phases(budget.project, ([SUPPORT], -1, 10))
    with pytest.raises(PermissionDenied, match="Nicht machbare Ideen"):
        support_services.idea_support(user=resident, idea=idea)
    with pytest.raises(PermissionDenied, match="ausgeblendet"):
        support_services.idea_support(user=resident, idea=hidden)
    assert not IdeaSupport.objects.exists()


def test_selection_of_the_most_supported_with_tie_break(budget, town, manager, project):
    a, b, c, d = supported_ideas(budget, town, manager, [3, 1, 3, 0])
    phases(project, ([SUPPORT], -10, -1), ([VOTE], 5, 10))
    group = BudgetGroup.objects.get(pk=town.pk)
    chosen = support_services.group_select(
        user=manager, group=group, rule=SelectionRule.TOP, value=2
    )
    # a and c both have 3 supports; a is cheaper (100 €) and comes first.
    assert [i.pk for i in chosen] == [a.pk, c.pk]
    assert set(Idea.objects.filter(selected=True).values_list("pk", flat=True)) == {a.pk, c.pk}
    assert list(Idea.objects.on_ballot().filter(group=town).order_by("pk")) == [a, c]
    group.refresh_from_db()
    assert (group.selection_rule, group.selection_value, group.selected_by) == ("top", 2, manager)
    # Fixed again with a threshold, until the ballot begins.
    chosen = support_services.group_select(
        user=manager, group=group, rule=SelectionRule.THRESHOLD, value=1
    )
    assert {i.pk for i in chosen} == {a.pk, b.pk, c.pk}
    assert d not in Idea.objects.on_ballot()


def test_the_ballot_offers_only_selected_ideas(budget, town, manager, project, resident):
    a, b = supported_ideas(budget, town, manager, [2, 1])
    phases(project, ([SUPPORT], -10, -1), ([VOTE], -1, 10))
    group = BudgetGroup.objects.select_related("budget__project").get(pk=town.pk)
    with pytest.raises(PermissionDenied, match="noch nicht festgelegt"):
        services.ballot_submit(voter=resident, group=group, idea_ids=[a.pk])
    # Selected (in the test directly through the service, without its phase check).
    Idea.objects.filter(pk=a.pk).update(selected=True)
    Idea.objects.filter(pk=b.pk).update(selected=False)
    BudgetGroup.objects.filter(pk=town.pk).update(
        selection_rule="top", selection_value=1, selected_at=timezone.now()
    )
    group = BudgetGroup.objects.select_related("budget__project").get(pk=town.pk)
    with pytest.raises(ValidationError, match="nicht zur Wahl"):
        services.ballot_submit(voter=resident, group=group, idea_ids=[b.pk])
    services.ballot_submit(voter=resident, group=group, idea_ids=[a.pk])
    assert services.election_of(group).costs == {a.pk: 100}


@pytest.mark.parametrize(
    ("rule", "value", "field"),
    [
        ("top", 0, "value"),
        ("top", "zehn", "value"),
        ("top", 1001, "value"),
        ("alle", 2, "rule"),
        ("threshold", 50, "value"),  # no idea has 50 supports: nothing would be on the ballot
    ],
)
def test_bad_selection_changes_nothing(budget, town, manager, project, rule, value, field):
    supported_ideas(budget, town, manager, [2, 1])
    phases(project, ([SUPPORT], -10, -1), ([VOTE], 5, 10))
    with pytest.raises(ValidationError) as error:
        support_services.group_select(
            user=manager, group=BudgetGroup.objects.get(pk=town.pk), rule=rule, value=value
        )
    assert field in error.value.message_dict
    assert not Idea.objects.filter(selected__isnull=False).exists()
    assert BudgetGroup.objects.get(pk=town.pk).selected_at is None


def test_selection_refused_while_supports_run_and_once_the_ballot_began(
    budget, town, manager, project
):
    supported_ideas(budget, town, manager, [1])
    for spec in (
        (([SUPPORT], -1, 10),),
        (([SUPPORT], -10, -5), ([VOTE], -1, 10)),
    ):
        phases(project, *spec)
        with pytest.raises(PermissionDenied):
            support_services.group_select(
                user=manager, group=BudgetGroup.objects.get(pk=town.pk), rule="top", value=1
            )
    assert BudgetGroup.objects.get(pk=town.pk).selected_at is None


def test_an_idea_entered_after_the_selection_is_not_on_the_ballot(budget, town, manager, project):
    supported_ideas(budget, town, manager, [1])
    phases(project, ([SUPPORT], -10, -1), ([VOTE], 5, 10))
    support_services.group_select(
        user=manager, group=BudgetGroup.objects.get(pk=town.pk), rule="top", value=5
    )
    late = services.idea_submit(
        author=None,
        budget=budget,
        group=BudgetGroup.objects.get(pk=town.pk),
        title="Späte Idee",
        description="Vom Marktstand.",
        estimated_cost=50,
        offline=services.OfflineOrigin(
            channel="market_stand", submitted_on=timezone.localdate(), place="Markt"
        ),
        entered_by=manager,
    )
    assert late.selected is False


def test_support_through_the_page(client, budget, town, manager, resident):
    (idea,) = supported_ideas(budget, town, manager, [0])
    url = reverse("budgets:support", args=[idea.pk])
    page = reverse("budgets:idea", args=[idea.pk])
    anonymous = client.get(page).content.decode()
    assert "0 Personen unterstützen" in anonymous and "Idee unterstützen" not in anonymous
    client.force_login(resident)
    body = client.get(page).content.decode()
    assert "Idee unterstützen" in body and "0 Personen unterstützen" in body
    assert client.post(url, {"unterstuetzen": "1"}).status_code == 302
    body = client.get(page).content.decode()
    assert "Unterstützung zurücknehmen" in body and "1 Person unterstützt" in body
    # A crafted value changes nothing and gets a German message.
    response = client.post(url, {"unterstuetzen": "2"}, follow=True)
    assert "Die Anfrage war ungültig" in response.content.decode()
    assert fresh(idea).support_count == 1
    client.post(url, {"unterstuetzen": "0"})
    assert fresh(idea).support_count == 0


def test_support_page_refuses_outside_the_phase(client, budget, town, manager, resident, project):
    (idea,) = supported_ideas(budget, town, manager, [0])
    set_budget_phase(project, [VOTE])
    client.force_login(resident)
    response = client.post(
        reverse("budgets:support", args=[idea.pk]), {"unterstuetzen": "1"}, follow=True
    )
    assert "In dieser Phase können Ideen nicht unterstützt werden." in response.content.decode()
    assert not IdeaSupport.objects.exists()


def test_anonymous_support_goes_to_the_login(client, budget, town, manager):
    (idea,) = supported_ideas(budget, town, manager, [0])
    response = client.post(reverse("budgets:support", args=[idea.pk]), {"unterstuetzen": "1"})
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    assert not IdeaSupport.objects.exists()


def test_selection_page(client, budget, town, manager, project, resident):
    _a, b = supported_ideas(budget, town, manager, [1, 2])
    phases(project, ([SUPPORT], -10, -1), ([VOTE], 5, 10))
    url = reverse("budgets:selection", args=[town.pk])
    client.force_login(resident)
    assert client.get(url).status_code == 404
    client.force_login(manager)
    assert client.get(url).status_code == 200
    response = client.post(url, {"rule": "top", "value": "0"})
    assert response.status_code == 400
    assert "Bitte geben Sie eine Zahl ab 1 an." in response.content.decode()
    response = client.post(url, {"rule": "top", "value": "1"}, follow=True)
    assert "1 Ideen kommen auf den Stimmzettel" in response.content.decode()
    assert list(Idea.objects.filter(selected=True)) == [b]
    body = client.get(reverse("budgets:detail", args=[budget.pk])).content.decode()
    assert "die meistunterstützte machbare Idee" in body


def test_idea_page_queries_do_not_depend_on_supports(client, budget, town, manager):
    few, many = supported_ideas(budget, town, manager, [1, 30])
    visitor = UserFactory()
    client.force_login(visitor)
    counts = []
    for idea in (few, many):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("budgets:idea", args=[idea.pk])).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_personal_data_export_lists_supports(budget, town, manager, resident):
    from mitmachen.accounts.services import personal_data_export

    (idea,) = supported_ideas(budget, town, manager, [0])
    support_services.idea_support(user=resident, idea=idea)
    data = personal_data_export(user=resident)
    assert data["buergerhaushalt"]["unterstuetzungen"][0]["idee"] == idea.title


def test_deleted_account_keeps_the_count(budget, town, manager, resident):
    (idea,) = supported_ideas(budget, town, manager, [0])
    support_services.idea_support(user=resident, idea=idea)
    resident.delete()
    assert IdeaSupport.objects.get(idea=idea).user is None
    assert fresh(idea).support_count == 1
