"""The Bürgerhaushalt's part of the demo region (called by ``manage.py seed_demo``).

The demo announces the project "Bürgerhaushalt 2027" (a draft, for staff). This adds its
budget – the whole town and two Ortsteil groups – with 25 invented ideas, reviewed by
the project manager (some not feasible, with the reason), and lets the project's phases
"Vorschläge einreichen" and "Abstimmung" collect ideas and hold the ballot. Everything
goes through the services; run twice, it adds nothing.
"""

from __future__ import annotations

from typing import Any

from mitmachen.accounts.models import User
from mitmachen.budgets import services
from mitmachen.budgets.models import SUBMIT_IDEA, VOTE, BallotRule, Budget, ResultRule
from mitmachen.organisations.models import District
from mitmachen.projects.models import Project

PROJECT = "buergerhaushalt-2027"
TITLE = "Bürgerhaushalt 2027"
DESCRIPTION = (
    "*Beispiel: Die Ideen, Namen und Beträge dieses Bürgerhaushalts sind für die Demo "
    "erfunden.*\n\n"
    "60.000 € für Vorhaben in der ganzen Stadt und je 10.000 € für zwei Ortsteilgruppen. "
    "Jede Person ab 14 Jahren kann Ideen einreichen und abstimmen – in der ganzen Stadt "
    "und in der Gruppe ihres Ortsteils."
)
GROUPS = [
    # name, amount, rule, max choices, Ortsteile
    ("Ganze Stadt", 60_000, BallotRule.KNAPSACK, None, []),
    ("Ortsteilbudget Lübnitz", 10_000, BallotRule.APPROVAL, 3, ["luebnitz"]),
    (
        "Ortsteilbudget Hagelberg und Bergholz",
        10_000,
        BallotRule.KNAPSACK,
        None,
        ["hagelberg", "bergholz"],
    ),
]
FEASIBLE, UNFEASIBLE, PENDING = "machbar", "nicht machbar", "offen"
# group index, title, description, estimated cost, Ortsteil, review, official cost, explanation
IDEAS: list[tuple[int, str, str, int, str | None, str, int | None, str]] = [
    (
        0,
        "Trinkbrunnen am Marktplatz",
        "Ein Trinkwasserbrunnen für heiße Sommertage.",
        18_000,
        "bad-belzig",
        FEASIBLE,
        21_500,
        "Machbar; der Wasseranschluss liegt in der Nähe. Die Kosten enthalten fünf Jahre Wartung.",
    ),
    (
        0,
        "Schattenbäume in der Brandenburger Straße",
        "Sechs Bäume mit Bewässerungssäcken.",
        15_000,
        "bad-belzig",
        FEASIBLE,
        14_000,
        "Machbar an fünf der sechs Standorte; ein Standort liegt über einer Leitung.",
    ),
    (
        0,
        "Überdachte Fahrradbügel am Bahnhof",
        "Zwanzig Bügel mit Dach.",
        25_000,
        "bad-belzig",
        FEASIBLE,
        28_000,
        "Machbar; die Fläche gehört der Stadt.",
    ),
    (
        0,
        "Sitzbänke am Burgweg",
        "Bänke zum Ausruhen auf dem Weg zur Burg Eisenhardt.",
        6_000,
        "bad-belzig",
        FEASIBLE,
        6_500,
        "Machbar; vier Bänke aus heimischem Holz.",
    ),
    (
        0,
        "Jugendraum im Bahnhofsgebäude",
        "Ausstattung für einen offenen Treff.",
        22_000,
        "bad-belzig",
        FEASIBLE,
        19_000,
        "Machbar; Möbel und Technik, die Miete trägt der Kreis.",
    ),
    (
        0,
        "Bücherzelle in der Innenstadt",
        "Eine alte Telefonzelle als offener Bücherschrank.",
        3_000,
        "bad-belzig",
        FEASIBLE,
        3_500,
        "Machbar; der Heimatverein übernimmt die Pflege.",
    ),
    (
        0,
        "Skatepark erweitern",
        "Zwei neue Elemente für den Skatepark.",
        35_000,
        "bad-belzig",
        FEASIBLE,
        38_000,
        "Machbar; Kosten laut Angebot eines Fachbetriebs.",
    ),
    (
        0,
        "Kostenloser Stadtbus am Wochenende",
        "Busse fahren samstags und sonntags ohne Fahrschein.",
        90_000,
        None,
        UNFEASIBLE,
        None,
        "Nicht machbar: Der Busverkehr ist Aufgabe des Landkreises, und die "
        "jährlichen Kosten übersteigen das Budget.",
    ),
    (
        0,
        "Freibad wieder öffnen",
        "Das frühere Freibad sanieren.",
        50_000,
        "bad-belzig",
        UNFEASIBLE,
        None,
        "Nicht machbar: Die Sanierung kostet nach einem Gutachten über 2 Millionen Euro.",
    ),
    (
        0,
        "Blühwiese am Stadtpark",
        "Eine Wiese für Insekten statt Rasen.",
        4_000,
        "bad-belzig",
        FEASIBLE,
        4_500,
        "Machbar; der Bauhof sät im Frühjahr.",
    ),
    (
        0,
        "Mehr Papierkörbe im Kurpark",
        "Zehn Papierkörbe mit Deckel.",
        5_000,
        "bad-belzig",
        FEASIBLE,
        4_800,
        "Machbar.",
    ),
    (
        0,
        "Spielgeräte für den Springbach-Spielplatz",
        "Eine Nestschaukel und ein Kletterturm.",
        30_000,
        "bad-belzig",
        FEASIBLE,
        32_000,
        "Machbar; inklusive Fallschutz.",
    ),
    (
        0,
        "Öffentliche Toilette am Busbahnhof",
        "Eine barrierefreie Toilette.",
        45_000,
        "bad-belzig",
        PENDING,
        None,
        "",
    ),
    (
        0,
        "Beleuchtung am Radweg nach Fredersdorf",
        "Solarleuchten auf dem dunklen Abschnitt.",
        40_000,
        "fredersdorf",
        FEASIBLE,
        44_000,
        "Machbar; zwölf Solarleuchten ohne Kabel.",
    ),
    (
        1,
        "Neue Bank am Dorfteich Lübnitz",
        "Die alte Bank ist morsch.",
        1_500,
        "luebnitz",
        FEASIBLE,
        1_800,
        "Machbar.",
    ),
    (
        1,
        "Material für die Jugendfeuerwehr Lübnitz",
        "Übungsschläuche und Helme.",
        4_000,
        "luebnitz",
        FEASIBLE,
        4_200,
        "Machbar; die Beschaffung läuft über die Stadt.",
    ),
    (
        1,
        "Dorfgemeinschaftshaus: neue Stühle",
        "Sechzig stapelbare Stühle.",
        5_000,
        "luebnitz",
        FEASIBLE,
        5_400,
        "Machbar.",
    ),
    (
        1,
        "Breitband für jedes Haus",
        "Glasfaser bis in jedes Haus.",
        9_000,
        "luebnitz",
        UNFEASIBLE,
        None,
        "Nicht machbar: Der Ausbau liegt beim Netzbetreiber; die Stadt hat ihn "
        "für 2028 angemeldet.",
    ),
    (
        1,
        "Obstbäume am Feldweg",
        "Zwanzig alte Apfelsorten.",
        2_500,
        "luebnitz",
        FEASIBLE,
        2_600,
        "Machbar; die Pflege übernimmt der Obstbauverein.",
    ),
    (
        1,
        "Infotafel zur Dorfgeschichte",
        "Eine Tafel an der Kirche.",
        1_200,
        "luebnitz",
        PENDING,
        None,
        "",
    ),
    (
        2,
        "Wanderparkplatz am Hagelberg",
        "Zehn Stellplätze mit Infotafel.",
        8_000,
        "hagelberg",
        FEASIBLE,
        9_000,
        "Machbar; die Fläche gehört der Stadt.",
    ),
    (
        2,
        "Spielplatz Bergholz sanieren",
        "Neue Schaukel und Sandkasten.",
        7_000,
        "bergholz",
        FEASIBLE,
        6_500,
        "Machbar.",
    ),
    (
        2,
        "Bushaltestelle mit Dach in Bergholz",
        "Ein Wartehäuschen an der Dorfstraße.",
        6_000,
        "bergholz",
        FEASIBLE,
        7_500,
        "Machbar; der Landkreis stimmt zu.",
    ),
    (
        2,
        "Aussichtsturm auf dem Hagelberg",
        "Ein Turm aus Holz.",
        9_500,
        "hagelberg",
        UNFEASIBLE,
        None,
        "Nicht machbar: Die Fläche liegt im Naturschutzgebiet; ein Turm ist "
        "dort nicht genehmigungsfähig.",
    ),
    (
        2,
        "Defibrillator am Gemeindehaus Hagelberg",
        "Ein öffentlich zugänglicher Defibrillator.",
        2_500,
        "hagelberg",
        FEASIBLE,
        2_800,
        "Machbar; mit Schulung für Freiwillige.",
    ),
]


