"""The drafts module's part of the demo region (``projects.modules`` ``demo``).

- A draft of the Klimaschutzagenda in the Klimawerkstatt project, open for responses in
  its current phase, with votes, suggested wordings (online and from a workshop), the
  administration's weighing of two of them and supports of the third.
- The INSEK 2035+ draft (Leitlinien and the goals of three fields of action, 40
  paragraphs) in two versions: version 1 received votes and suggestions (online, from
  two workshops, the market stand and a letter) while the text was open for responses;
  the administration weighed them, and version 2 adopts five of them, moves one
  paragraph, adds and drops one. Version 1 also received comments with replies (one
  written down at a workshop, one answer by the administration); the administration
  weighed every comment and reply that is a contribution.
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

# Comments on paragraphs: (paragraph number, by whom – None: written down at a
# Werkstatttreffen and entered by staff –, text, replies as (by whom, text)).
COMMENTS = [
    (
        5,
        RESIDENT,
        "Gedimmtes Licht ja, aber bitte nicht an den Bushaltestellen. Dort warten "
        "abends Schülerinnen und Schüler.",
        [
            (
                "unterstuetzer1@example.org",
                "Das sehe ich genauso. Vielleicht mit Bewegungsmeldern?",
            ),
        ],
    ),
    (
        6,
        "unterstuetzer2@example.org",
        "Ein Stundentakt auch am Wochenende wäre für die Dörfer der größte Gewinn.",
        [(RESIDENT, "Und abends nach 20 Uhr – dann fährt heute gar nichts mehr.")],
    ),
    (
        9,
        None,
        "Am Werkstatttreffen im Oktober wurde vorgeschlagen, die Baumpatenschaften über "
        "die Ortsbeiräte zu organisieren (auf dem Flipchart notiert).",
        [],
    ),
]


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
    _seed_comments(project, paragraphs, staff, report)


def _seed_comments(project: Any, paragraphs: dict[int, Paragraph], staff: Any, report: Any) -> None:
    """Comments with replies on the agenda's paragraphs (the comments app's services)."""
    from mitmachen.accounts.models import User
    from mitmachen.comments.services import comment_create
    from mitmachen.core.channels import Channel

    for number, email, text, replies in COMMENTS:
        paragraph = paragraphs[number]
        if email is None:
            comment = comment_create(
                author=None,
                project=project,
                text=text,
                target=paragraph,
                offline_channel=Channel.WORKSHOP,
                entered_by=staff,
            )
        else:
            author = User.objects.get(email=email)
            comment = comment_create(author=author, project=project, text=text, target=paragraph)
        for reply_email, reply_text in replies:
            comment_create(
                author=User.objects.get(email=reply_email),
                project=project,
                text=reply_text,
                target=paragraph,
                reply_to=comment,
            )
        report.add("Kommentar", f"Klimaschutzagenda Absatz {number}")


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

Die Kernstadt und die vierzehn Ortsteile gehören zusammen. Was in der Kernstadt
entsteht, soll auch aus Lübnitz, Hagelberg oder Ragösen gut zu erreichen sein.

Als Kurstadt lebt Bad Belzig von Gesundheit, Natur und Erholung. Neue Vorhaben sollen
das stärken und die Landschaft des Hohen Flämings schonen.

Die Stadt plant mit den Menschen, die hier leben: Vorhaben werden früh vorgestellt,
und was aus den Hinweisen wird, ist öffentlich nachzulesen.

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

Der Wochenmarkt bekommt feste Stände mit Strom und Wasser, damit Höfe aus dem Fläming
ihre Waren das ganze Jahr über anbieten können.

Die Altstadt soll für alle zugänglich sein: Bordsteine werden abgesenkt, Wege
bekommen ebene Streifen für Rollstuhl, Rollator und Kinderwagen.

In der Altstadt entstehen schattige Orte: Bäume, Sonnensegel und ein Trinkbrunnen
am Marktplatz.

Eigentümerinnen und Eigentümer alter Häuser werden bei der Sanierung beraten, vom
Denkmalschutz bis zu den Fördermitteln.

Ein Stadtmanagement hält die Händler, Gastronomen und Vereine der Altstadt zusammen
und plant gemeinsame Aktionen.

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

Der Weg vom Bahnhof in die Altstadt wird kürzer und sicherer: mit einer hellen
Beleuchtung, breiten Gehwegen und einer Querungshilfe an der Wiesenburger Straße.

Vor Schulen und Kitas gilt Tempo 30, und die Schulwege werden gemeinsam mit Eltern
und Kindern überprüft.

Busse und Züge sollen aufeinander warten: Die Stadt setzt sich beim Landkreis und beim
Verkehrsverbund für abgestimmte Fahrpläne ein.

An den Dorfgemeinschaftshäusern entstehen Mitfahrbänke und Ladepunkte für
Elektrofahrräder.

Carsharing-Autos stehen am Bahnhof, am Marktplatz und in den größeren Ortsteilen; die
Verwaltung nutzt sie selbst für ihre Dienstfahrten.

# Zukunftsfähige Wohnquartiere

Auf der Brache an der Niemegker Straße entsteht ein neues Wohnquartier mit Miet- und
Eigentumswohnungen.

In jedem größeren Ortsteil soll es barrierefreie Wohnungen für Ältere geben.

Genossenschaften und Baugemeinschaften erhalten städtische Grundstücke bevorzugt in
Erbpacht.

Neue Quartiere werden mit Grünflächen, Spielplätzen und Regenwasserversickerung geplant.

Leer stehende Höfe in den Dörfern sollen durch Beratung und Förderung wieder bewohnt
werden.

Ein Drittel der neuen Mietwohnungen soll für Menschen mit kleinem Einkommen
bezahlbar sein.

Neue Häuser werden mit Wärme aus erneuerbaren Quellen versorgt; die Stadt prüft ein
Wärmenetz für das Quartier an der Niemegker Straße.

In den Quartieren entstehen Orte für Nachbarschaft: ein Gemeinschaftsraum, Gärten und
Bänke, auf denen man sich trifft.

Bebauungspläne lassen kleinere Grundstücke und gemeinschaftliches Wohnen zu, damit
auch Menschen mit wenig Geld bauen oder umbauen können.

# Umsetzung

Die Stadtverordnetenversammlung beschließt das INSEK; die Verwaltung berichtet jährlich,
wie weit die Vorhaben sind.

Für jedes Vorhaben wird geprüft, welche Fördermittel von Land, Bund und EU in Frage
kommen.

Die Ortsbeiräte werden bei jedem Vorhaben in ihrem Ortsteil angehört, bevor die
Stadtverordneten entscheiden.

Nach fünf Jahren zeigt ein öffentlicher Bericht, welche Ziele erreicht sind und wo das
INSEK fortgeschrieben werden muss.
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
    .replace(
        "Sonnensegel und ein Trinkbrunnen\nam Marktplatz.",
        "Sonnensegel und Trinkbrunnen\nam Marktplatz und am Bahnhof.",
    )
    .replace(
        "Vor Schulen und Kitas gilt Tempo 30, und die Schulwege werden gemeinsam mit Eltern\n"
        "und Kindern überprüft.",
        "Vor Schulen und Kitas gilt Tempo 30, und die Schulwege werden gemeinsam mit Eltern\n"
        "und Kindern überprüft, auch die Wege zu den Haltestellen in den Ortsteilen.",
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

# (the start of the paragraph's text in version 1, by whom, channel, text, reason, name in
#  the table, weighing, weighing reason)
INSEK_SUGGESTIONS: list[tuple[str, str, str, str, str, bool, str, str]] = [
    (
        "Leer stehende Läden",
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
        "Jeder Ortsteil soll werktags",
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
        "In jedem größeren Ortsteil",
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
        "Parkplätze in der Altstadt",
        "unterstuetzer1@example.org",
        Channel.ONLINE,
        "Parkplätze in der Altstadt bleiben erhalten; Anwohnende und Lieferverkehr haben\nVorrang.",
        "Ohne Parkplätze kommt niemand mehr zum Einkaufen.",
        False,
        Weighing.REJECTED,
        "Die Parkplätze ordnet das Parkraumkonzept; das INSEK legt dazu nichts mehr fest.",
    ),
    (
        "Die Stadt wächst behutsam",
        "unterstuetzer2@example.org",
        Channel.ONLINE,
        "Die Stadt wächst behutsam. Neue Wohnungen entstehen nur dort, wo schon Straßen,\n"
        "Leitungen und Busse sind, und nicht auf der grünen Wiese.",
        "„Zuerst“ ist zu weich.",
        False,
        Weighing.NOTED,
        "Ausnahmen bleiben nötig, etwa für Hofstellen in den Dörfern.",
    ),
    (
        "In der Altstadt entstehen schattige Orte",
        STAFF,
        Channel.WORKSHOP,
        "In der Altstadt entstehen schattige Orte: Bäume, Sonnensegel und Trinkbrunnen\n"
        "am Marktplatz und am Bahnhof.",
        "Aus der Werkstatt „Vitale Innenstadt“: wer im Sommer mit dem Zug ankommt, findet "
        "am Bahnhof weder Schatten noch Wasser.",
        False,
        Weighing.ADOPTED,
        "Ein zweiter Trinkbrunnen am Bahnhof ist mit dem Wasserverband besprochen.",
    ),
    (
        "Vor Schulen und Kitas",
        "unterstuetzer3@example.org",
        Channel.ONLINE,
        "Vor Schulen und Kitas gilt Tempo 30, und die Schulwege werden gemeinsam mit Eltern\n"
        "und Kindern überprüft, auch die Wege zu den Haltestellen in den Ortsteilen.",
        "Viele Kinder aus den Dörfern laufen an der Landstraße zum Schulbus.",
        True,
        Weighing.ADOPTED,
        "Die Wege zu den Haltestellen nehmen wir in die Schulwegprüfung auf.",
    ),
    (
        "Ein Drittel der neuen Mietwohnungen",
        STAFF,
        Channel.LETTER,
        "Die Hälfte der neuen Mietwohnungen soll für Menschen mit kleinem Einkommen\n"
        "bezahlbar sein.",
        "Brief des Mieterbeirats: ein Drittel reicht bei den heutigen Mieten nicht.",
        False,
        Weighing.REJECTED,
        "Mehr als ein Drittel lässt sich mit den Förderprogrammen des Landes heute nicht "
        "finanzieren; wir prüfen den Anteil bei der Fortschreibung.",
    ),
    (
        "Die Ortsbeiräte werden",
        "unterstuetzer4@example.org",
        Channel.ONLINE,
        "Die Ortsbeiräte werden bei jedem Vorhaben in ihrem Ortsteil angehört, bevor die\n"
        "Stadtverordneten entscheiden, und erhalten die Unterlagen vier Wochen vorher.",
        "Ehrenamtliche brauchen Zeit, um die Unterlagen zu lesen.",
        False,
        Weighing.NOTED,
        "Die Fristen regelt die Hauptsatzung; wir geben die Anregung an den Hauptausschuss weiter.",
    ),
]

# (the start of the paragraph's text in version 1, agree (1) or disagree (-1))
INSEK_VOTES = [
    ("Bad Belzig soll 2035", 1),
    ("Die Stadt wächst behutsam", 1),
    ("Die Kernstadt und die vierzehn", 1),
    ("Der Marktplatz wird", 1),
    ("Leer stehende Läden", 1),
    ("Die Straße der Einheit", -1),
    ("Der Wochenmarkt bekommt", 1),
    ("Der Bahnhof Bad Belzig", 1),
    ("Jeder Ortsteil soll werktags", 1),
    ("Parkplätze in der Altstadt", -1),
    ("Vor Schulen und Kitas", 1),
    ("Auf der Brache", -1),
    ("Ein Drittel der neuen Mietwohnungen", 1),
    ("Neue Häuser werden", 1),
]


# Comments on version 1 of the INSEK: (the paragraph's start, by whom – None: written down
# at the workshop "Lokale Mobilität" and entered by staff –, text, weighing, its reason,
# replies as (by whom – STAFF: the administration answering, not weighed –, text,
# weighing, its reason)).
INSEK_COMMENTS: list[tuple[str, str | None, str, str, str, list[tuple[str, str, str, str]]]] = [
    (
        "Der Wochenmarkt bekommt",
        RESIDENT,
        "Der Markt sollte auch am Samstag stattfinden, unter der Woche arbeiten die "
        "meisten von uns.",
        Weighing.PARTLY,
        "Ein Samstagsmarkt wird 2026 einmal im Monat erprobt; danach entscheidet der Marktbeirat.",
        [
            (
                "unterstuetzer1@example.org",
                "Einmal im Monat wäre ein guter Anfang.",
                Weighing.NOTED,
                "Wir nehmen die Zustimmung zur Erprobung zur Kenntnis.",
            ),
            (
                STAFF,
                "Danke für den Hinweis. Wir sprechen mit den Marktbeschickern über einen "
                "Probetermin.",
                "",
                "",
            ),
        ],
    ),
    (
        "Jeder Ortsteil soll werktags",
        "unterstuetzer2@example.org",
        "Ohne Verbindung am Abend nützt der Stundentakt Berufstätigen wenig.",
        Weighing.ADOPTED,
        "Fassung 2 nimmt den Rufbus am Abend und am Wochenende auf.",
        [],
    ),
    (
        "Parkplätze in der Altstadt",
        None,
        "Am Thementisch wurde gefragt, wo Handwerker und Pflegedienste in der Altstadt "
        "halten sollen (auf der Karte notiert).",
        Weighing.NOTED,
        "Das Parkraumkonzept sieht Lieferzonen für Handwerk und Pflege vor; der Absatz "
        "entfällt in Fassung 2.",
        [],
    ),
    (
        "Auf der Brache",
        "unterstuetzer3@example.org",
        "Die Brache ist im Sommer ein Treffpunkt der Jugendlichen. Bitte nicht ganz bebauen.",
        Weighing.REJECTED,
        "Auf der Brache entstehen dringend benötigte Wohnungen; ein Jugendplatz ist am "
        "Sportplatz geplant.",
        [],
    ),
]


def _seed_insek_comments(
    project: Any, paragraphs: dict[int, Paragraph], staff: Any, report: Any
) -> None:
    """The comments on version 1 (the comments app's services) and their weighing
    (``drafts.services.comment_weigh``)."""
    from mitmachen.accounts.models import User
    from mitmachen.comments.services import comment_create
    from mitmachen.drafts import services

    for start, email, text, weighing, why, replies in INSEK_COMMENTS:
        paragraph = _starting(paragraphs, start)
        if email is None:
            comment = comment_create(
                author=None,
                project=project,
                text=text,
                target=paragraph,
                offline_channel=Channel.WORKSHOP,
                entered_by=staff,
            )
        else:
            comment = comment_create(
                author=User.objects.get(email=email), project=project, text=text, target=paragraph
            )
        services.comment_weigh(user=staff, comment=comment, weighing=weighing, reason=why)
        for reply_email, reply_text, reply_weighing, reply_why in replies:
            reply = comment_create(
                author=User.objects.get(email=reply_email),
                project=project,
                text=reply_text,
                target=paragraph,
                reply_to=comment,
            )
            if reply_weighing:
                services.comment_weigh(
                    user=staff, comment=reply, weighing=reply_weighing, reason=reply_why
                )
        report.add("Kommentar", f"INSEK Absatz {paragraph.number}")


def _starting(paragraphs: dict[int, Paragraph], start: str) -> Paragraph:
    """The one paragraph whose text starts with ``start``."""
    (found,) = [p for p in paragraphs.values() if p.text.startswith(start)]
    return found


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
    for start, value in INSEK_VOTES:
        for index, voter in enumerate(voters):
            vote = value if index % 4 else -value
            services.paragraph_vote(user=voter, paragraph=_starting(paragraphs, start), value=vote)
    for start, email, channel, text, reason, named, weighing, why in INSEK_SUGGESTIONS:
        paragraph = _starting(paragraphs, start)
        suggestion = services.suggestion_create(
            by=User.objects.get(email=email),
            paragraph=paragraph,
            text=text,
            reason=reason,
            channel=channel,
            name_in_report=named,
        )
        services.suggestion_weigh(user=staff, suggestion=suggestion, weighing=weighing, reason=why)
        report.add("Änderungsvorschlag", f"INSEK Absatz {paragraph.number}")
    _seed_insek_comments(project, paragraphs, staff, report)
    if phase is not None:
        phase.actions = actions
        phase.save(update_fields=["actions"])
    services.version_publish(
        user=staff,
        draft=draft,
        text=INSEK_V2,
        note=(
            "Übernommen: Zwischennutzungen leerer Läden, der Rufbus am Wochenende und "
            "abends, barrierefreie Wohnungen nahe bei Einkauf und Bushaltestelle, ein "
            "Trinkbrunnen am Bahnhof und die Wege zu den Haltestellen in der "
            "Schulwegprüfung. Die Kultur steht jetzt beim Marktplatz, der Fläming-Skate ist "
            "neu, die Parkplätze regelt das Parkraumkonzept."
        ),
    )
    report.add("Fassung", f"{draft.title}: Fassung 2")
