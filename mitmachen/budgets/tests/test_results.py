"""The rules are pabutools'; these tests check we call them right.

Hand-checked examples (the party-list example of Peters, Pierczyński and Skowron,
"Proportional Participatory Budgeting with Additive Utilities", NeurIPS 2021, and a small
one worked through below), the tie-break rule, and random elections against pabutools'
own ``completion_by_rule_combination`` and greedy rule (hypothesis).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pabutools.election import (  # type: ignore[import-untyped]
    ApprovalBallot,
    ApprovalProfile,
    Cost_Sat,
)
from pabutools.rules import (  # type: ignore[import-untyped]
    completion_by_rule_combination,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)

from mitmachen.budgets.results import TIE_BREAKING, Election, compute, equal_shares, explain, greedy


def test_party_list_example():
    """10 voters, 10 € (1 € each). Voters 1–6 approve a1…a10, voters 7–10 b1…b10; every
    project costs 1 €. Greedy gives the majority everything; MES gives 6 to 4."""
    a = list(range(1, 11))
    b = list(range(11, 21))
    election = Election(
        costs=dict.fromkeys(a + b, 1),
        budget=10,
        ballots=[frozenset(a)] * 6 + [frozenset(b)] * 4,
    )
    assert sorted(greedy(election)) == a
    chosen, completion = equal_shares(election)
    assert sorted(chosen) == a[:6] + b[:4]  # ties: same cost, so earlier idea first
    assert completion == []


def test_small_example_worked_by_hand():
    """5 voters, 300 € (60 € each). Voters 1–3 approve ideas 1, 2, 3 (100 € each), voters
    4–5 idea 4 (200 €). MES: idea 1 costs its 3 supporters 33.33 € each (26.67 € left
    each); idea 2 would need 100 € from 80 €: no. Idea 4 needs 200 € from 120 €: no.
    The greedy completion adds 2 and 3 (3 votes each, 100 € each): 300 € spent."""
    election = Election(
        costs={1: 100, 2: 100, 3: 100, 4: 200},
        budget=300,
        ballots=[frozenset({1, 2, 3})] * 3 + [frozenset({4})] * 2,
    )
    assert equal_shares(election) == ([1], [2, 3])
    assert greedy(election) == [1, 2, 3]


def test_minority_gets_its_share():
    """60 % want the two 500 € playgrounds, 40 % the 400 € youth room; 1,000 €.
    Greedy: both playgrounds. MES gives each voter 100 €: the 4 supporters of the youth
    room hold exactly its 400 €, the 6 of the playgrounds 600 € – enough for one."""
    election = Election(
        costs={1: 500, 2: 500, 3: 400},
        budget=1000,
        ballots=[frozenset({1, 2})] * 6 + [frozenset({3})] * 4,
    )
    assert greedy(election) == [1, 2]
    chosen, completion = equal_shares(election)
    assert sorted(chosen) == [1, 3]
    assert completion == []


def test_ties_go_to_the_cheaper_then_the_earlier_idea():
    election = Election(
        costs={7: 300, 3: 300, 5: 200},
        budget=500,
        ballots=[frozenset({3, 5, 7})],
    )
    # All three have one vote: 5 (cheapest), then 3 (earlier than 7); 7 no longer fits.
    assert greedy(election) == [5, 3]


def test_ideas_without_votes_never_win():
    election = Election(costs={1: 100, 2: 50, 3: 10}, budget=1000, ballots=[frozenset({1})] * 3)
    assert greedy(election) == [1]
    assert equal_shares(election) == ([1], [])
    assert greedy(Election(costs={1: 100}, budget=1000, ballots=[])) == []


def test_explanations_name_the_figures():
    election = Election(
        costs={1: 500, 2: 500, 3: 400},
        budget=1000,
        ballots=[frozenset({1, 2})] * 6 + [frozenset({3})] * 4,
    )
    data = compute(election, binding="mes")
    youth = next(r for r in data["rows"] if r["idea"] == 3)
    text = explain(youth, data, "mes")
    assert "4 Stimmen" in text and "100 €" in text and "gewählt" in text
    assert "Geld nicht mehr für 400 €" in explain(youth, data, "greedy")


elections = st.integers(min_value=1, max_value=8).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(min_value=1, max_value=60), min_size=n, max_size=n),
        st.integers(min_value=1, max_value=200),
        st.lists(st.frozensets(st.integers(min_value=0, max_value=n - 1)), min_size=0, max_size=25),
    )
)


@settings(max_examples=60, deadline=None)
@given(elections)
def test_random_elections_match_pabutools(raw):
    costs, budget, ballots = raw
    election = Election(
        costs={i + 1: c for i, c in enumerate(costs)},
        budget=budget,
        ballots=[frozenset(i + 1 for i in b) for b in ballots],
    )
    # The reference: pabutools on the plain profile (one ballot each), not our
    # multi-profile (identical ballots counted once with their number).
    instance, multi, ids = election.pabutools()
    profile = ApprovalProfile(
        [ApprovalBallot(b) for b in multi for _n in range(multi.multiplicity(b))],
        instance=instance,
    )
    expected_greedy = greedy_utilitarian_welfare(
        instance, profile, sat_class=Cost_Sat, tie_breaking=TIE_BREAKING
    )
    assert sorted(greedy(election)) == sorted(ids[p.name] for p in expected_greedy)
    expected_mes = completion_by_rule_combination(
        instance,
        profile,
        [method_of_equal_shares, greedy_utilitarian_welfare],
        [
            {"sat_class": Cost_Sat, "tie_breaking": TIE_BREAKING},
            {"sat_class": Cost_Sat, "tie_breaking": TIE_BREAKING},
        ],
    )
    chosen, completion = equal_shares(election)
    assert sorted(chosen + completion) == sorted(ids[p.name] for p in expected_mes)
    # Never over budget, whatever the rule.
    assert sum(election.costs[i] for i in chosen + completion) <= budget
    assert sum(election.costs[i] for i in greedy(election)) <= budget


def test_pabulib_export_reads_back_with_pabutools():
    from pabutools.election.pabulib import parse_pabulib_from_string  # type: ignore[import-untyped]

    from mitmachen.budgets.results import pabulib

    election = Election(
        costs={1: 500, 2: 500, 3: 400, 4: 99},
        budget=1000,
        ballots=[frozenset({1, 2})] * 6 + [frozenset({3})] * 4,
    )
    text = pabulib(
        election,
        titles={1: "Spielplatz; Nord", 2: "Spielplatz Süd", 3: "Jugendraum", 4: "Bank"},
        meta={"description": "Test", "country": "Germany", "unit": "Belzig", "instance": "2027"},
        rule="mes",
    )
    instance, profile = parse_pabulib_from_string(text)
    assert instance.budget_limit == 1000 and len(instance) == 4
    assert profile.num_ballots() == 10
    assert instance.meta["rule"] == "equalshares"
    assert "Spielplatz, Nord" in text