def _allow_budget_actions(project: Project) -> None:
    """Ideas in the demo project's phase of proposals, ballots in its phase of voting."""
    for phase in project.ordered_phases():
        if phase.name == "Vorschläge einreichen":
            services.phase_allow(phase=phase, action=SUBMIT_IDEA)
        elif phase.name == "Abstimmung":
            services.phase_allow(phase=phase, action=VOTE)


def demo(report: Any) -> None:
    project = Project.objects.filter(slug=PROJECT).first()
    if project is None or Budget.objects.filter(project=project, title=TITLE).exists():
        return
    staff = User.objects.filter(email="projekt@example.org").first()
    authors = [
        *User.objects.filter(email="bewohnerin@example.org"),
        *User.objects.filter(email__startswith="unterstuetzer").order_by("pk")[:12],
    ]
    if staff is None or not authors:
        return
    districts = {d.slug: d for d in District.objects.filter(organisation=project.organisation)}
    _allow_budget_actions(project)
    budget = services.budget_create(
        project=project,
        title=TITLE,
        description=DESCRIPTION,
        result_rule=ResultRule.MES,
        user=staff,
    )
    report.add("Bürgerhaushalt", budget.title)
    groups = []
    for order, (name, amount, rule, max_choices, slugs) in enumerate(GROUPS):
        groups.append(
            services.group_create(
                budget=budget,
                name=name,
                amount=amount,
                ballot_rule=rule,
                max_choices=max_choices,
                districts=[districts[s] for s in slugs if s in districts],
                order=order,
            )
        )
        report.add("Budgetgruppe", name)
    for n, (group, title, text, cost, district, review, official, why) in enumerate(IDEAS):
        idea = services.idea_submit(
            author=authors[n % len(authors)],
            budget=budget,
            group=groups[group],
            title=title,
            description=text,
            estimated_cost=cost if cost <= groups[group].amount else groups[group].amount,
            district=districts.get(district) if district else None,
            check_permission=False,  # invented ideas, entered before the phase begins
        )
        if review != PENDING:
            services.idea_review(
                user=staff,
                idea=idea,
                feasible=review == FEASIBLE,
                explanation=why,
                official_cost=official,
                check_permission=False,
            )
        report.add("Idee", title)


