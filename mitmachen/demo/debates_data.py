"""Demo debates (invented): one closed with a conclusion, one still open.

``seed_debates`` goes through the same services as the site (debates, comments,
ratings), so the counters, the notifications and the page cache behave as live.
It is idempotent: a debate whose question already exists in the project is left
alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from mitmachen.comments.models import Comment
from mitmachen.comments.services import comment_create, comment_rate
from mitmachen.core.channels import Channel
from mitmachen.debates.models import Debate
from mitmachen.debates.services import debate_close, debate_create
from mitmachen.projects.models import Project

# (resident index or None for staff, stance, text, channel, replies as (resident index, text),
#  ratings of the comment as (resident index, +1/-1))
CLOSED_DEBATE = {
    "question": "Soll die Brandenburger Straße in der Innenstadt autofrei werden?",
    "description": (
        "Die Brandenburger Straße verbindet den Marktplatz mit der Altstadt unterhalb der "
        "Burg Eisenhardt. Viele Geschäfte stehen leer, und auf den schmalen Gehwegen ist "
        "es eng. Eine **autofreie Straße** mit Bänken, Bäumen und Platz für Cafés könnte "
        "die Innenstadt beleben – sie kann aber auch Wege für Ältere, Lieferverkehr und "
        "Anwohnende erschweren.\n\n"
        "Was meinen Sie? Sagen Sie, ob Sie **dafür**, **dagegen** oder **neutral** sind, "
        "und warum. Die Verwaltung fasst die Debatte zum Schluss in einem Fazit zusammen."
    ),
    "age_days": 24,
    "closed_days_ago": 2,
    "comments": [
        (
            1,
            "for",
            "Endlich! Ohne Autos kann man draußen sitzen, und die Kinder können gefahrlos "
            "zum Eisladen laufen.",
            Channel.ONLINE,
            [(2, "Im Sommer sicher schön. Und im Winter?")],
            [(3, 1), (4, 1), (5, -1)],
        ),
        (
            6,
            "against",
            "Ich wohne in der Straße und bin auf das Auto angewiesen. Wo sollen wir parken?",
            Channel.ONLINE,
            [
                (1, "Anwohnende könnten eine Zufahrtsberechtigung bekommen."),
                (6, "Das wäre ein Kompromiss, wenn die Stellplätze bleiben."),
            ],
            [(2, 1), (7, 1)],
        ),
        (
            0,
            "for",
            "Ich komme aus Lübnitz mit dem Bus. Am Marktplatz auszusteigen und ohne Lärm "
            "durch die Straße zu bummeln, würde mir gefallen.",
            Channel.ONLINE,
            [],
            [(8, 1)],
        ),
        (
            7,
            "against",
            "Für unser Geschäft ist Laufkundschaft mit dem Auto wichtig. Ohne Parkplätze "
            "vor der Tür bleiben die Kunden aus Lütte und Fredersdorf weg.",
            Channel.ONLINE,
            [(3, "In anderen Städten haben Läden in Fußgängerzonen eher mehr Kundschaft.")],
            [(9, 1), (1, -1)],
        ),
        (
            8,
            "neutral",
            "Probieren wir es doch erst einmal im Sommer für ein paar Wochen aus.",
            Channel.ONLINE,
            [],
            [(2, 1), (3, 1), (6, 1)],
        ),
        (
            9,
            "against",
            "Lieferverkehr muss morgens möglich bleiben, sonst kommt keine Ware in die Läden.",
            Channel.MARKET_STAND,
            [],
            [],
        ),
        (
            2,
            "for",
            "Mehr Bäume und Bänke, weniger Blech – gut für das Stadtklima an heißen Tagen.",
            Channel.ONLINE,
            [],
            [(4, 1)],
        ),
        (
            3,
            "neutral",
            "Wichtig ist mir vor allem, dass der Bus weiterhin bis an den Marktplatz fährt.",
            Channel.ONLINE,
            [],
            [],
        ),
        (
            10,
            "for",
            "Mit dem Rollator ist der schmale Gehweg heute gefährlich. Eine Straße ohne "
            "Autos wäre für mich eine Erleichterung.",
            Channel.MARKET_STAND,
            [],
            [],
        ),
        (
            4,
            "against",
            "Der Durchgangsverkehr verlagert sich dann in die Wiesenburger Straße.",
            Channel.ONLINE,
            [(5, "Das sollte die Verwaltung vorher mit einer Verkehrszählung prüfen.")],
            [(10, 1)],
        ),
        (
            5,
            "neutral",
            "Ich bin unentschieden. Es kommt darauf an, wie die Straße danach gestaltet wird.",
            Channel.ONLINE,
            [],
            [],
        ),
        (
            11,
            "for",
            "Bitte mit Fahrradbügeln an beiden Enden der Straße!",
            Channel.ONLINE,
            [],
            [(0, 1)],
        ),
    ],
    "conclusion": (
        "Vielen Dank für 12 Beiträge online und am Marktstand! Die Mehrheit befürwortet "
        "eine autofreie Brandenburger Straße; Bedenken gibt es beim **Lieferverkehr**, "
        "bei den **Stellplätzen für Anwohnende** und bei möglichem Ausweichverkehr.\n\n"
        "Die Stadt plant deshalb einen **Verkehrsversuch im nächsten Sommer** "
        "(Juni bis August):\n\n"
        "- Lieferverkehr ist werktags bis 10 Uhr erlaubt.\n"
        "- Anwohnende erhalten eine Zufahrtsberechtigung zu ihren Stellplätzen.\n"
        "- Vorher und während des Versuchs zählen wir den Verkehr in der Wiesenburger "
        "Straße.\n"
        "- Bänke, Pflanzkübel und Fahrradbügel werden aufgestellt.\n\n"
        "Nach dem Versuch berichten wir hier über die Ergebnisse, bevor die "
        "Stadtverordnetenversammlung entscheidet."
    ),
}

OPEN_DEBATE = {
    "question": "Soll es am Wochenende einen Rufbus in die Ortsteile ohne Busverbindung geben?",
    "description": (
        "Samstags und sonntags fahren in viele Ortsteile keine Busse. Ein **Rufbus**, den "
        "man bis eine Stunde vorher telefonisch oder online bestellt, könnte diese Lücke "
        "schließen. Er kostet die Stadt aber jedes Jahr Geld, das an anderer Stelle fehlt.\n\n"
        "Sind Sie dafür, dagegen oder neutral?"
    ),
    "age_days": 5,
    "comments": [
        (
            0,
            "for",
            "Ja, bitte! Ohne Auto komme ich am Wochenende nicht aus Lübnitz heraus.",
            Channel.ONLINE,
            [(12, "Geht mir in Hagelberg genauso.")],
            [(12, 1), (13, 1)],
        ),
        (
            13,
            "neutral",
            "Gute Idee, aber nur, wenn die Bestellung auch per Telefon einfach geht.",
            Channel.ONLINE,
            [],
            [],
        ),
        (
            14,
            "against",
            "Lieber den normalen Takt unter der Woche verbessern, dort fahren viel mehr Menschen.",
            Channel.ONLINE,
            [],
            [(0, -1)],
        ),
    ],
}


def seed_debates(*, project: Project, staff: Any, residents: Sequence[Any]) -> list[Debate]:
    """Create the demo debates in ``project`` unless they exist; returns both debates.

    ``staff`` must be allowed to change the project (it opens and closes the debates
    and enters comments from the market stand). ``residents`` write the comments,
    reused in turn if there are fewer than 15. Comments are entered online while the
    current phase allows commenting; otherwise they are entered as offline
    contributions (workshop) by ``staff``, so the debates never end up empty.
    """
    if not residents:
        raise ValueError("seed_debates needs at least one resident.")
    with transaction.atomic():
        return [
            _seed(project, staff, residents, CLOSED_DEBATE, close=True),
            _seed(project, staff, residents, OPEN_DEBATE, close=False),
        ]


def _seed(
    project: Project, staff: Any, residents: Sequence[Any], spec: dict[str, Any], *, close: bool
) -> Debate:
    existing = Debate.objects.filter(project=project, question=spec["question"]).first()
    if existing is not None:
        return existing
    debate = debate_create(
        author=staff, project=project, question=spec["question"], description=spec["description"]
    )
    start = timezone.now() - timedelta(days=spec["age_days"])
    online = project.allows("comment")

    def person(index: int | None) -> Any:
        return staff if index is None else residents[index % len(residents)]

    for number, (who, stance, text, channel, replies, ratings) in enumerate(spec["comments"]):
        if online and channel == Channel.ONLINE:
            top = comment_create(
                author=person(who), project=project, debate=debate, stance=stance, text=text
            )
        else:
            top = comment_create(
                author=None,
                project=project,
                debate=debate,
                stance=stance,
                text=text,
                offline_channel=channel if channel != Channel.ONLINE else Channel.WORKSHOP,
                entered_by=staff,
            )
        for reply_who, reply_text in replies:
            comment_create(
                author=person(reply_who) if online else None,
                project=project,
                debate=debate,
                reply_to=top,
                text=reply_text,
                **({} if online else {"offline_channel": Channel.WORKSHOP, "entered_by": staff}),
            )
        if online:
            for rater, value in ratings:
                if person(rater).pk != top.author_id:
                    comment_rate(user=person(rater), comment=top, value=value)
        # Spread the discussion over the days after the debate was opened.
        when = start + timedelta(hours=6 + number * 40)
        Comment.objects.filter(pk=top.pk).update(created_at=when, updated_at=when)
        Comment.objects.filter(parent=top).update(created_at=when + timedelta(hours=3))
    Debate.objects.filter(pk=debate.pk).update(created_at=start, updated_at=start)
    if close:
        debate_close(user=staff, debate=debate, conclusion=spec["conclusion"])
        closed = timezone.now() - timedelta(days=spec["closed_days_ago"])
        Debate.objects.filter(pk=debate.pk).update(closed_at=closed, updated_at=closed)
    debate.refresh_from_db()
    return debate
