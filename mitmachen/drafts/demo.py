"""The drafts module's part of the demo region (``projects.modules`` ``demo``).

- A draft of the Klimaschutzagenda in the Klimawerkstatt project, open for responses in
  its current phase, with votes, suggested wordings (online and from a workshop), the
  administration's weighing of two of them and supports of the third.
- The INSEK 2035+ draft (Leitlinien and the goals of three fields of action) in two
  versions: version 1 received votes and suggestions (online, from a workshop and from
  the market stand) while the text was open for responses; the administration weighed
  them, and version 2 adopts some of them, moves one paragraph, adds and drops one.
  The round is over: the project's current phase no longer allows responses.

Everything here is invented and the drafts say so. Seeding is deterministic apart from
the paragraphs' random keys.
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
    """Load the drafts once (idempotent: nothing happens if they exist)."""
    seed_climate_agenda(report)
    seed_insek(report)


def seed_climate_agenda(report: Any) -> None:
    """The Klimaschutzagenda draft, open for responses."""
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
        else:
            # Others support the suggestion that still waits for its weighing.
            for supporter in voters[1:4]:
                services.suggestion_support(user=supporter, suggestion=suggestion, support=True)
        report.add("Änderungsvorschlag", f"Absatz {number}")


INSEK_PROJECT = "insek-bad-belzig-2035"
INSEK_SLUG = "insek-2035-entwurf"

INSEK_V1 = """
# Leitlinien

Bad Belzig soll 2035 eine lebendige Kleinstadt im Fläming sein: mit einer belebten
Altstadt, lebendigen Ortsteilen und guten Wegen dazwischen.

Die Stadt wächst behutsam. Neue Wohnungen entstehen zuerst dort, wo schon Straßen,
Leitungen und Busse sind, und nicht auf der grünen Wiese.

Alle Generationen sollen hier gut leben können: junge Familien, die zuziehen, und
Ältere, die in ihrem Ortsteil bleiben wollen.

Klimaschutz und Anpassung an Hitze und Trockenheit gehören zu jedem Vorhaben der Stadt.

# Vitale Innenstadt

Der Marktplatz wird zum Treffpunkt: mit Bäumen, Sitzplätzen, Wasser und Raum für
Wochenmarkt und Feste.

Leer stehende Läden in der Altstadt sollen wieder genutzt werden. Die Stadt vermittelt
zwischen Eigentümern und Gründerinnen und Gründern.

Die Wege zwischen Burg Eisenhardt, Altstadt und SteinTherme werden als Rundgang
gestaltet und ausgeschildert.

Die Straße der Einheit wird zur Einkaufsstraße mit breiteren Gehwegen und weniger
Durchgangsverkehr.

Kultur gehört in die Innenstadt: Konzerte, Lesungen und Ausstellungen sollen auch in
leeren Räumen stattfinden können.

# Lokale Mobilität

Der Bahnhof Bad Belzig wird zur Mobilitätsdrehscheibe: Bahn, Bus, Rad und Carsharing
treffen sich an einem Ort.

Jeder Ortsteil soll werktags mindestens alle zwei Stunden mit dem Bus oder einem Rufbus
erreichbar sein.

Sichere Radwege verbinden die Ortsteile mit der Kernstadt. Zuerst wird der Radweg nach
Lübnitz gebaut.

Am Bahnhof und in der Altstadt entstehen überdachte Fahrradabstellanlagen.

Parkplätze in der Altstadt werden neu geordnet; Anwohnende und Lieferverkehr haben
Vorrang.

# Zukunftsfähige Wohnquartiere

Auf der Brache an der Niemegker Straße entsteht ein neues Wohnquartier mit Miet- und
Eigentumswohnungen.

In jedem größeren Ortsteil soll es barrierefreie Wohnungen für Ältere geben.

Genossenschaften und Baugemeinschaften erhalten städtische Grundstücke bevorzugt in
Erbpacht.

Neue Quartiere werden mit Grünflächen, Spielplätzen und Regenwasserversickerung geplant.

Leer stehende Höfe in den Dörfern sollen durch Beratung und Förderung wieder bewohnt
werden.

# Umsetzung

Die Stadtverordnetenversammlung beschließt das INSEK; die Verwaltung berichtet jährlich,
wie weit die Vorhaben sind.