# --- Last year's finished Bürgerhaushalt -------------------------------------------------
# The project "Bürgerhaushalt 2026" (demo projects_data): ideas, a review, a vote that
# ended three months ago with ballots online (demo supporter accounts) and on paper
# (stacks entered by one person and confirmed by another), and the results, computed by
# the results service as the background task would.

PROJECT_2026 = "buergerhaushalt-2026"
TITLE_2026 = "Bürgerhaushalt 2026"
DESCRIPTION_2026 = (
    "*Beispiel: Die Ideen, Stimmen und Beträge dieses Bürgerhaushalts sind für die Demo "
    "erfunden.*\n\n"
    "50.000 € für Vorhaben in der ganzen Stadt. 400 Stimmzettel wurden abgegeben, 60 "
    "online und 340 auf Papier.\n\n"
    "**Was das Ergebnis zeigt:** Die meisten Stimmen bekamen Ideen für die Kernstadt. "
    "Nach der Regel „Meiste Stimmen zuerst“ wäre das ganze Geld dorthin gegangen. "
    "Verbindlich war aber die Methode der gleichen Anteile: Jede abstimmende Person hatte "
    "gedanklich 125 € zu vergeben. Die rund 160 Menschen, die für Ideen in Fredersdorf und "
    "Lüsse gestimmt haben, konnten mit ihren Anteilen die Bücherzelle in Fredersdorf und "
    "das Dach für die Bushaltestelle in Lüsse bezahlen – deshalb wurden diese gewählt, "
    "obwohl sie weniger Stimmen hatten als die Skaterfläche."
)
AMOUNT_2026 = 50_000
# title, description, estimated cost, Ortsteil, review, official cost, explanation
IDEAS_2026: list[tuple[str, str, int, str | None, str, int | None, str]] = [
    (
        "Sitzbänke in der Innenstadt",
        "Zehn Bänke mit Lehne zwischen Markt und Burg.",
        9_000,
        "bad-belzig",
        FEASIBLE,
        10_000,
        "Machbar; Bänke mit Armlehnen, wie sie der Seniorenbeirat empfiehlt.",
    ),
    (
        "Neue Spielgeräte im Stadtpark",
        "Eine Kletterkombination und eine Nestschaukel.",
        18_000,
        "bad-belzig",
        FEASIBLE,
        20_000,
        "Machbar; die Kosten enthalten den Fallschutz.",
    ),
    (
        "Skaterfläche am Sportplatz sanieren",
        "Neuer Belag und zwei Rampen.",
        18_000,
        "bad-belzig",
        FEASIBLE,
        18_000,
        "Machbar; der Belag wird im Frühjahr erneuert.",
    ),
    (
        "Bücherzelle in Fredersdorf",
        "Eine alte Telefonzelle als offener Bücherschrank.",
        4_000,
        "fredersdorf",
        FEASIBLE,
        5_000,
        "Machbar; der Heimatverein kümmert sich um die Bücher.",
    ),
    (
        "Bushaltestelle in Lüsse überdachen",
        "Ein Dach und eine Bank für die Haltestelle an der Dorfstraße.",
        10_000,
        "luesse",
        FEASIBLE,
        12_000,
        "Machbar; in Abstimmung mit dem Verkehrsverbund.",
    ),
    (
        "Beleuchtung am Radweg nach Lüsse",
        "Solarleuchten auf dem dunklen Abschnitt.",
        15_000,
        "luesse",
        FEASIBLE,
        15_000,
        "Machbar; zwölf Solarleuchten.",
    ),
    (
        "Hundewiese am Springbach",
        "Eine eingezäunte Wiese für Hunde.",
        8_000,
        "bad-belzig",
        FEASIBLE,
        8_000,
        "Machbar; eine städtische Wiese ist frei.",
    ),
    (
        "Parkhaus am Markt",
        "Ein Parkhaus mit 200 Plätzen.",
        20_000,
        "bad-belzig",
        UNFEASIBLE,
        None,
        "Nicht machbar: Ein Parkhaus kostet ein Vielfaches des Bürgerhaushalts.",
    ),
    (
        "Rutsche für das Freibad",
        "Eine große Wasserrutsche.",
        20_000,
        None,
        UNFEASIBLE,
        None,
        "Nicht machbar: Das Freibad ist geschlossen; eine Rutsche allein hilft nicht.",
    ),
]
# How many ballots chose which ideas (by their titles above): a majority for the
# Kernstadt's ideas, a minority for Fredersdorf and Lüsse; 400 in all.
BALLOTS_2026: list[tuple[int, tuple[str, ...]]] = [
    (150, ("Neue Spielgeräte im Stadtpark", "Skaterfläche am Sportplatz sanieren",
           "Sitzbänke in der Innenstadt")),
    (60, ("Neue Spielgeräte im Stadtpark", "Sitzbänke in der Innenstadt")),
    (30, ("Skaterfläche am Sportplatz sanieren", "Sitzbänke in der Innenstadt",
          "Bücherzelle in Fredersdorf")),
    (100, ("Beleuchtung am Radweg nach Lüsse", "Bücherzelle in Fredersdorf",
           "Bushaltestelle in Lüsse überdachen")),
    (40, ("Beleuchtung am Radweg nach Lüsse", "Bushaltestelle in Lüsse überdachen")),
    (20, ("Bücherzelle in Fredersdorf", "Hundewiese am Springbach")),
]  # fmt: skip
ONLINE_2026 = 60  # of every sixth ballot, the first 60 were cast online (demo accounts)
PAPER_STACKS = ["Urne im Rathaus", "Briefwahl", "Marktstand auf dem Wochenmarkt"]


