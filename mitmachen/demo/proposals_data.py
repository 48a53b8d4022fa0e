"""Demo proposals ("Vorschläge") for the Bad Belzig / Wiesenburg/Mark demo installation.

Everything in this module is invented demo content: the proposals, their texts, the places
where they were collected and the abbreviated names of the people who handed them in
(such as "Frau M.") do not describe real people, real requests or real decisions of the
towns. Points are approximate positions inside the demo Ortsteil boundaries in
``districts.geojson``, not surveyed locations.

Each entry refers to slugs from ``data.py`` (projects, topics, demo users) and
``districts.geojson`` (Ortsteile). ``age_days`` is the number of days before the seeding
day on which the proposal was submitted; it always lies inside the current project phase
that allows proposals. For offline channels, ``offline["date_offset"]`` is ``-age_days``
and the name is only shown when ``consent`` is true. The seed creates
``DEMO_SUPPORTER_COUNT`` demo supporter accounts; no proposal asks for more supporters than
that. The proposal with the key ``hidden-spam`` (an advertisement from ``DEMO_SPAMMER``) is
reported by demo supporters and hidden by the demo moderator. Like ``data.py`` this module
imports nothing from Django.
"""

from __future__ import annotations

from typing import Any

DEMO_SUPPORTER_COUNT = 80
# The invented account that posts the advertisement the demo moderation hides.
DEMO_SPAMMER = {"email": "zaunangebote@example.org", "display_name": "Zaun-Discount"}

