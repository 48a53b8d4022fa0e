"""The Bürgerhaushalt's section of the council report (``ParticipationModule.report``).

Per budget of the project: its groups with their money, the ideas handed in by channel,
the feasibility review (machbar / nicht machbar), the ballots that count (online, on
paper), and each group's result under the budget's binding rule with the share of the
money it gives out. The result is the stored one (``GroupResult.data``, computed once by
``results.compute`` after the ballot closed, the same figures as the results page):
nothing is counted again here, and the report starts no computation.

No resident is named: figures, the titles of ideas (public on the budget's pages; a
hidden idea's title reads "ausgeblendete Idee", as on the results page) and the money.
Ideas the moderation hid are not counted. Queries: five, whatever the number of budgets,
groups, ideas and ballots (budgets, groups with their results, ideas counted, ballots
counted, the titles of the ideas in the results), and the project's phases once while a
result is still missing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from mitmachen.budgets.models import (
    COUNTED_BALLOT,
    Ballot,
    Budget,
    BudgetGroup,
    Feasibility,
    Idea,
    ResultRule,
)
from mitmachen.budgets.results import _euros
from mitmachen.core.channels import Channel
from mitmachen.projects.models import Project
from mitmachen.projects.report import ReportSection, ReportTable


def euros(value: float) -> str:
    """An amount as the report prints it: "12.500 €"."""
    return f"{_euros(value)}\u00a0€"


def share(part: float, whole: float) -> str:
    """Whole per cent, rounded half up: "83 %"."""
    if not whole:
        return "–"
    return f"{int(200 * part / whole + 1) // 2}\u00a0%"


def _result_rows(
    data: dict[str, Any], titles: dict[int, tuple[str, bool]]
) -> tuple[tuple[Any, ...], ...]:
    """The ideas of a stored result: the winners in the order the binding rule chose
    them, then the others by votes (``results.compute``'s order)."""
    binding = data["binding"]
    won = sorted((r for r in data["rows"] if r[binding]), key=lambda r: r[binding])
    lost = [r for r in data["rows"] if not r[binding]]
    rows = []
    for row in [*won, *lost]:
        title, hidden = titles.get(row["idea"], ("", True))
        rows.append(
            (
                _("ausgeblendete Idee") if hidden else title,
                _euros(row["cost"]),
                row["votes"],
                _("gewählt (Schritt %(step)s)") % {"step": row[binding]}
                if row[binding]
                else _("nicht gewählt"),
            )
        )
    return tuple(rows)


def report(project: Project) -> ReportSection | None:
    budgets = list(Budget.objects.filter(project=project).order_by("created_at", "pk"))
    if not budgets:
        return None
    for budget in budgets:
        budget.project = project  # its phases are the project's (read once: ``closed``)
    groups = list(
        BudgetGroup.objects.filter(budget__in=budgets)
        .select_related("result")
        .order_by("budget_id", "order", "pk")
    )
    shown = Idea.objects.filter(budget__in=budgets, hidden_at__isnull=True)
    ideas: dict[tuple[int, int, str, str], int] = {
        (b, g, c, f): n
        for b, g, c, f, n in shown.order_by()
        .values_list("budget_id", "group_id", "channel", "feasibility")
        .annotate(n=Count("pk"))
    }
    ballots = {
        g: (online, paper)
        for g, online, paper in Ballot.objects.filter(COUNTED_BALLOT, group__in=groups)
        .order_by()
        .values_list("group_id")
        .annotate(
            online=Count("pk", filter=Q(batch__isnull=True)),
            paper=Count("pk", filter=Q(batch__isnull=False)),
        )
    }
    results: dict[int, dict[str, Any]] = {
        g.pk: g.result.data for g in groups if _done(g) and g.result.data is not None
    }
    in_results = {row["idea"] for data in results.values() for row in data["rows"]}
    titles = {
        pk: (title, hidden_at is not None)
        for pk, title, hidden_at in Idea.objects.filter(pk__in=in_results).values_list(
            "pk", "title", "hidden_at"
        )
    }

    channel_labels = dict(Channel.choices)
    total_ideas = sum(ideas.values())
    figures: list[tuple[str, Any]] = []
    if len(budgets) > 1:
        figures.append((_("Bürgerhaushalte"), len(budgets)))
    figures += [
        (_("Ideen"), total_ideas),
        (
            _("machbar"),
            sum(n for (_b, _g, _c, f), n in ideas.items() if f == Feasibility.FEASIBLE),
        ),
        (
            _("nicht machbar"),
            sum(n for (_b, _g, _c, f), n in ideas.items() if f == Feasibility.UNFEASIBLE),
        ),
        (_("Stimmzettel"), sum(o + p for o, p in ballots.values())),
    ]
    tables: list[ReportTable] = []
    text: list[str] = [
        _(
            "Ideen für den Bürgerhaushalt, online eingereicht oder auf Papier, am Stand und "
            "in Veranstaltungen abgegeben; ihre Prüfung durch die Verwaltung; die "
            "Stimmzettel, online und auf Papier (gezählt, sobald eine zweite Person den "
            "Stapel bestätigt hat); und das Ergebnis nach der verbindlichen Regel des "
            "Bürgerhaushalts, wie es die Ergebnisseite zeigt. Von der Moderation "
            "ausgeblendete Ideen zählen nicht."
        )
    ]
    closed: bool | None = None
    for budget in budgets:
        own = [g for g in groups if g.budget_id == budget.pk]
        mine = {k: n for k, n in ideas.items() if k[0] == budget.pk}
        prefix = f"{budget.title}: " if len(budgets) > 1 else ""
        rule = ResultRule(budget.result_rule).label
        text.append(
            _("%(budget)s: verbindliche Auszählungsregel „%(rule)s“.")
            % {"budget": budget.title, "rule": rule}
        )
        group_rows = []
        for group in own:
            online, paper = ballots.get(group.pk, (0, 0))
            data = results.get(group.pk)
            if data is None:
                spent: Any = _("Ergebnis steht noch aus")
                allocated = "–"
            else:
                money = data[f"{data['binding']}_spent"]
                spent, allocated = _euros(money), share(money, group.amount)
            group_rows.append(
                (
                    group.name,
                    _euros(group.amount),
                    sum(n for (_b, g, _c, _f), n in mine.items() if g == group.pk),
                    online,
                    paper,
                    spent,
                    allocated,
                )
            )
        tables.append(
            ReportTable(
                prefix + _("Budgetgruppen"),
                (
                    _("Gruppe"),
                    _("Betrag (€)"),
                    _("Ideen"),
                    _("Stimmzettel online"),
                    _("Stimmzettel auf Papier"),
                    _("vergeben (€)"),
                    _("Anteil"),
                ),
                tuple(group_rows),
            )
        )
        by_channel: dict[str, int] = {}
        by_review: dict[str, int] = {}
        for (_b, _g, channel, feasibility), n in mine.items():
            by_channel[channel] = by_channel.get(channel, 0) + n
            by_review[feasibility] = by_review.get(feasibility, 0) + n
        tables.append(
            ReportTable(
                prefix + _("Ideen nach Kanal"),
                (_("Kanal"), _("Ideen")),
                tuple(
                    (str(channel_labels.get(c, c)), by_channel[c])
                    for c in sorted(by_channel, key=lambda c: (c != Channel.ONLINE, c))
                ),
            )
        )
        tables.append(
            ReportTable(
                prefix + _("Prüfung der Ideen"),
                (_("Ergebnis der Prüfung"), _("Ideen")),
                tuple(
                    (str(label), by_review.get(value, 0))
                    for value, label in (
                        (Feasibility.FEASIBLE, Feasibility.FEASIBLE.label),
                        (Feasibility.UNFEASIBLE, Feasibility.UNFEASIBLE.label),
                        (Feasibility.PENDING, Feasibility.PENDING.label),
                    )
                    if value != Feasibility.PENDING or by_review.get(value)
                ),
            )
        )
        for group in own:
            data = results.get(group.pk)
            title = f"{budget.title} – {group.name}: " + _("Ergebnis nach „%(rule)s“") % {
                "rule": ResultRule(data["binding"]).label if data else rule
            }
            if data is None:
                if closed is None:  # the same phases for every budget of the project
                    closed = budget.ballot_closed()
                tables.append(ReportTable(title, (_("Ergebnis"),), ((_pending(closed),),)))
                continue
            money = data[f"{data['binding']}_spent"]
            tables.append(
                ReportTable(
                    title,
                    (_("Idee"), _("Kosten (€)"), _("Stimmen"), _("Ergebnis")),
                    _result_rows(data, titles),
                    _("%(voters)s Stimmzettel; vergeben %(spent)s von %(amount)s (%(share)s).")
                    % {
                        "voters": data["voters"],
                        "spent": euros(money),
                        "amount": euros(data["budget"]),
                        "share": share(money, data["budget"]),
                    },
                )
            )
    return ReportSection(
        key="budgets",
        title=_("Bürgerhaushalt"),
        order=50,
        figures=tuple(figures),
        text=tuple(text),
        tables=tuple(tables),
    )


def _done(group: BudgetGroup) -> bool:
    try:
        result = group.result
    except BudgetGroup.result.RelatedObjectDoesNotExist:
        return False
    return result.done


def _pending(closed: bool) -> str:
    if not closed:
        return _("Die Abstimmung ist noch nicht abgeschlossen.")
    return _("Das Ergebnis wird berechnet; es erscheint, sobald die Ergebnisseite es zeigt.")
