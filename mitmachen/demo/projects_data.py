"""Demo projects of the Bad Belzig / Wiesenburg/Mark demo installation, with their phases.

Invented for demonstration, like everything in ``data.py`` (see its docstring): no project
here describes a real decision of the towns. Phase dates are day offsets from the day the
demo is seeded. Imports nothing from Django.
"""

from __future__ import annotations

from typing import Any

from mitmachen.demo.legal_texts import md

_BAD_BELZIG_DISTRICTS = [
    "bad-belzig",
    "bergholz",
    "borne",
    "dippmannsdorf",
    "fredersdorf",
    "gross-briesen",
    "hagelberg",
    "kuhlowitz",
    "luebnitz",
    "luesse",
    "luette",
    "neschholz",
    "ragoesen",
    "schwanebeck",
    "werbig",
]
_WIESENBURG_DISTRICTS = [
    "benken",
    "grubo",
    "jeserig-flaeming",
    "jeserigerhuetten",
    "klepzig",
    "lehnsdorf",
    "medewitz",
    "muetzdorf",
    "neuehuetten",
    "reetz",
    "reetzerhuetten",
    "reppinichen",
    "schlamau",
    "schmerwitz",
    "wiesenburg",
]


def _phase(name: str, start: int, end: int, actions: list[str], description: str) -> dict:
    """A project phase; start and end are day offsets from the day the demo is seeded."""
    return {
        "name": name,
        "description": description,
        "start": start,
        "end": end,
        "actions": actions,
    }


