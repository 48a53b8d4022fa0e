"""Results of a group's ballot, computed with pabutools (the rules are not ours).

- **greedy** ("Meiste Stimmen zuerst"): pabutools' ``greedy_utilitarian_welfare`` with
  cost satisfaction – a project's welfare is ``votes × cost``, and greedy picks by welfare
  per euro, so by votes: the most-voted idea first, skipping ideas that no longer fit.
- **mes** ("Methode der gleichen Anteile"): pabutools' ``method_of_equal_shares`` with
  cost satisfaction (each voter starts with an equal share of the money), completed by
  the greedy rule above with the MES outcome as its start – what pabutools'
  ``completion_by_rule_combination`` does (``tests/test_results.py`` checks both agree).

Ties (both rules): the cheaper idea first, then the one submitted earlier
(``TIE_BREAKING``). Costs on the ballot are whole euros (``Idea.cost``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# pabutools ships no type information.
from pabutools.election import (  # type: ignore[import-untyped]
    ApprovalBallot,
    ApprovalMultiProfile,
    ApprovalProfile,
    Cost_Sat,
    FrozenApprovalBallot,
    Instance,
    SatisfactionMultiProfile,
)
from pabutools.election import Project as PbProject
from pabutools.election.satisfaction.satisfactionmeasure import (  # type: ignore[import-untyped]
    SatisfactionMeasure,
)
from pabutools.rules import (  # type: ignore[import-untyped]
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)
from pabutools.tiebreaking import TieBreakingRule  # type: ignore[import-untyped]


def _name(idea_id: int) -> str:
    # Zero-padded: pabutools compares names as text; padded, text order is id order.
    return f"{idea_id:012d}"


TIE_BREAKING = TieBreakingRule(lambda instance, profile, project: (project.cost, project.name))


class ApprovalCostSat(Cost_Sat):
    """pabutools' ``Cost_Sat`` for approval ballots, with the same values, made fast.

    A voter's satisfaction with an idea is its cost if they approved it, 0 otherwise –
    exactly ``Cost_Sat`` (the hypothesis test compares the outcomes with pabutools' own
    class). ``Cost_Sat`` looks each (ballot, idea) pair up through a generic scoring
    function and hashes the whole ballot on every multiplicity lookup; for 500 ideas and
    40,000 ballots that is tens of millions of slow calls (measured: MES and its
    completion did not finish in 10 minutes). Here the ballot's idea names are a
    frozenset read once and its hash is kept (the ballot never changes during a run).
    """

    def __init__(self, instance: Instance, profile: Any, ballot: ApprovalBallot) -> None:
        SatisfactionMeasure.__init__(self, instance, profile, ballot)
        self._names = frozenset(p.name for p in ballot)
        self._hash = hash(self._names)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return self is other or (
            isinstance(other, SatisfactionMeasure) and self.ballot == other.ballot
        )

    def get_project_sat(self, project: PbProject) -> int:
        return int(project.cost) if project.name in self._names else 0

    def sat_project(self, project: PbProject) -> int:
        return int(project.cost) if project.name in self._names else 0

    def sat(self, projects: Any) -> int:
        return sum(int(p.cost) for p in projects if p.name in self._names)


class ApprovalCostSatProfile(SatisfactionMultiProfile):
    """The satisfaction profile of ``ApprovalCostSat``: identical ballots once with their
    number. The total satisfaction of an idea (what the greedy rule sorts by) is its cost
    times its number of votes, counted once here instead of summed over every ballot for
    every idea."""

    def __init__(self, multiprofile: ApprovalMultiProfile) -> None:
        super().__init__(
            instance=multiprofile.instance, multiprofile=multiprofile, sat_class=ApprovalCostSat
        )
        votes: dict[str, int] = {}
        for ballot, number in multiprofile.items():
            for project in ballot:
                votes[project.name] = votes.get(project.name, 0) + number
        self._votes = votes

    def total_satisfaction_project(self, project: PbProject) -> int:
        return self._votes.get(project.name, 0) * int(project.cost)


@dataclass(frozen=True)
class Election:
    """A group's election as plain data: {idea id: cost}, the budget, the ballots."""

    costs: dict[int, int]
    budget: int
    ballots: list[frozenset[int]]

    def pabutools(self) -> tuple[Instance, ApprovalMultiProfile, dict[str, int]]:
        """The election for pabutools. Ideas nobody voted for are left out: pabutools'
        greedy rule would fund them with money left over, and an idea without a single
        vote must not win (the results page says "Erhielt keine Stimmen")."""
        voted = {idea for ballot in self.ballots for idea in ballot}
        projects = {
            idea: PbProject(_name(idea), cost) for idea, cost in self.costs.items() if idea in voted
        }
        instance = Instance(projects.values(), budget_limit=self.budget)
        # Identical ballots counted once with their number: the same outcome, and MES on
        # 4,000 ballots of 300 distinct kinds takes 0.3 s instead of 5.6 s (measured).
        multi = ApprovalMultiProfile(instance=instance)
        counted: dict[frozenset[int], int] = {}
        for ballot in self.ballots:
            kept = frozenset(i for i in ballot if i in projects)
            counted[kept] = counted.get(kept, 0) + 1
        for ballot, number in counted.items():
            multi[FrozenApprovalBallot(projects[i] for i in sorted(ballot))] = number
        return instance, multi, {p.name: idea for idea, p in projects.items()}


