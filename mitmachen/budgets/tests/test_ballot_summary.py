"""The ballot's sum as an htmx fragment (``budgets:ballot_summary``): the remaining money
follows each tick; over the money it says saving is refused; it stores nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mitmachen.budgets.models import VOTE, Ballot
from mitmachen.budgets.tests.conftest import feasible_idea, set_budget_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideas(budget, town, west, manager, project):
    made = [
        feasible_idea(budget, town, 400, manager=manager),
        feasible_idea(budget, town, 500, manager=manager),
        feasible_idea(budget, town, 300, manager=manager),
        feasible_idea(budget, west, 100, manager=manager),  # another group's idea
    ]
    set_budget_phase(project, [VOTE])
    return made


def summary(client, group, ids):
    url = reverse("budgets:ballot_summary", args=[group.pk])
    return client.get(url, {"idee": ids})


def test_the_remaining_money_follows_the_ticks(client, town, resident, ideas):
    a, b, c, _other = ideas
    client.force_login(resident)
    assert "Noch übrig: 1.000 €" in summary(client, town, []).content.decode()
    response = summary(client, town, [a.pk, b.pk])
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert "Ausgewählt: 900 € von 1.000 €" in text and "Noch übrig: 100 €" in text
    over = summary(client, town, [a.pk, b.pk, c.pk]).content.decode()
    assert "Das sind 200 € zu viel" in over and "nicht gespeichert werden" in over
    assert "ballot-summary--over" in over
    assert not Ballot.objects.exists(), "the fragment only reads"


@pytest.mark.parametrize(
    "ids",
    [["abc"], ["-1"], ["1e3"], [str(n) for n in range(501)]],
    ids=["letters", "negative", "exponent", "too-many"],
)
def test_bad_input_gets_a_german_message(client, town, resident, ideas, ids):
    client.force_login(resident)
    text = summary(client, town, ids).content.decode()
    assert "ungültige Angabe" in text or "nicht zur Wahl" in text


def test_another_groups_idea_is_named_and_not_added(client, town, resident, ideas):
    a, _b, _c, other = ideas
    client.force_login(resident)
    text = summary(client, town, [a.pk, other.pk]).content.decode()
    assert "nicht zur Wahl" in text and "Ausgewählt: 400 €" in text


def test_approval_groups_count_up_to_n(client, west, resident, ideas, budget, manager):
    client.force_login(resident)
    more = [feasible_idea(budget, west, 50, manager=manager) for _ in range(3)]
    ids = [ideas[3].pk, *(i.pk for i in more)]
    assert "2 von höchstens 2 gewählt" in summary(client, west, ids[:2]).content.decode()
    over = summary(client, west, ids).content.decode()
    assert "4 von höchstens 2 gewählt" in over and "weniger Ideen" in over


def test_signed_in_only_and_a_fixed_number_of_queries(client, town, resident, ideas, budget):
    assert summary(client, town, []).status_code == 302  # to the login, like the ballot
    client.force_login(resident)
    counts = []
    for ids in ([], [ideas[0].pk], [i.pk for i in ideas]):
        with CaptureQueriesContext(connection) as ctx:
            summary(client, town, ids)
        counts.append(len(ctx.captured_queries))
    # No tick costs one query less (Django asks nothing for ``pk__in=[]``).
    assert counts[1] == counts[2] <= 8 and counts[0] <= counts[1], counts


def test_the_ballot_page_asks_for_the_fragment_only_while_voting(client, town, resident, ideas):
    client.force_login(resident)
    page = client.get(reverse("budgets:ballot", args=[town.pk])).content.decode()
    assert f'data-hx-get="{reverse("budgets:ballot_summary", args=[town.pk])}"' in page
    assert 'data-hx-params="idee"' in page, "the CSRF token stays out of the address"
    assert 'id="stimmzettel-summe" role="status"' in page