PROJECTS: list[dict[str, Any]] = [
    {
        "slug": "insek-bad-belzig-2035",
        "title": "INSEK Bad Belzig 2035+",
        "organisation": "bad-belzig",
        "partners": [],
        "summary": "Wie soll sich Bad Belzig bis 2035 und darüber hinaus entwickeln? Im "
        "Integrierten Stadtentwicklungskonzept (INSEK) legt die Stadt Ziele für Altstadt, "
        "Ortsteile, Wohnen, Mobilität und Tourismus fest. Bringen Sie jetzt Ihre Ideen ein.",
        "description": md("""
            Das **Integrierte Stadtentwicklungskonzept (INSEK)** ist der Fahrplan der
            Stadtentwicklung für die nächsten zehn bis fünfzehn Jahre. Es beschreibt, wo
            Bad Belzig steht, wohin sich die Stadt entwickeln will und welche Vorhaben dafür
            Vorrang haben. Das Konzept ist zugleich Grundlage für Anträge auf Fördermittel.

            ## Worum es geht

            Bad Belzig verbindet die Altstadt unterhalb der Burg Eisenhardt, den Kurort rund
            um die SteinTherme und 14 sehr unterschiedliche Ortsteile – von Ragösen am Rand
            der Landschaftswiesen bis Bergholz auf der Fläminghöhe. Der Bahnhof mit direkter
            Verbindung nach Berlin macht die Stadt für Zuziehende attraktiv; gleichzeitig
            werden viele Menschen älter, und Läden in der Altstadt stehen leer.

            ## Die Handlungsfelder

            - Altstadt und Innenstadt: Marktplatz, Geschäftsstraßen, leer stehende Läden
            - Wohnen in Stadt und Dorf, auch für Ältere und junge Familien
            - Mobilität: Bahnhof, Busverbindungen in die Ortsteile, Radwege
            - Kurort, Tourismus und Kultur: Burg Eisenhardt, SteinTherme, Hagelberg,
              Fläming-Skate und Kunstwanderweg
            - Klima, Grün und Wasser: Hitzeschutz, Stadtgrün, Belziger Bach

            ## So können Sie mitmachen

            In der laufenden Phase können Sie die Ergebnisse der Bestandsaufnahme kommentieren
            und eigene Vorschläge einreichen – gern mit Ort auf der Karte. Die Umfrage „Lokale
            Mobilität“ fragt, wie Sie heute unterwegs sind und was Ihnen fehlt. Die
            Projektleitung wertet alle Beiträge aus und berichtet, was in den Entwurf des
            Konzepts einfließt.
        """),
        "easy_language": md("""
            Bad Belzig macht einen Plan für die Zukunft.

            Der Plan ist für die Jahre bis 2035.

            Der Plan hat einen langen Namen: Integriertes Stadt·entwicklungs·konzept.

            In dem Plan steht zum Beispiel:

            - Wie soll die Alt·stadt aussehen?
            - Wo sollen neue Wohnungen sein?
            - Wie kommen die Menschen mit Bus und Bahn in die Dörfer?

            **Das können Sie jetzt machen:**

            - Ihre Ideen für die Stadt auf·schreiben.
            - Die Ideen von anderen Menschen lesen und Ihre Meinung dazu sagen.
            - Bei einer Umfrage mit·machen. Die Umfrage fragt: Wie sind Sie in der Stadt
              unterwegs?

            Die Stadt liest alle Ideen.

            Danach schreibt die Stadt den Plan.

            Dann können Sie den Plan noch einmal lesen und Ihre Meinung sagen.

            **Achtung:** Diese Beteiligung ist ein Beispiel. Sie ist erfunden.
        """),
        "image_alt": "Illustration: stilisierte Silhouette der Burg Eisenhardt über den "
        "Dächern der Altstadt",
        "topics": [
            "vitale-innenstadt",
            "lokale-mobilitaet",
            "zukunftsfaehige-wohnquartiere",
            "klima-umwelt",
            "tourismus-kultur",
        ],
        "visibility": "public",
        "districts": _BAD_BELZIG_DISTRICTS,
        "phases": [
            _phase(
                "Bestandsaufnahme",
                -240,
                -120,
                ["comment"],
                "Stärken, Schwächen und Daten zur Stadtentwicklung: Was fehlt Ihnen in der "
                "Analyse, was sehen Sie anders?",
            ),
            _phase(
                "Ideen für die Handlungsfelder",
                -120,
                40,
                ["comment", "propose", "answer"],
                "Reichen Sie Vorschläge für Altstadt, Ortsteile, Wohnen, Mobilität, Tourismus "
                "und Klima ein, kommentieren Sie die Ideen anderer und beantworten Sie die "
                "Umfrage „Lokale Mobilität“.",
            ),
            _phase(
                "Entwurf des Konzepts",
                40,
                100,
                ["comment"],
                "Der Entwurf liegt öffentlich aus. Sie können ihn kommentieren, bevor er der "
                "Stadtverordnetenversammlung vorgelegt wird.",
            ),
        ],
    },
    {
        "slug": "meine-stadt-der-zukunft",
        "support_quorum": 50,
        "title": "Meine Stadt der Zukunft",
        "organisation": "bad-belzig",
        "partners": [],
        "summary": "Im Landesprogramm „Meine Stadt der Zukunft“ sammelt Bad Belzig Ideen für "
        "eine lebendige Innenstadt, bessere Wege ohne Auto und gutes Wohnen. Schlagen Sie "
        "Vorhaben vor und unterstützen Sie die Ideen, die Ihnen wichtig sind.",
        "description": md("""
            Mit dem Landesprogramm **„Meine Stadt der Zukunft“** unterstützt das Land
            Brandenburg Städte dabei, neue Wege in der Stadtentwicklung auszuprobieren. Bad
            Belzig beteiligt sich mit Ideen aus drei Bereichen – und möchte dafür von Ihnen
            wissen, was in Ihrem Alltag wirklich etwas verändern würde.

            ## Drei Schwerpunkte

            - **Vitale Innenstadt:** Wie werden Marktplatz und Altstadtstraßen wieder zu
              Orten, an denen man sich gern aufhält? Denkbar sind Sitzplätze im Schatten,
              Zwischennutzungen leerer Läden oder ein Wochenmarkt am Abend.
            - **Lokale Mobilität:** Wie kommen Sie ohne eigenes Auto vom Bahnhof in die
              Altstadt, zur SteinTherme oder nach Fredersdorf und Lütte? Ideen reichen von
              Fahrradbügeln bis zum Rufbus.
            - **Zukunftsfähige Wohnquartiere:** Welche Wohnformen fehlen – etwa für ältere
              Menschen, die im Ort bleiben möchten, oder für Familien, die neu hinzuziehen?

            ## Ablauf

            Nach einer kurzen Umfrage zum Auftakt können Sie jetzt Vorschläge einreichen,
            kommentieren und unterstützen. Vorschläge mit viel Unterstützung prüft die
            Verwaltung auf Machbarkeit und Kosten; anschließend stimmen Sie über die
            Vorhaben ab, die in den Förderantrag aufgenommen werden sollen.
        """),
        "image_alt": "Illustration: Marktplatz mit Bäumen, Fahrrädern und Sitzbänken vor "
        "einer Häuserzeile",
        "topics": ["vitale-innenstadt", "lokale-mobilitaet", "zukunftsfaehige-wohnquartiere"],
        "visibility": "public",
        "districts": ["bad-belzig"],
        "phases": [
            _phase(
                "Auftakt und Umfrage",
                -60,
                -25,
                ["answer"],
                "Eine kurze Umfrage dazu, wie Sie die Innenstadt heute nutzen und wie Sie "
                "unterwegs sind.",
            ),
            _phase(
                "Ideen sammeln und unterstützen",
                -25,
                30,
                ["propose", "support", "comment"],
                "Reichen Sie Vorschläge ein, kommentieren Sie und unterstützen Sie die Ideen, "
                "die Ihnen wichtig sind.",
            ),
            _phase(
                "Abstimmung",
                30,
                58,
                ["vote", "comment"],
                "Stimmen Sie über die geprüften Vorhaben ab.",
            ),
        ],
    },
    {
        "slug": "klimawerkstatt-flaeming",
        "title": "Klimawerkstatt Fläming",
        "organisation": "bad-belzig",
        "partners": ["wiesenburg-mark"],
        "summary": "Trockene Sommer, Starkregen, Waldbrandgefahr: Bad Belzig und "
        "Wiesenburg/Mark entwickeln gemeinsam Maßnahmen für Klimaschutz und Klimaanpassung. "
        "Monatliche Werkstätten und Klimadaten für die Region helfen dabei.",
        "description": md("""
            Der Hohe Fläming spürt den Klimawandel: sinkende Wasserstände in Bächen und
            Teichen, geschädigte Kiefernwälder und heiße Tage in der Altstadt. In der
            **Klimawerkstatt Fläming** arbeiten Bad Belzig und Wiesenburg/Mark zusammen
            an Lösungen, die zu Stadt und Dorf passen.

            ## Monatliche Werkstätten

            Jeden ersten Dienstag im Monat um 18 Uhr treffen sich Interessierte abwechselnd
            im Rathaus Bad Belzig und in einem Dorfgemeinschaftshaus der Gemeinde
            Wiesenburg/Mark. Wer nicht kommen kann, diskutiert hier online mit; die
            Ergebnisse jeder Werkstatt werden hier veröffentlicht.

            ## Klimadaten für die Region

            Zu jeder Werkstatt stellen wir aufbereitete Daten bereit, zum Beispiel:

            - Zahl der heißen Tage und Niederschlag im Sommer seit 1990
            - Waldbrandgefahrenstufen im Landkreis Potsdam-Mittelmark
            - Energieverbrauch der kommunalen Gebäude beider Gemeinden

            ## Was entstehen soll

            Am Ende steht eine Liste von Maßnahmen mit klaren Zuständigkeiten – vom
            Trinkbrunnen am Marktplatz über Regenwasserspeicher an Dorfgemeinschaftshäusern
            bis zu Photovoltaik auf kommunalen Dächern. Über die Reihenfolge entscheiden Sie
            in der letzten Phase mit.
        """),
        "easy_language": md("""
            Das Klima verändert sich.

            Die Sommer sind heißer und trockener.

            Manchmal regnet es sehr stark.

            Bad Belzig und Wiesenburg/Mark wollen etwas dagegen tun.

            Dafür gibt es die Klima·werkstatt.

            Eine Werkstatt ist hier ein Treffen.

            Bei dem Treffen reden Menschen über Ideen für das Klima.

            Das Treffen ist jeden Monat.

            **Das können Sie machen:**

            - Zu dem Treffen kommen.
            - Hier im Internet Ihre Ideen auf·schreiben.
            - Die Ideen von anderen Menschen unterstützen. Das heißt: Sie sagen, diese Idee
              ist gut.

            Am Ende stimmen alle ab: Welche Ideen machen wir zuerst?

            **Achtung:** Diese Beteiligung ist ein Beispiel. Sie ist erfunden.
        """),
        "image_alt": "Illustration: Kiefernwald und Felder unter einer Sonne, daneben ein "
        "Balkendiagramm",
        "topics": ["klima-umwelt", "gemeinschaft-ehrenamt"],
        "visibility": "public",
        "districts": _BAD_BELZIG_DISTRICTS + _WIESENBURG_DISTRICTS,
        "phases": [
            _phase(
                "Klimadaten verstehen",
                -90,
                -30,
                ["comment"],
                "Was zeigen die Daten für unsere Region? Fragen und Beobachtungen aus Ihrem "
                "Ort sind willkommen.",
            ),
            _phase(
                "Maßnahmen entwickeln",
                -30,
                60,
                ["propose", "comment", "support"],
                "Schlagen Sie Maßnahmen vor, ergänzen Sie die Ergebnisse der Werkstätten und "
                "unterstützen Sie gute Ideen.",
            ),
            _phase(
                "Prioritäten setzen",
                60,
                88,
                ["vote"],
                "Stimmen Sie ab, welche Maßnahmen zuerst umgesetzt werden sollen.",
            ),
        ],
    },
    {
        "slug": "zukunftsschusterei",
        "title": "Zukunftsschusterei – Smart City Bad Belzig & Wiesenburg/Mark",
        "organisation": "wiesenburg-mark",
        "partners": ["bad-belzig"],
        "summary": "In der Zukunftsschusterei entwickeln Wiesenburg/Mark und Bad Belzig "
        "digitale Lösungen für den ländlichen Raum – von der Mitfahrbank bis zum "
        "Dorf-Treffpunkt. Sagen Sie uns, was Ihnen im Alltag hilft.",
        "description": md("""
            Die **Zukunftsschusterei** ist das gemeinsame Smart-City-Vorhaben der Gemeinde
            Wiesenburg/Mark und der Stadt Bad Belzig. Wie in einer Schusterwerkstatt soll
            hier passgenau gefertigt werden: digitale Werkzeuge, die zu den Menschen in
            Stadt und Dorf passen – nicht umgekehrt.

            ## Woran wir arbeiten

            - **Mobilität:** Echtzeit-Abfahrten am Bahnhof Wiesenburg, eine digitale
              Mitfahrbank zwischen den Dörfern, Buchung des Rufbusses per App oder Telefon
            - **Treffpunkte:** Dorfgemeinschaftshäuser, die Vereine online buchen können
            - **Verwaltung:** Anträge und Auskünfte online – mit Hilfe vor Ort für alle,
              die nicht allein am Computer arbeiten möchten

            ## Gemeinsam erproben

            Jede Idee wird zuerst in einem oder zwei Ortsteilen ausprobiert. Erst wenn sie
            sich im Alltag bewährt, wird sie auf weitere Orte übertragen. Dafür suchen wir
            Menschen, die testen, Rückmeldung geben und ihre Nachbarschaft mitnehmen.

            Schreiben Sie uns, was Ihnen fehlt und welche Idee Sie unterstützen. In der
            Erprobungsphase berichten wir hier regelmäßig, was funktioniert und was nicht.
        """),
        "image_alt": "Illustration: Schusterleisten und Werkzeug neben einem Smartphone mit "
        "Busfahrplan",
        "topics": ["digitale-dienste", "lokale-mobilitaet", "gemeinschaft-ehrenamt"],
        "visibility": "public",
        "districts": _WIESENBURG_DISTRICTS + _BAD_BELZIG_DISTRICTS,
        "phases": [
            _phase(
                "Bedarfe erheben",
                -150,
                -60,
                ["answer", "comment"],
                "Umfrage und Gespräche: Wo hakt es im Alltag auf dem Land?",
            ),
            _phase(
                "Ideen für digitale Dienste",
                -60,
                45,
                ["propose", "support", "comment"],
                "Schlagen Sie Lösungen vor und unterstützen Sie die Ideen, die in Ihrem Ort "
                "getestet werden sollen.",
            ),
            _phase(
                "Erprobung und Rückmeldung",
                45,
                165,
                ["comment"],
                "Ausgewählte Ideen werden in einzelnen Ortsteilen getestet. Teilen Sie Ihre "
                "Erfahrungen.",
            ),
        ],
    },
    {
        "slug": "radweg-wiesenburg-schmerwitz",
        "title": "Radweg Wiesenburg–Schmerwitz",
        "organisation": "wiesenburg-mark",
        "partners": [],
        "summary": "Wie kommen Kinder, Pendelnde und Gäste sicher mit dem Rad von Schmerwitz "
        "und Schlamau nach Wiesenburg und zum Bahnhof? Ab Beginn der Beteiligung können Sie "
        "mögliche Trassen kommentieren und anschließend über eine Variante abstimmen.",
        "description": md("""
            Zwischen **Schmerwitz, Schlamau und Wiesenburg** sind viele Menschen auf das Auto
            angewiesen, obwohl die Entfernungen kurz sind. Die Gemeinde lässt deshalb
            untersuchen, wie eine sichere Radverbindung zum Ortskern Wiesenburg und zum
            Bahnhof aussehen könnte.

            ## Mögliche Trassen

            - **Variante A:** entlang der Straße, kurz und direkt, aber nah am Verkehr
            - **Variante B:** über vorhandene Wald- und Feldwege, ruhiger, aber länger
            - **Variante C:** Kombination: an der Straße bis Schlamau, danach über Feldwege

            ## Ablauf der Beteiligung

            Zunächst können Sie die Varianten kommentieren und in einer kurzen Umfrage
            angeben, wie Sie heute unterwegs sind. Danach stimmen Sie über die bevorzugte
            Variante ab. Das Ergebnis fließt in die weitere Planung und den Förderantrag ein;
            Naturschutz und Eigentumsfragen werden parallel geprüft.
        """),
        "image_alt": "Illustration: Radweg, der zwischen Feldern auf einen Kirchturm zuführt",
        "topics": ["lokale-mobilitaet", "klima-umwelt"],
        "visibility": "public",
        "districts": ["wiesenburg", "schmerwitz", "schlamau", "neuehuetten"],
        "phases": [
            _phase(
                "Trassen kommentieren",
                20,
                62,
                ["comment", "answer"],
                "Sehen Sie sich die Varianten an, kommentieren Sie sie und beantworten Sie "
                "die Umfrage.",
            ),
            _phase(
                "Variante wählen",
                62,
                83,
                ["vote"],
                "Stimmen Sie für die Variante, die Sie bevorzugen.",
            ),
        ],
    },
    {
        "slug": "spielplatz-luebnitz",
        "title": "Spielplatz Lübnitz",
        "organisation": "bad-belzig",
        "partners": [],
        "summary": "Kinder und Eltern aus Lübnitz haben gemeinsam den neuen Spielplatz am "
        "Dorfanger geplant: Wünsche gesammelt, Entwürfe bewertet und den Bau begleitet. "
        "Der Spielplatz ist fertig – hier lesen Sie das Ergebnis.",
        "description": md("""
            Der alte Spielplatz am **Dorfanger in Lübnitz** war in die Jahre gekommen. Die
            Stadt hat Kinder, Eltern und den Ortsbeirat gefragt, was der neue Spielplatz
            bieten soll.

            ## So lief die Beteiligung

            - Kinder haben Wünsche gemalt und online eingereicht, Eltern haben ergänzt.
            - Ein Planungsbüro hat daraus zwei Entwürfe erstellt, über die abgestimmt wurde.
            - Während des Baus wurden Fragen hier beantwortet.

            ## Ergebnis

            Gewonnen hat der Entwurf **„Burg am Anger“** mit Kletterburg, Nestschaukel und
            einer Matschanlage; viele Wünsche aus dem anderen Entwurf – etwa Sitzplätze im
            Schatten für Großeltern – wurden übernommen. Der Spielplatz wurde mit einem
            kleinen Dorffest eröffnet. Vielen Dank an alle, die mitgemacht haben!
        """),
        "easy_language": md("""
            In Lübnitz gibt es einen neuen Spiel·platz.

            Kinder und Eltern haben den Spiel·platz mit geplant.

            So war es:

            1. Die Kinder haben Bilder gemalt. Auf den Bildern war: So wünschen wir uns den
               Spiel·platz.
            2. Dann gab es 2 Pläne für den Spiel·platz.
            3. Alle haben abgestimmt: Welcher Plan ist besser?

            Der Plan mit der Burg hat gewonnen.

            Jetzt gibt es eine Kletter·burg und eine große Schaukel.

            Es gibt auch Bänke im Schatten für die Groß·eltern.

            Die Beteiligung ist jetzt zu Ende.

            Vielen Dank an alle!

            **Achtung:** Diese Beteiligung ist ein Beispiel. Sie ist erfunden.
        """),
        "image_alt": "Illustration: Kletterburg und Nestschaukel unter einer Linde",
        "topics": ["gemeinschaft-ehrenamt"],
        "visibility": "public",
        "districts": ["luebnitz"],
        "phases": [
            _phase(
                "Wünsche sammeln",
                -210,
                -180,
                ["propose", "comment"],
                "Was wünscht ihr euch auf dem neuen Spielplatz?",
            ),
            _phase(
                "Entwürfe bewerten",
                -180,
                -160,
                ["vote", "comment"],
                "Zwei Entwürfe stehen zur Wahl.",
            ),
            _phase(
                "Bau und Eröffnung", -160, -45, ["comment"], "Fragen zum Bau und zur Eröffnung."
            ),
        ],
    },
    {
        "slug": "buergerhaushalt-2027",
        "title": "Bürgerhaushalt 2027",
        "organisation": "bad-belzig",
        "partners": [],
        "summary": "Vorbereitung: Ein Teil des Haushalts 2027 soll für Vorschläge aus der "
        "Bürgerschaft reserviert werden. Regeln, Budget und Zeitplan werden noch abgestimmt.",
        "description": md("""
            *Entwurf – nur für Mitarbeitende sichtbar.*

            Mit einem **Bürgerhaushalt** können Einwohnerinnen und Einwohner selbst
            Vorschläge für kleinere Vorhaben machen und darüber abstimmen, zum Beispiel
            eine Bank am Dorfteich, Fahrradbügel oder Material für die Jugendfeuerwehr.

            ## Noch zu klären

            - Höhe des Budgets und Aufteilung zwischen Kernstadt und Ortsteilen
            - Mindestalter für die Abstimmung (Vorschlag: ab 14 Jahren)
            - Kriterien für die Prüfung durch die Verwaltung

            Bitte Texte, Phasen und Zuständigkeiten bis zur nächsten Teamrunde ergänzen.
        """),
        "image_alt": "Illustration: Sparschwein mit Stadtsilhouette und Sprechblasen",
        "topics": ["gemeinschaft-ehrenamt", "vitale-innenstadt"],
        "visibility": "draft",
        "districts": _BAD_BELZIG_DISTRICTS,
        "phases": [
            _phase(
                "Vorschläge einreichen",
                60,
                120,
                ["propose", "comment", "support"],
                "Vorschläge bis zu einem festen Betrag je Vorhaben.",
            ),
            _phase(
                "Prüfung durch die Verwaltung",
                120,
                165,
                ["comment"],
                "Die Verwaltung prüft Machbarkeit und Kosten.",
            ),
            _phase(
                "Abstimmung",
                165,
                195,
                ["vote"],
                "Alle Einwohnerinnen und Einwohner ab 14 Jahren stimmen ab.",
            ),
        ],
    },
    {
        # The finished Bürgerhaushalt (ideas, ballots and results: mitmachen/budgets/demo.py).
        "slug": "buergerhaushalt-2026",
        "title": "Bürgerhaushalt 2026",
        "organisation": "bad-belzig",
        "partners": [],
        "summary": "Abgeschlossen: Bad Belzig hat über 50.000 € für Ideen aus der "
        "Bürgerschaft abgestimmt – online und auf Papier. Das Ergebnis ist online.",
        "description": md("""
            *Beispiel: Dieser Bürgerhaushalt ist für die Demo erfunden.*

            Einwohnerinnen und Einwohner haben Ideen eingereicht, die Verwaltung hat sie
            geprüft, und über die machbaren Ideen wurde abgestimmt. Jetzt werden die
            gewählten Ideen umgesetzt.
        """),
        "image_alt": "Illustration: Sparschwein mit Stadtsilhouette und Sprechblasen",
        "topics": ["gemeinschaft-ehrenamt", "vitale-innenstadt"],
        "visibility": "public",
        "districts": _BAD_BELZIG_DISTRICTS,
        "phases": [
            _phase("Vorschläge einreichen", -240, -180, [], "Ideen bis 20.000 € je Vorhaben."),
            _phase(
                "Prüfung durch die Verwaltung",
                -180,
                -120,
                [],
                "Die Verwaltung prüft Machbarkeit und Kosten.",
            ),
            _phase("Abstimmung", -120, -90, [], "Online und auf Papier."),
            _phase("Umsetzung", -90, 270, [], "Die gewählten Ideen werden umgesetzt."),
        ],
    },
    {
        "slug": "name-soziokulturelles-zentrum",
        "title": "Ein Name für das soziokulturelle Zentrum",
        "organisation": "bad-belzig",
        "partners": [],
        "summary": "Im früheren Lagerhaus am Bahnhof entsteht ein soziokulturelles Zentrum "
        "mit Café, Werkstätten und Veranstaltungssaal. Bad Belzig hat gemeinsam über seinen "
        "Namen abgestimmt.",
        "description": md("""
            Im **früheren Lagerhaus am Bahnhof** entsteht ein Ort für alle Generationen:
            ein Café, offene Werkstätten, Räume für Vereine und ein Saal für Konzerte,
            Lesungen und Feste. Getragen wird das Zentrum von einem Verein aus
            Ehrenamtlichen, die Stadt stellt das Gebäude.

            ## Wie der Name gefunden wurde

            Zuerst konnten alle Namen vorschlagen – online, im Mitmachmobil und auf dem
            Wochenmarkt. Eine Jury aus Verein, Jugendbeirat und Seniorenbeirat hat vier
            Vorschläge ausgewählt. Über diese vier wurde anschließend abgestimmt, online
            und auf Papier. Das Ergebnis der Abstimmung ist unten veröffentlicht; die
            Stadtverordnetenversammlung hat es zur Kenntnis genommen.
        """),
        "image_alt": "Illustration: Hügellandschaft mit kleinen Häusern unter blauem Himmel",
        "topics": ["gemeinschaft-ehrenamt", "tourismus-kultur"],
        "visibility": "public",
        "districts": ["bad-belzig"],
        "phases": [
            _phase(
                "Namen vorschlagen",
                -150,
                -110,
                ["propose", "comment"],
                "Schlagen Sie einen Namen vor und sagen Sie, was er bedeutet.",
            ),
            _phase(
                "Abstimmung über den Namen",
                -110,
                -80,
                ["answer", "comment"],
                "Wählen Sie aus den vier Vorschlägen der Jury Ihren Favoriten.",
            ),
        ],
    },
    {
        "slug": "dorfwerkstatt-luebnitz",
        "title": "Dorfwerkstatt Lübnitz",
        "organisation": "bad-belzig",
        "partners": [],
        "summary": "Geschlossene Arbeitsgruppe aus Ortsbeirat, Vereinen und engagierten "
        "Einwohnerinnen und Einwohnern: Wie soll sich die Dorfmitte von Lübnitz rund um "
        "Kirche, Anger und Feuerwehr entwickeln?",
        "description": md("""
            Die **Dorfwerkstatt Lübnitz** ist eine Arbeitsgruppe nur für eingeladene
            Mitglieder. Sie bereitet Vorschläge für die Dorfmitte vor, bevor diese öffentlich
            diskutiert werden.

            ## Themen der Werkstatt

            - ein Treffpunkt für alle Generationen in der Dorfmitte
            - Parken und Wege rund um die Dorfkirche
            - Pflege des Angers durch Dorfgemeinschaft und Stadt

            Beiträge in diesem Projekt sind nur für die Mitglieder der Arbeitsgruppe und die
            zuständigen Mitarbeitenden der Stadt sichtbar.
        """),
        "image_alt": "Illustration: Dorfkirche aus Feldstein mit Anger und Sitzbank",
        "topics": ["gemeinschaft-ehrenamt", "zukunftsfaehige-wohnquartiere"],
        "visibility": "private",
        "districts": ["luebnitz"],
        "phases": [
            _phase(
                "Bestandsaufnahme Dorfmitte",
                -30,
                14,
                ["comment", "propose"],
                "Was funktioniert, was fehlt? Sammeln Sie Beobachtungen und erste Vorschläge.",
            ),
            _phase(
                "Vorschläge abstimmen",
                14,
                35,
                ["vote", "comment"],
                "Die Arbeitsgruppe einigt sich auf die Vorschläge für die öffentliche Diskussion.",
            ),
        ],
    },
]