@dataclass
class Prepared:
    """An election handed to pabutools once, for both rules."""

    instance: Instance
    profile: ApprovalMultiProfile
    sat_profile: ApprovalCostSatProfile
    ids: dict[str, int]

    @classmethod
    def of(cls, election: Election) -> Prepared:
        instance, profile, ids = election.pabutools()
        return cls(instance, profile, ApprovalCostSatProfile(profile), ids)


def _greedy(prepared: Prepared, initial: Any = None) -> Any:
    return greedy_utilitarian_welfare(
        prepared.instance,
        prepared.profile,
        sat_profile=prepared.sat_profile,
        is_sat_additive=True,
        tie_breaking=TIE_BREAKING,
        initial_budget_allocation=initial,
    )


def greedy(election: Election | Prepared) -> list[int]:
    """The ideas the greedy rule selects, in the order it selects them."""
    prepared = election if isinstance(election, Prepared) else Prepared.of(election)
    return [prepared.ids[p.name] for p in _greedy(prepared)]


def equal_shares(
    election: Election | Prepared, progress: Any = None
) -> tuple[list[int], list[int]]:
    """The ideas MES selects, and those the greedy completion adds after them.
    ``progress(step)`` is told "mes" once MES itself is done."""
    prepared = election if isinstance(election, Prepared) else Prepared.of(election)
    mes = method_of_equal_shares(
        prepared.instance,
        prepared.profile,
        sat_profile=prepared.sat_profile,
        tie_breaking=TIE_BREAKING,
    )
    if progress is not None:
        progress("mes")
    completed = _greedy(prepared, initial=mes)
    ids = prepared.ids
    chosen = [ids[p.name] for p in mes]
    return chosen, [ids[p.name] for p in completed if ids[p.name] not in set(chosen)]