def demo_finished(report: Any) -> None:
    """The finished budget of 2026 with its results; nothing if it exists already."""
    project = Project.objects.filter(slug=PROJECT_2026).first()
    if project is None or Budget.objects.filter(project=project, title=TITLE_2026).exists():
        return
    enters = User.objects.filter(email="admin@example.org").first()
    checks = User.objects.filter(email="projekt@example.org").first()
    voters = list(User.objects.filter(email__startswith="unterstuetzer").order_by("pk"))
    authors = [*User.objects.filter(email="bewohnerin@example.org"), *voters[:8]]
    if enters is None or checks is None or len(voters) < ONLINE_2026:
        return
    districts = {d.slug: d for d in District.objects.filter(organisation=project.organisation)}
    _allow_budget_actions(project)
    budget = services.budget_create(
        project=project,
        title=TITLE_2026,
        description=DESCRIPTION_2026,
        result_rule=ResultRule.MES,
        user=checks,
    )
    report.add("Bürgerhaushalt", budget.title)
    group = services.group_create(budget=budget, name="Ganze Stadt", amount=AMOUNT_2026)
    report.add("Budgetgruppe", group.name)
    ideas = {}
    for n, (title, text, cost, district, review, official, why) in enumerate(IDEAS_2026):
        idea = services.idea_submit(
            author=authors[n % len(authors)],
            budget=budget,
            group=group,
            title=title,
            description=text,
            estimated_cost=cost,
            district=districts.get(district) if district else None,
            check_permission=False,  # invented ideas of a past phase
        )
        services.idea_review(
            user=checks,
            idea=idea,
            feasible=review == FEASIBLE,
            explanation=why,
            official_cost=official,
            check_permission=False,  # reviewed before the (past) vote
        )
        ideas[title] = idea.pk
        report.add("Idee", title)
    chosen = [[ideas[t] for t in titles] for count, titles in BALLOTS_2026 for _ in range(count)]
    online = chosen[::6][:ONLINE_2026]
    paper = chosen[::6][ONLINE_2026:] + [c for n, c in enumerate(chosen) if n % 6]
    for voter, idea_ids in zip(voters, online, strict=False):
        services.ballot_submit(voter=voter, group=group, idea_ids=idea_ids, check_permission=False)
    report.add("Stimmzettel online", str(len(online)))
    stack_size = -(-len(paper) // len(PAPER_STACKS))
    day = budget.vote_phases()[-1].end.date()
    for n, place in enumerate(PAPER_STACKS):
        lines = paper[n * stack_size : (n + 1) * stack_size]
        batch = services.paper_batch_create(user=enters, group=group, collected_on=day, place=place)
        services.paper_ballots_add(
            user=enters, batch=batch, lines="\n".join(",".join(map(str, c)) for c in lines)
        )
        services.paper_batch_confirm(user=checks, batch=batch)
        report.add("Stapel Papierstimmzettel", place)
    result = services.group_result(group=group)
    if result is not None and not result.done:
        services.group_result_compute(result_id=result.pk)
    report.add("Ergebnis", group.name)