Für jedes Vorhaben wird geprüft, welche Fördermittel von Land, Bund und EU in Frage
kommen.
"""

# Version 2: what the administration changed after weighing the responses.
INSEK_V2 = (
    INSEK_V1.replace(
        "Die Stadt vermittelt\nzwischen Eigentümern und Gründerinnen und Gründern.",
        "Die Stadt vermittelt\nzwischen Eigentümern und Gründerinnen und Gründern und "
        "ermöglicht\nZwischennutzungen durch Vereine, Kunst und Handwerk.",
    )
    .replace(
        "Jeder Ortsteil soll werktags mindestens alle zwei Stunden mit dem Bus oder einem Rufbus\n"
        "erreichbar sein.",
        "Jeder Ortsteil soll werktags mindestens alle zwei Stunden, am Wochenende und abends\n"
        "mindestens mit einem Rufbus erreichbar sein.",
    )
    .replace(
        "In jedem größeren Ortsteil soll es barrierefreie Wohnungen für Ältere geben.",
        "In jedem größeren Ortsteil soll es barrierefreie Wohnungen für Ältere geben, möglichst\n"
        "nahe bei Einkauf und Bushaltestelle.",
    )
    # Culture moves up, next to the market square.
    .replace(
        "\nKultur gehört in die Innenstadt: Konzerte, Lesungen und Ausstellungen sollen auch in\n"
        "leeren Räumen stattfinden können.\n",
        "",
    )
    .replace(
        "Raum für\nWochenmarkt und Feste.\n",
        "Raum für\nWochenmarkt und Feste.\n\nKultur gehört in die Innenstadt: Konzerte, "
        "Lesungen und Ausstellungen sollen auch in\nleeren Räumen stattfinden können.\n",
    )
    # New: the Fläming-Skate; dropped: the paragraph on parking.
    .replace(
        "Zuerst wird der Radweg nach\nLübnitz gebaut.\n",
        "Zuerst wird der Radweg nach\nLübnitz gebaut.\n\nDer Fläming-Skate wird über "
        "einen ausgeschilderten Weg an den\nBahnhof angebunden.\n",
    )
    .replace(
        "\nParkplätze in der Altstadt werden neu geordnet; Anwohnende und Lieferverkehr "
        "haben\nVorrang.\n",
        "",
    )
)

# (paragraph number in version 1, by whom, channel, text, reason, name in the table,
#  weighing, weighing reason)
INSEK_SUGGESTIONS: list[tuple[int, str, str, str, str, bool, str, str]] = [
    (
        6,
        RESIDENT,
        Channel.ONLINE,
        "Leer stehende Läden in der Altstadt sollen wieder genutzt werden. Die Stadt vermittelt\n"
        "zwischen Eigentümern und Gründerinnen und Gründern und ermöglicht\n"
        "Zwischennutzungen durch Vereine, Kunst und Handwerk.",
        "Bis ein Laden vermietet ist, können Vereine ihn beleben.",
        True,
        Weighing.ADOPTED,
        "Zwischennutzungen beleben die Altstadt schnell und günstig; wir nehmen sie auf.",
    ),
    (
        11,
        STAFF,
        Channel.WORKSHOP,
        "Jeder Ortsteil soll werktags mindestens alle zwei Stunden, am Wochenende und abends\n"
        "mindestens mit einem Rufbus erreichbar sein.",
        "Aus der Werkstatt „Lokale Mobilität“: am Wochenende fährt in vielen Ortsteilen nichts.",
        False,
        Weighing.ADOPTED,
        "Der Rufbus am Wochenende und abends ist mit dem Landkreis abgestimmt.",
    ),
    (
        16,
        STAFF,
        Channel.MARKET_STAND,
        "In jedem größeren Ortsteil soll es barrierefreie Wohnungen für Ältere geben, in\n"
        "der Nähe von Einkauf, Arztpraxis und Bushaltestelle.",
        "Am Marktstand: Ältere wollen ohne Auto einkaufen und zum Arzt kommen.",
        False,
        Weighing.PARTLY,
        "Einkauf und Bushaltestelle nehmen wir auf; eine Arztpraxis kann die Stadt nicht "
        "in jedem Ortsteil zusagen.",
    ),
    (
        14,
        "unterstuetzer1@example.org",
        Channel.ONLINE,
        "Parkplätze in der Altstadt bleiben erhalten; Anwohnende und Lieferverkehr haben\nVorrang.",
        "Ohne Parkplätze kommt niemand mehr zum Einkaufen.",
        False,
        Weighing.REJECTED,
        "Die Parkplätze ordnet das Parkraumkonzept; das INSEK legt dazu nichts mehr fest.",
    ),
    (
        2,
        "unterstuetzer2@example.org",
        Channel.ONLINE,
        "Die Stadt wächst behutsam. Neue Wohnungen entstehen nur dort, wo schon Straßen,\n"
        "Leitungen und Busse sind, und nicht auf der grünen Wiese.",
        "„Zuerst“ ist zu weich.",
        False,
        Weighing.NOTED,
        "Ausnahmen bleiben nötig, etwa für Hofstellen in den Dörfern.",
    ),
]

INSEK_VOTES = [(1, 1), (2, 1), (5, 1), (6, 1), (9, -1), (11, 1), (14, -1), (17, 1)]


def seed_insek(report: Any) -> None:
    """The INSEK 2035+ draft in two versions (see the module's description)."""
    from mitmachen.accounts.models import User
    from mitmachen.drafts import services
    from mitmachen.projects.models import Project

    project = Project.objects.filter(slug=INSEK_PROJECT).first()
    if project is None or Draft.objects.filter(project=project, slug=INSEK_SLUG).exists():
        return
    staff = User.objects.get(email=STAFF)
    draft = Draft(
        project=project,
        title="INSEK 2035+ – Leitlinien und Ziele",
        slug=INSEK_SLUG,
        intro=(
            "Die Leitlinien und Ziele des Integrierten Stadtentwicklungskonzepts für die "
            "Handlungsfelder Vitale Innenstadt, Lokale Mobilität und Zukunftsfähige "
            "Wohnquartiere. Fassung 2 berücksichtigt Ihre Antworten auf Fassung 1.\n\n"
            "**Beispiel:** Dieser Entwurf und alle Antworten darauf sind für die Demo erfunden."
        ),
        is_public=True,
    )
    draft.full_clean()
    draft.save()
    services.draft_import(user=staff, draft=draft, text=INSEK_V1)
    report.add("Textentwurf", draft.title)
    # The responses came in while the current phase allowed them (what the phase
    # admin does); afterwards the phase is as before: the round is over.
    phase = project.current_phase()
    actions = list(phase.actions) if phase is not None else []
    if phase is not None:
        phase.actions = [*actions, COMMENT_TEXT]
        phase.save(update_fields=["actions"])
    draft = Draft.objects.select_related("project").get(pk=draft.pk)
    paragraphs = {p.number: p for p in Paragraph.objects.filter(draft=draft)}
    for paragraph in paragraphs.values():
        paragraph.draft = draft
    voters = [
        User.objects.get(email=RESIDENT),
        *User.objects.filter(email__startswith="unterstuetzer").order_by("pk")[:7],
    ]
    for number, value in INSEK_VOTES:
        for index, voter in enumerate(voters):
            vote = value if index % 4 else -value
            services.paragraph_vote(user=voter, paragraph=paragraphs[number], value=vote)
    for number, email, channel, text, reason, named, weighing, why in INSEK_SUGGESTIONS:
        suggestion = services.suggestion_create(
            by=User.objects.get(email=email),
            paragraph=paragraphs[number],
            text=text,
            reason=reason,
            channel=channel,
            name_in_report=named,
        )
        services.suggestion_weigh(user=staff, suggestion=suggestion, weighing=weighing, reason=why)
        report.add("Änderungsvorschlag", f"INSEK Absatz {number}")
    if phase is not None:
        phase.actions = actions
        phase.save(update_fields=["actions"])
    services.version_publish(
        user=staff,
        draft=draft,
        text=INSEK_V2,
        note=(
            "Übernommen: Zwischennutzungen leerer Läden, der Rufbus am Wochenende und "
            "abends, barrierefreie Wohnungen nahe bei Einkauf und Bushaltestelle. Die "
            "Kultur steht jetzt beim Marktplatz, der Fläming-Skate ist neu, die Parkplätze "
            "regelt das Parkraumkonzept."
        ),
    )
    report.add("Fassung", f"{draft.title}: Fassung 2")