def _euros(value: float) -> str:
    """German notation: 1.234 or 1.234,56 (cents only when there are any)."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


def compute(election: Election, *, binding: str, progress: Any = None) -> dict[str, Any]:
    """Both rules' outcomes with the figures per idea the results page explains.

    Returns plain JSON (stored in ``GroupResult.data``): ``rows`` per idea (id, cost,
    votes, whether each rule selected it and in which step), the money each rule spends,
    and the share each voter holds under MES. ``progress(step)`` hears of each step
    ("prepared", "greedy", "mes", "completion"), for the page that shows the progress.
    """
    votes = dict.fromkeys(election.costs, 0)
    for ballot in election.ballots:
        for idea in ballot:
            if idea in votes:
                votes[idea] += 1
    report = progress or (lambda step: None)
    prepared = Prepared.of(election)
    report("prepared")
    greedy_ids = greedy(prepared)
    report("greedy")
    mes_ids, completion_ids = equal_shares(prepared, progress=report)
    report("completion")
    voters = len(election.ballots)
    rows: list[dict[str, Any]] = []
    for idea, cost in election.costs.items():
        rows.append(
            {
                "idea": idea,
                "cost": cost,
                "votes": votes[idea],
                "greedy": greedy_ids.index(idea) + 1 if idea in greedy_ids else None,
                "mes": (mes_ids + completion_ids).index(idea) + 1
                if idea in mes_ids or idea in completion_ids
                else None,
                "mes_completion": idea in completion_ids,
            }
        )
    rows.sort(key=lambda r: (-r["votes"], r["cost"], r["idea"]))
    return {
        "binding": binding,
        "budget": election.budget,
        "voters": voters,
        "share_per_voter": election.budget / voters if voters else 0,
        "greedy_spent": sum(election.costs[i] for i in greedy_ids),
        "mes_spent": sum(election.costs[i] for i in mes_ids + completion_ids),
        "rows": rows,
    }


def explain(row: dict[str, Any], data: dict[str, Any], rule: str) -> str:
    """A plain-German sentence why the idea won or lost under ``rule``."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    votes = ngettext("%(n)d Stimme", "%(n)d Stimmen", row["votes"]) % {"n": row["votes"]}
    if rule == "greedy":
        if row["greedy"]:
            return _(
                "Erhielt %(votes)s. Nach der Zahl der Stimmen an Stelle %(step)d gewählt; "
                "das Geld reichte noch."
            ) % {"votes": votes, "step": row["greedy"]}
        if not row["votes"]:
            return _("Erhielt keine Stimmen.")
        return _(
            "Erhielt %(votes)s. Als die Reihe an diesen Vorschlag kam, reichte das "
            "verbliebene Geld nicht mehr für %(cost)s €."
        ) % {"votes": votes, "cost": _euros(row["cost"])}
    share = data["share_per_voter"]
    if not row["votes"]:
        return _("Erhielt keine Stimmen.")
    per_vote = row["cost"] / row["votes"]
    figures = _(
        "Erhielt %(votes)s; auf jede Stimme kamen %(per_vote)s € der Kosten, jede "
        "abstimmende Person hatte einen Anteil von %(share)s €."
    ) % {"votes": votes, "per_vote": _euros(per_vote), "share": _euros(share)}
    if row["mes"] and not row["mes_completion"]:
        return (
            figures
            + " "
            + _(
                "Die Unterstützerinnen und Unterstützer konnten die Kosten aus ihren Anteilen "
                "gemeinsam tragen: gewählt (Schritt %(step)d)."
            )
            % {"step": row["mes"]}
        )
    if row["mes"]:
        return (
            figures
            + " "
            + _(
                "Mit den gleichen Anteilen allein reichte es nicht; gewählt im zweiten "
                "Schritt, der das übrige Geld nach der Zahl der Stimmen verteilt."
            )
        )
    return (
        figures
        + " "
        + _(
            "Die Anteile der Unterstützerinnen und Unterstützer reichten nicht (ein Teil war "
            "schon für andere gewählte Vorschläge ausgegeben), und im zweiten Schritt war "
            "nicht mehr genug Geld übrig."
        )
    )


def pabulib(election: Election, *, titles: dict[int, str], meta: dict[str, str], rule: str) -> str:
    """The election in the Pabulib ``.pb`` format researchers use (pabutools writes it).

    Every idea on the ballot is listed (also those without votes); voters are numbered
    in the order of their ballots and carry nothing about the person.
    """
    from pabutools.election.pabulib import election_as_pabulib_string  # type: ignore[import-untyped]

    projects = {idea: PbProject(str(idea), cost) for idea, cost in election.costs.items()}
    instance = Instance(projects.values(), budget_limit=election.budget)
    instance.meta = {**meta, "rule": {"mes": "equalshares", "greedy": "greedy"}[rule]}
    instance.project_meta = {
        projects[idea]: {"name": " ".join(titles.get(idea, "").replace(";", ",").split())}
        for idea in projects
    }
    profile = ApprovalProfile(
        [ApprovalBallot(projects[i] for i in sorted(b) if i in projects) for b in election.ballots],
        instance=instance,
    )
    return str(election_as_pabulib_string(instance, profile))