PROPOSALS: list[dict[str, Any]] = [
    # ------------------------------------------------------------------------------------
    # Meine Stadt der Zukunft (Kernstadt Bad Belzig; phase "Ideen sammeln" since day -25)
    # ------------------------------------------------------------------------------------
    {
        "key": "sitzbaenke-schatten-marktplatz",
        "project": "meine-stadt-der-zukunft",
        "title": "Schattige Sitzplätze rund um den Marktplatz",
        "text": (
            "Wer im Sommer über den Marktplatz geht, findet kaum einen Platz zum Ausruhen – "
            "und wenn, dann in der prallen Sonne. Gerade ältere Menschen, die vom Arzt oder "
            "aus der Apotheke kommen, brauchen unterwegs eine Pause.\n\n"
            "Mein Vorschlag:\n\n"
            "- sechs bis acht Bänke mit Rückenlehne und Armlehnen\n"
            "- Bäume in großen Pflanzkübeln oder Sonnensegel, solange keine Bäume gepflanzt "
            "werden können\n"
            "- ein Trinkbrunnen in der Nähe\n\n"
            "Dann bleibt man auch mal sitzen, trinkt einen Kaffee und der Platz wird wieder "
            "lebendig."
        ),
        "topic": "vitale-innenstadt",
        "district": "bad-belzig",
        "point": [12.5924, 52.1419],
        "place": "Marktplatz vor dem Rathaus",
        "channel": "online",
        "author": "bewohnerin@example.org",
        "offline": None,
        "supporters": 55,
        "age_days": 22,
    },
    {
        "key": "zwischennutzung-leerstand-altstadt",
        "project": "meine-stadt-der-zukunft",
        "title": "Leere Läden in der Straße der Einheit zwischennutzen",
        "text": (
            "In der Straße der Einheit stehen mehrere Läden seit Jahren leer, die Schaufenster "
            "sind zugeklebt. Die Stadt könnte mit den Eigentümern Verträge über eine "
            "Zwischennutzung für ein paar Monate schließen – gegen geringe Miete oder nur die "
            "Nebenkosten.\n\n"
            "Denkbar wären ein Pop-up-Laden für regionale Produkte aus dem Fläming, eine "
            "Ausstellung von Kunstschaffenden vom Kunstwanderweg, eine Reparaturwerkstatt oder "
            "ein Raum für Jugendliche. Wenn etwas gut läuft, bleibt es vielleicht dauerhaft. "
            "Hauptsache, die Fenster sind nicht mehr leer."
        ),
        "topic": "vitale-innenstadt",
        "district": "bad-belzig",
        "point": [12.5941, 52.1429],
        "place": "Straße der Einheit",
        "channel": "workshop",
        "author": None,
        "offline": {
            "date_offset": -19,
            "place": "Zukunftswerkstatt im Rathaussaal",
            "name": "Frau M.",
            "consent": True,
        },
        "supporters": 38,
        "age_days": 19,
    },
    {
        "key": "wohnungen-ueber-laeden",
        "project": "meine-stadt-der-zukunft",
        "title": "Wohnungen über den Geschäften wieder bewohnbar machen",
        "text": (
            "Über vielen Läden in der Altstadt sind die Obergeschosse unbewohnt, weil sich der "
            "Umbau für die Eigentümer nicht lohnt oder der Zugang nur durch den Laden führt. "
            "Eine Beratung durch die Stadt und ein kleiner Zuschuss für separate Eingänge, "
            "Dämmung und Heizung könnten helfen.\n\n"
            "So entstünden Wohnungen mitten in der Stadt, ohne neue Flächen zu versiegeln, und "
            "abends wäre in der Altstadt wieder Licht in den Fenstern."
        ),
        "topic": "zukunftsfaehige-wohnquartiere",
        "district": "bad-belzig",
        "point": [12.5933, 52.1436],
        "place": "Altstadt zwischen Marktplatz und Burg",
        "channel": "workshop",
        "author": "bewohnerin@example.org",
        "offline": {
            "date_offset": -19,
            "place": "Zukunftswerkstatt im Rathaussaal",
            "name": "",
            "consent": False,
        },
        "supporters": 14,
        "age_days": 19,
    },
    {
        "key": "feierabendmarkt",
        "project": "meine-stadt-der-zukunft",
        "title": "Feierabendmarkt im Sommer auf dem Marktplatz",
        "text": (
            "Der Wochenmarkt ist vormittags, da sind alle, die pendeln, in Berlin oder Potsdam. "
            "Wie wäre es mit einem Feierabendmarkt donnerstags von 16 bis 20 Uhr, von Mai bis "
            "September? Ein paar Stände mit Gemüse, Brot und Käse aus der Region, dazu Bänke "
            "und etwas zu trinken. Die Leute kommen vom Zug und gehen nicht gleich nach Hause."
        ),
        "topic": "vitale-innenstadt",
        "district": "bad-belzig",
        "point": [12.5919, 52.1414],
        "place": "Marktplatz",
        "channel": "market_stand",
        "author": None,
        "offline": {
            "date_offset": -16,
            "place": "Marktstand auf dem Wochenmarkt",
            "name": "",
            "consent": False,
        },
        "supporters": 21,
        "age_days": 16,
    },
    {
        "key": "fahrradbuegel-bahnhof",
        "project": "meine-stadt-der-zukunft",
        "title": "Überdachte und abschließbare Fahrradstellplätze am Bahnhof",
        "text": (
            "Morgens um sieben sind am Bahnhof Bad Belzig alle Fahrradständer voll, viele Räder "
            "hängen am Zaun. Für teure E-Bikes gibt es gar keinen sicheren Platz, deshalb "
            "fahren viele doch mit dem Auto zum Bahnhof.\n\n"
            "Ich schlage vor:\n\n"
            "1. zusätzliche überdachte Fahrradbügel auf der Seite zum Parkplatz\n"
            "2. einige abschließbare Fahrradboxen, die man monatsweise mieten kann\n"
            "3. eine Luftpumpe und Werkzeug für kleine Reparaturen"
        ),
        "topic": "lokale-mobilitaet",
        "district": "bad-belzig",
        "point": [12.5987, 52.1389],
        "place": "Bahnhof Bad Belzig, Vorplatz",
        "channel": "online",
        "author": "bewohnerin@example.org",
        "offline": None,
        "supporters": 33,
        "age_days": 20,
    },
    {
        "key": "stadtbus-bahnhof-therme",
        "project": "meine-stadt-der-zukunft",
        "title": "Kleiner Stadtbus Bahnhof – Altstadt – SteinTherme im Takt der Züge",
        "text": (
            "Vom Bahnhof in die Altstadt oder zur SteinTherme ist es zu weit, um mit Gepäck zu "
            "laufen, und der Bus passt oft nicht zu den Zügen aus Berlin. Ein kleiner "
            "Elektrobus, der stündlich zu jedem Regionalexpress fährt, würde Gästen der Therme "
            "genauso helfen wie älteren Menschen ohne Auto. Haltestellen könnten Bahnhof, "
            "Marktplatz, Burg Eisenhardt, Ärztehaus und SteinTherme sein. Vielleicht lässt "
            "sich das gemeinsam mit der Therme und den Hotels finanzieren."
        ),
        "topic": "lokale-mobilitaet",
        "district": None,
        "point": None,
        "place": "",
        "channel": "online",
        "author": "bewohnerin@example.org",
        "offline": None,
        "supporters": 41,
        "age_days": 24,
    },
    {
        "key": "bordsteine-weg-zum-bahnhof",
        "project": "meine-stadt-der-zukunft",
        "title": "Bordsteine absenken auf dem Weg vom Bahnhof in die Altstadt",
        "text": (
            "Beim Stadtspaziergang sind wir den Weg vom Bahnhof zur Altstadt mit Rollator und "
            "Kinderwagen gegangen. An mehreren Kreuzungen sind die Bordsteine so hoch, dass "
            "man ohne Hilfe nicht hinüberkommt, und das Kopfsteinpflaster ist für Rollstühle "
            "kaum befahrbar. Bitte an den Übergängen die Bordsteine absenken und einen "
            "durchgehend glatten Streifen im Pflaster anlegen."
        ),
        "topic": "lokale-mobilitaet",
        "district": "bad-belzig",
        "point": [12.5968, 52.1398],
        "place": "Fußweg zwischen Bahnhof und Altstadt",
        "channel": "city_walk",
        "author": None,
        "offline": {
            "date_offset": -10,
            "place": "Stadtspaziergang Altstadt",
            "name": "Herr K.",
            "consent": True,
        },
        "supporters": 12,
        "age_days": 10,
    },
    {
        "key": "barrierearmes-wohnen-altstadt",
        "project": "meine-stadt-der-zukunft",
        "title": "Barrierearme Wohnungen für Ältere in der Innenstadt",
        "text": (
            "Ich bin 78 Jahre alt und wohne allein in einem Haus mit großem Garten. Die Treppe "
            "und die Gartenarbeit werden mir zu viel, aber ich möchte in Bad Belzig bleiben, "
            "wo ich Ärzte, Post und Einkauf zu Fuß erreiche. Es fehlen kleine Wohnungen mit "
            "Aufzug oder im Erdgeschoss, am liebsten mit einem Gemeinschaftsraum. Vielleicht "
            "kann die Wohnungsgesellschaft so etwas in der Innenstadt bauen. Dann würden auch "
            "Häuser für junge Familien frei."
        ),
        "topic": "zukunftsfaehige-wohnquartiere",
        "district": "bad-belzig",
        "point": [12.5951, 52.1446],
        "place": "Innenstadt, nah an Ärztehaus und Einkauf",
        "channel": "letter",
        "author": None,
        "offline": {
            "date_offset": -13,
            "place": "Brief an das Rathaus Bad Belzig",
            "name": "",
            "consent": False,
        },
        "supporters": 6,
        "age_days": 13,
    },
    {
        "key": "mehrgenerationenwohnen",
        "project": "meine-stadt-der-zukunft",
        "title": "Mehrgenerationenhaus mit gemeinsamem Garten",
        "text": (
            "Wir sind eine Gruppe aus drei Familien und zwei älteren Paaren, die gern "
            "zusammen wohnen würden: jede Partei in einer eigenen Wohnung, dazu ein "
            "Gemeinschaftsraum, ein Garten und eine Werkstatt. Was uns fehlt, ist ein "
            "geeignetes Grundstück oder ein leer stehendes Gebäude. Könnte die Stadt solche "
            "Flächen nach Konzept statt zum Höchstpreis vergeben? Andere Städte in Brandenburg "
            "machen das schon."
        ),
        "topic": "zukunftsfaehige-wohnquartiere",
        "district": None,
        "point": None,
        "place": "",
        "channel": "online",
        "author": "bewohnerin@example.org",
        "offline": None,
        "supporters": 17,
        "age_days": 8,
    },
    {
        "key": "spielpunkte-altstadt",
        "project": "meine-stadt-der-zukunft",
        "title": "Spielpunkte für Kinder in der Altstadt",
        "text": (
            "Kinder wünschen sich was zum Klettern und Balancieren in der Stadt, nicht nur "
            "auf dem Spielplatz. Ein paar Spielpunkte auf dem Weg zwischen Marktplatz und Burg "
            "(Balancierbalken, Wasserspiel, Kletterstein) würden Familien in die Altstadt "
            "holen, und die Eltern kaufen dann auch mal ein Eis."
        ),
        "topic": "vitale-innenstadt",
        "district": "bad-belzig",
        "point": [12.5928, 52.1432],
        "place": "Weg zwischen Marktplatz und Burg Eisenhardt",
        "channel": "mitmachmobil",
        "author": None,
        "offline": {
            "date_offset": -5,
            "place": "Mitmachmobil auf dem Marktplatz",
            "name": "",
            "consent": False,
        },
        "supporters": 9,
        "age_days": 5,
    },
    {
        "key": "ladesaeulen-parkplatz-altstadt",
        "project": "meine-stadt-der-zukunft",
        "title": "Ladesäulen auf dem Parkplatz an der Altstadt",
        "text": (
            "Am Telefon vorgetragen: In der Innenstadt gibt es kaum Ladesäulen für "
            "Elektroautos. Wer zum Einkaufen oder in die Therme kommt, soll auf dem Parkplatz "
            "am Rand der Altstadt laden können, am besten auch mit ein paar Anschlüssen für "
            "E-Bikes."
        ),
        "topic": "lokale-mobilitaet",
        "district": "bad-belzig",
        "point": [12.5962, 52.1440],
        "place": "Parkplatz am Rand der Altstadt",
        "channel": "phone",
        "author": None,
        "offline": {
            "date_offset": -3,
            "place": "Telefonsprechstunde des Projektbüros",
            "name": "Herr S.",
            "consent": True,
        },
        "supporters": 4,
        "age_days": 3,
    },
    {
        "key": "mitfahrbank-stadtausgang",
        "project": "meine-stadt-der-zukunft",
        "title": "Mitfahrbank am Stadtausgang Richtung Lütte und Fredersdorf",
        "text": (
            "Vorschlag aus dem Projektbüro: Abends und am Wochenende fährt kaum ein Bus in "
            "die nördlichen Ortsteile. Eine gut sichtbare Mitfahrbank am Stadtausgang mit "
            "Klappschildern für die Ziele (Lütte, Fredersdorf, Schwanebeck) wäre ein einfacher "
            "Anfang. Die Bank sollte beleuchtet sein und in der Nähe einer Haltestelle "
            "stehen, damit man im Zweifel doch den Bus nehmen kann."
        ),
        "topic": "lokale-mobilitaet",
        "district": "bad-belzig",
        "point": [12.5982, 52.1458],
        "place": "Stadtausgang Richtung Lütte",
        "channel": "office",
        "author": None,
        "offline": {
            "date_offset": -11,
            "place": "Projektbüro Straße der Einheit",
            "name": "Frau L.",
            "consent": True,
        },
        "supporters": 7,
        "age_days": 11,
    },
    {
        "key": "oeffentliche-toilette-altstadt",
        "project": "meine-stadt-der-zukunft",
        "title": "Öffentliche Toilette in der Altstadt",
        "text": (
            "Klingt banal, ist aber wichtig: In der ganzen Altstadt gibt es keine öffentliche "
            "Toilette, die auch am Wochenende offen ist. Für Familien mit kleinen Kindern, "
            "Ältere und Wandergruppen auf dem Weg zur Burg ist das ein echtes Problem. "
            "Alternativ könnten sich Cafés und Läden an der Aktion „Nette Toilette“ beteiligen "
            "und bekommen dafür einen kleinen Zuschuss."
        ),
        "topic": "vitale-innenstadt",
        "district": "bad-belzig",
        "point": [12.5936, 52.1411],
        "place": "Altstadt, in der Nähe des Marktplatzes",
        "channel": "online",
        "author": "bewohnerin@example.org",
        "offline": None,
        "supporters": 23,
        "age_days": 7,
    },
    {
        "key": "sichere-radroute-schule",
        "project": "meine-stadt-der-zukunft",
        "title": "Sichere Radroute zu den Schulen",
        "text": (
            "Mein Sohn fährt mit dem Rad zur Schule und muss dabei über die Hauptstraße, wo "
            "morgens viel Durchgangsverkehr ist. Eine markierte Route über ruhige Nebenstraßen, "
            "mit einer Querungshilfe an der Hauptstraße und Tempo 30 vor den Schulen, würde "
            "vielen Eltern die Sorge nehmen. Dann müssten auch weniger Kinder mit dem „Eltern-Taxi“"
            " gebracht werden."
        ),
        "topic": "lokale-mobilitaet",
        "district": "bad-belzig",
        "point": [12.5948, 52.1391],
        "place": "Querung der Hauptstraße Richtung Schulen",
        "channel": "online",
        "author": "bewohnerin@example.org",
        "offline": None,
        "supporters": 0,
        "age_days": 1,
    },
    {
        "key": "hidden-spam",
        "project": "meine-stadt-der-zukunft",
        "title": "!!! NUR HEUTE: Premium-Gartenzäune 70 % reduziert !!!",
        "text": (
            "Sie suchen einen neuen Zaun? Wir liefern Premium-Doppelstabmattenzäune in ganz "
            "Brandenburg – jetzt 70 % günstiger! Kostenlose Lieferung ab 50 Metern. Mit dem "
            "Code ZAUN70 erhalten Sie zusätzlich einen Gratis-Torpfosten. Nur solange der "
            "Vorrat reicht! Jetzt bestellen auf www.example.com/zaun-angebot"
        ),
        "topic": None,
        "district": None,
        "point": None,
        "place": "",
        "channel": "online",
        "author": "zaunangebote@example.org",
        "offline": None,
        "supporters": 0,
        "age_days": 6,
    },
    # ------------------------------------------------------------------------------------
    # INSEK Bad Belzig 2035+ (all Ortsteile; phase "Ideen für die Handlungsfelder" since
    # day -120; this project never allowed supporting, so all have 0 supporters)
    # ------------------------------------------------------------------------------------
    {
        "key": "rufbus-luesse-neschholz",
        "project": "insek-bad-belzig-2035",
        "title": "Rufbus für Lüsse, Neschholz und Kuhlowitz auch am Nachmittag",
        "text": (
            "Aus Lüsse kommt man nachmittags kaum noch in die Stadt und wieder zurück. Der "
            "Schulbus ist die einzige verlässliche Verbindung. Wir wünschen uns einen Rufbus, "
            "den man telefonisch am Vortag oder eine Stunde vorher bestellen kann, mit festen "
            "Zeiten zum Bahnhof Bad Belzig.\n\n"
            "Wichtig ist, dass man ihn auch ohne Smartphone bestellen kann."
        ),
        "topic": "lokale-mobilitaet",
        "district": "luesse",
        "point": [12.6532, 52.1478],
        "place": "Bushaltestelle an der Dorfstraße in Lüsse",
        "channel": "mitmachmobil",
        "author": None,
        "offline": {
            "date_offset": -47,
            "place": "Mitmachmobil in Lüsse",
            "name": "Frau B.",
            "consent": True,
        },
        "supporters": 0,
        "age_days": 47,
    },
    {
        "key": "radweg-luebnitz-bad-belzig",
        "project": "insek-bad-belzig-2035",
        "title": "Radweg von Lübnitz nach Bad Belzig",
        "text": (
            "Zwischen Lübnitz und Bad Belzig gibt es keinen Radweg. Die Landstraße ist schmal, "
            "die Autos fahren schnell, und im Winter ist es morgens dunkel. Deshalb fahren "
            "die Kinder nicht mit dem Rad zur Schule, obwohl es nur wenige Kilometer sind. "
            "Ein Radweg entlang der Straße oder über den vorhandenen Feldweg würde das Dorf "
            "besser an die Stadt anbinden und wäre auch für Gäste auf dem Weg zum Hagelberg "
            "interessant. Bitte als Vorhaben in das INSEK aufnehmen."
        ),
        "topic": "lokale-mobilitaet",
        "district": "luebnitz",
        "point": [12.5331, 52.1551],
        "place": "Ortsausgang Lübnitz Richtung Bad Belzig",
        "channel": "online",
        "author": "bewohnerin@example.org",
        "offline": None,
        "supporters": 0,
        "age_days": 95,
    },
    {
        "key": "bauplaetze-ragoesen",
        "project": "insek-bad-belzig-2035",
        "title": "Bauplätze und Mietwohnungen für junge Familien in Ragösen",
        "text": (
            "In Ragösen fragen immer wieder junge Familien nach einem Grundstück oder einer "
            "Wohnung, oft Kinder aus dem Dorf, die zurückkommen möchten. Es gibt aber weder "
            "Bauplätze noch Mietwohnungen. In der Ortsteilwerkstatt wurde vorgeschlagen:\n\n"
            "- Baulücken im Ort erfassen und Eigentümer ansprechen\n"
            "- den leer stehenden Dreiseithof am Ortsrand für Mietwohnungen prüfen\n"
            "- Glasfaser mitverlegen, damit Homeoffice möglich ist"
        ),
        "topic": "zukunftsfaehige-wohnquartiere",
        "district": "ragoesen",
        "point": [12.5812, 52.2394],
        "place": "Ortsmitte Ragösen",
        "channel": "workshop",
        "author": None,
        "offline": {
            "date_offset": -74,
            "place": "Ortsteilwerkstatt im Gemeinderaum Ragösen",
            "name": "",
            "consent": False,
        },
        "supporters": 0,
        "age_days": 74,
    },
    {
        "key": "hagelberg-aussichtspunkt",
        "project": "insek-bad-belzig-2035",
        "title": "Aussichtspunkt und Wanderparkplatz am Hagelberg",
        "text": (
            "Der Hagelberg ist die höchste Erhebung im Fläming, aber Gäste finden kaum hin: "
            "Es gibt keine Beschilderung ab dem Dorf, keinen kleinen Parkplatz für Wandernde "
            "und oben keine Bank mit Blick ins Land. Beim Dorfrundgang wurde angeregt, einen "
            "einfachen Aussichtspunkt mit Infotafel zur Geschichte des Ortes einzurichten und "
            "den Weg an den Kunstwanderweg und an die Radwege nach Bad Belzig anzubinden."
        ),
        "topic": "tourismus-kultur",
        "district": "hagelberg",
        "point": [12.5246, 52.1417],
        "place": "Weg vom Dorf zur Kuppe des Hagelbergs",
        "channel": "city_walk",
        "author": None,
        "offline": {
            "date_offset": -60,
            "place": "Dorfrundgang Hagelberg mit dem Ortsbeirat",
            "name": "Herr T.",
            "consent": True,
        },
        "supporters": 0,
        "age_days": 60,
    },
    {
        "key": "belziger-bach-erlebbar",
        "project": "insek-bad-belzig-2035",
        "title": "Den Belziger Bach wieder sichtbar und erlebbar machen",
        "text": (
            "Sehr geehrte Damen und Herren,\n\n"
            "der Belziger Bach fließt über weite Strecken versteckt hinter Zäunen und in "
            "Rohren. Ich rege an, im INSEK einen Grünzug entlang des Bachs vorzusehen: mit "
            "einem Fußweg, Stellen, an denen Kinder ans Wasser kommen, und mehr Bäumen. Das "
            "kühlt die Stadt an heißen Tagen, hält bei Starkregen Wasser zurück und schafft "
            "einen schönen Weg zwischen Kurpark und Altstadt.\n\n"
            "Mit freundlichen Grüßen"
        ),
        "topic": "klima-umwelt",
        "district": "bad-belzig",
        "point": [12.5929, 52.1401],
        "place": "Belziger Bach zwischen Kurpark und Altstadt",
        "channel": "letter",
        "author": None,
        "offline": {
            "date_offset": -33,
            "place": "Brief an die Stadtverwaltung",
            "name": "",
            "consent": False,
        },
        "supporters": 0,
        "age_days": 33,
    },
    {
        "key": "leerstandsboerse-altstadt",
        "project": "insek-bad-belzig-2035",
        "title": "Leerstandsbörse und Ansprechperson für die Altstadt",
        "text": (
            "Wer in Bad Belzig einen Laden oder ein Café eröffnen will, weiß oft nicht, welche "
            "Räume frei sind und wem sie gehören. Eine Leerstandsbörse auf der Internetseite "
            "der Stadt und eine feste Ansprechperson im Rathaus, die zwischen Eigentümern und "
            "Gründenden vermittelt, würden helfen. Das sollte im INSEK als Daueraufgabe "
            "stehen, nicht nur als einmaliges Projekt."
        ),
        "topic": "vitale-innenstadt",
        "district": None,
        "point": None,
        "place": "",
        "channel": "office",
        "author": None,
        "offline": {
            "date_offset": -28,
            "place": "Projektbüro Straße der Einheit",
            "name": "Frau H.",
            "consent": True,
        },
        "supporters": 0,
        "age_days": 28,
    },
    {
        "key": "seniorenwohnen-fredersdorf",
        "project": "insek-bad-belzig-2035",
        "title": "Seniorenwohnen im alten Gutshaus Fredersdorf",
        "text": (
            "Telefonisch eingegangen: In Fredersdorf werden viele Menschen älter und müssen "
            "irgendwann in die Stadt oder ins Heim ziehen, weil es im Dorf keine passenden "
            "Wohnungen gibt. Das leer stehende Gutshaus könnte zu einigen altersgerechten "
            "Wohnungen umgebaut werden, mit einem Gemeinschaftsraum, in den auch der "
            "Pflegedienst und die Fußpflege kommen können. So bleiben die Leute im Dorf."
        ),
        "topic": "zukunftsfaehige-wohnquartiere",
        "district": "fredersdorf",
        "point": [12.6362, 52.1896],
        "place": "Altes Gutshaus in der Ortsmitte",
        "channel": "phone",
        "author": None,
        "offline": {
            "date_offset": -15,
            "place": "Telefonat mit dem Projektbüro",
            "name": "Frau G.",
            "consent": True,
        },
        "supporters": 0,
        "age_days": 15,
    },
    {
        "key": "schatten-dorfteich-dippmannsdorf",
        "project": "insek-bad-belzig-2035",
        "title": "Bäume und Bänke am Dorfteich Dippmannsdorf",
        "text": (
            "Der Dorfteich ist im Sommer fast ausgetrocknet und drumherum gibt es keinen "
            "Schatten. Vorschlag: den Teich entschlammen, Regenwasser von den Dächern "
            "einleiten, ein paar Linden pflanzen und zwei Bänke aufstellen. Dann wäre das "
            "wieder ein Treffpunkt fürs Dorf."
        ),
        "topic": "klima-umwelt",
        "district": "dippmannsdorf",
        "point": [12.5963, 52.2172],
        "place": "Dorfteich",
        "channel": "market_stand",
        "author": None,
        "offline": {
            "date_offset": -88,
            "place": "Infostand der Stadt beim Dorffest Dippmannsdorf",
            "name": "",
            "consent": False,
        },
        "supporters": 0,
        "age_days": 88,
    },
    # ------------------------------------------------------------------------------------
    # Zukunftsschusterei (Wiesenburg/Mark and Bad Belzig; phase "Ideen für digitale
    # Dienste" since day -60)
    # ------------------------------------------------------------------------------------
    {
        "key": "digitale-mitfahrbank-reetz",
        "project": "zukunftsschusterei",
        "title": "Digitale Mitfahrbank zwischen Reetz und Wiesenburg",
        "text": (
            "Eine Mitfahrbank an der Bushaltestelle in Reetz, die per Knopfdruck anzeigt, "
            "wohin man möchte (Wiesenburg, Bahnhof, Bad Belzig), und gleichzeitig an eine "
            "App oder eine Telefonnummer meldet, dass jemand wartet. Wer aus Reetz Richtung "
            "Wiesenburg fährt, sieht das und kann anhalten. Gerade für Jugendliche ohne "
            "Führerschein und für Ältere wäre das eine große Hilfe."
        ),
        "topic": "lokale-mobilitaet",
        "district": "reetz",
        "point": [12.3679, 52.1174],
        "place": "Bushaltestelle in der Ortsmitte von Reetz",
        "channel": "mitmachmobil",
        "author": None,
        "offline": {
            "date_offset": -40,
            "place": "Mitmachmobil in Reetz",
            "name": "Herr P.",
            "consent": True,
        },
        "supporters": 29,
        "age_days": 40,
    },
    {
        "key": "dgh-schmerwitz-online-buchen",
        "project": "zukunftsschusterei",
        "title": "Dorfgemeinschaftshaus Schmerwitz online reservieren",
        "text": (
            "Bisher muss man für eine Reservierung des Dorfgemeinschaftshauses jemanden "
            "anrufen, der den Kalender hat, und den Schlüssel persönlich abholen. Ein "
            "einfacher Online-Kalender, in dem Vereine und Einwohner freie Termine sehen und "
            "anfragen können, würde viel Hin und Her sparen. Perspektivisch wäre ein "
            "Schlüsselkasten mit Code praktisch. Für alle ohne Internet sollte es weiter "
            "eine Telefonnummer geben."
        ),
        "topic": "gemeinschaft-ehrenamt",
        "district": "schmerwitz",
        "point": [12.4844, 52.1391],
        "place": "Dorfgemeinschaftshaus Schmerwitz",
        "channel": "workshop",
        "author": None,
        "offline": {
            "date_offset": -52,
            "place": "Werkstatt der Zukunftsschusterei im Dorfgemeinschaftshaus Schmerwitz",
            "name": "",
            "consent": False,
        },
        "supporters": 18,
        "age_days": 52,
    },
    {
        "key": "abfahrtsanzeige-bahnhof-wiesenburg",
        "project": "zukunftsschusterei",
        "title": "Abfahrtsanzeige für Bus und Rufbus am Bahnhof Wiesenburg",
        "text": (
            "Am Bahnhof Wiesenburg weiß man nie, ob der Anschlussbus wartet, wenn der Zug "
            "Verspätung hat. Eine Anzeige mit den Abfahrten von Zug, Bus und Rufbus in "
            "Echtzeit und eine Ansage, ob der Bus auf den Zug wartet, würden helfen. Die "
            "gleichen Daten sollten auch im Internet abrufbar sein, damit man schon im Zug "
            "nachsehen kann."
        ),
        "topic": "digitale-dienste",
        "district": "wiesenburg",
        "point": [12.4513, 52.1158],
        "place": "Bahnhof Wiesenburg, Bushaltestelle",
        "channel": "office",
        "author": None,
        "offline": {
            "date_offset": -26,
            "place": "Sprechstunde der Zukunftsschusterei in der Gemeindeverwaltung Wiesenburg",
            "name": "Frau A.",
            "consent": True,
        },
        "supporters": 24,
        "age_days": 26,
    },
    # ------------------------------------------------------------------------------------
    # Klimawerkstatt Fläming (both municipalities; phase "Maßnahmen entwickeln" since
    # day -30)
    # ------------------------------------------------------------------------------------
    {
        "key": "regenwasser-dgh-grubo",
        "project": "klimawerkstatt-flaeming",
        "title": "Regenwasserspeicher am Dorfgemeinschaftshaus Grubo",
        "text": (
            "In der Klimawerkstatt in Grubo kam der Vorschlag, das Regenwasser vom Dach des "
            "Dorfgemeinschaftshauses in einer Zisterne zu sammeln. Damit könnten die "
            "Dorfbäume, die Blumenkübel und die neu gepflanzten Obstbäume am Dorfplatz "
            "gegossen werden, ohne Trinkwasser zu verwenden. Den Einbau könnten Ehrenamtliche "
            "aus dem Dorf zusammen mit der Feuerwehr unterstützen; die Gemeinde stellt das "
            "Material."
        ),
        "topic": "klima-umwelt",
        "district": "grubo",
        "point": [12.5268, 52.0771],
        "place": "Dorfgemeinschaftshaus Grubo",
        "channel": "workshop",
        "author": None,
        "offline": {
            "date_offset": -27,
            "place": "Klimawerkstatt im Dorfgemeinschaftshaus Grubo",
            "name": "Herr R.",
            "consent": True,
        },
        "supporters": 15,
        "age_days": 27,
    },
]
