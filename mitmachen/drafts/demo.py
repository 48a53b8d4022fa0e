"""The drafts module's part of the demo region (``projects.modules`` ``demo``).

A draft of the Klimaschutzagenda in the Klimawerkstatt project, open for responses in
its current phase, with votes, suggested wordings (online and from a workshop) and the
administration's weighing of two of them. Everything here is invented and the draft
says so.
"""

from __future__ import annotations

from typing import Any

from mitmachen.core.channels import Channel
from mitmachen.drafts.models import COMMENT_TEXT, Draft, Paragraph, Weighing

PROJECT = "klimawerkstatt-flaeming"
PHASE = "Maßnahmen entwickeln"
SLUG = "klimaschutzagenda-entwurf"
STAFF = "admin@example.org"
RESIDENT = "bewohnerin@example.org"

TEXT = """
# Leitbild

Die Region Bad Belzig und Wiesenburg/Mark will bis 2045 klimaneutral sein. Wir
wollen das gemeinsam schaffen: Verwaltung, Betriebe, Vereine und alle, die hier leben.

Klimaschutz soll sich für die Menschen in Stadt und Dorf lohnen: mit niedrigeren
Energiekosten, sauberer Luft und guten Wegen ohne Auto.

# Energie

Bis 2030 sollen auf allen geeigneten Dächern der Kommunen Solaranlagen stehen.
Schulen, Kitas und Feuerwehrhäuser machen den Anfang.

Bürgerinnen und Bürger sollen sich an Solar- und Windparks in der Region finanziell
beteiligen können, zum Beispiel über eine Energiegenossenschaft.

Die Straßenbeleuchtung wird bis 2028 vollständig auf LED umgestellt und nachts in
den Ortsteilen gedimmt, wo es die Sicherheit erlaubt.

# Mobilität

Jedes Dorf soll mindestens im Stundentakt erreichbar sein: mit dem Bus, einem
Rufbus oder einem Angebot auf Bestellung.

Zwischen den Ortsteilen und dem Bahnhof Bad Belzig entstehen sichere Radwege. Der
Radweg zwischen Wiesenburg und Schmerwitz hat Vorrang.

An den Bahnhöfen Bad Belzig und Wiesenburg entstehen überdachte Fahrradabstellanlagen
und Ladepunkte für Elektroautos.

# Natur und Wasser

Wir pflanzen in jedem Ortsteil Bäume, die Hitze und Trockenheit vertragen, und
pflegen sie in den ersten drei Jahren.

Regenwasser soll vor Ort versickern können: Flächen werden entsiegelt, wo es möglich
ist, zuerst auf Schulhöfen und Parkplätzen.

# Umsetzung

Die Kommunen berichten jedes Jahr öffentlich, wie weit die Maßnahmen sind und was
sie gekostet haben.
"""

SUGGESTIONS = [
    # (paragraph number, by whom, channel, text, reason, weighing, weighing reason)
    (
        1,
        RESIDENT,
        Channel.ONLINE,
        "Die Region Bad Belzig und Wiesenburg/Mark will bis 2040 klimaneutral sein. Wir\n"
        "wollen das gemeinsam schaffen: Verwaltung, Betriebe, Vereine und alle, die hier leben.",
        "Das Land Brandenburg strebt 2045 an; wir sollten ehrgeiziger sein.",
        Weighing.NOTED,
        "Das Ziel 2045 folgt dem Klimaplan des Landes. Ein früheres Ziel prüfen wir bei der "
        "Fortschreibung 2028, wenn die Bilanz der ersten Maßnahmen vorliegt.",
    ),
    (
        6,
        STAFF,
        Channel.WORKSHOP,
        "Jedes Dorf soll mindestens im Stundentakt erreichbar sein: mit dem Bus, einem\n"
        "Rufbus oder einem Angebot auf Bestellung, auch am Wochenende.",
        "Aus dem Werkstatttreffen: am Wochenende fährt in vielen Dörfern nichts.",
        Weighing.ADOPTED,
        "Wir nehmen das Wochenende in den Entwurf auf.",
    ),
    (
        9,
        RESIDENT,
        Channel.ONLINE,
        "Wir pflanzen in jedem Ortsteil Bäume, die Hitze und Trockenheit vertragen, und\n"
        "pflegen sie in den ersten fünf Jahren, gern mit Baumpatenschaften.",
        "Drei Jahre Pflege reichen bei trockenen Sommern nicht.",
        None,
        "",
    ),
]

VOTES = [(1, 1), (2, 1), (3, 1), (4, -1), (6, 1), (7, 1), (9, 1), (10, 1)]


def seed_demo(report: Any) -> None:
    """Load the draft once (idempotent: nothing happens if it exists)."""
    from mitmachen.accounts.models import User
    from mitmachen.drafts import services
    from mitmachen.projects.models import Phase, Project

    project = Project.objects.filter(slug=PROJECT).first()
    if project is None or Draft.objects.filter(project=project, slug=SLUG).exists():
        return
    # Staff open the text for responses in the current phase (what the phase admin does).
    phase = Phase.objects.filter(project=project, name=PHASE).first()
    if phase is not None and COMMENT_TEXT not in phase.actions:
        phase.actions = [*phase.actions, COMMENT_TEXT]
        phase.full_clean()
        phase.save()
    staff = User.objects.get(email=STAFF)
    draft = Draft(
        project=project,
        title="Klimaschutzagenda Fläming – Entwurf",
        slug=SLUG,
        intro=(
            "Die Klimawerkstatt hat in ihren Werkstatttreffen einen ersten Entwurf der "
            "Klimaschutzagenda geschrieben. Sagen Sie zu jedem Absatz, ob Sie zustimmen, und "
            "schlagen Sie eine bessere Fassung vor.\n\n"
            "**Beispiel:** Dieser Entwurf und alle Antworten darauf sind für die Demo erfunden."
        ),
        is_public=True,
    )
    draft.full_clean()
    draft.save()
    services.draft_import(user=staff, draft=draft, text=TEXT)
    report.add("Textentwurf", draft.title)
    paragraphs = {p.number: p for p in Paragraph.objects.filter(draft=draft)}
    for paragraph in paragraphs.values():
        paragraph.draft = draft
    resident = User.objects.get(email=RESIDENT)
    voters = [resident, *User.objects.filter(email__startswith="unterstuetzer").order_by("pk")[:5]]
    for number, value in VOTES:
        for index, voter in enumerate(voters):
            # Not everybody agrees: every third person says the opposite.
            vote = value if index % 3 else -value
            services.paragraph_vote(user=voter, paragraph=paragraphs[number], value=vote)
    for number, email, channel, text, reason, weighing, weighing_reason in SUGGESTIONS:
        suggestion = services.suggestion_create(
            by=User.objects.get(email=email),
            paragraph=paragraphs[number],
            text=text,
            reason=reason,
            channel=channel,
        )
        if weighing:
            services.suggestion_weigh(
                user=staff, suggestion=suggestion, weighing=weighing, reason=weighing_reason
            )
        report.add("Änderungsvorschlag", f"Absatz {number}")
