"""Demo content for the Bad Belzig / Wiesenburg/Mark demo installation.

Everything in this module is invented for demonstration purposes: projects, phases,
texts, contact details and people (people appear only as roles such as "Projektleitung").
Nothing here describes real decisions of the towns, their councils or their staff.
Addresses of the two town halls are public; e-mail addresses, telephone numbers and
websites are fictional (example.org, telephone numbers that cannot be dialled).

Projects and their phases are in ``projects_data.py``, proposals in ``proposals_data.py``,
surveys in ``polls_data.py``, debates in ``debates_data.py``. The Ortsteil boundaries
referenced by slug live in ``districts.geojson`` next to this module. They are approximate
demo boundaries (a Voronoi diagram around village centres, built by
``scripts/make_demo_districts.py``), not official boundaries.

Phase dates are offsets in days relative to the day the demo is seeded, so the demo always
shows running, upcoming and finished phases. These modules deliberately imports nothing
from Django so that it can be read and checked without a configured project.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from mitmachen.demo.legal_texts import legal_texts, md

_BB_ADDRESS = "Rathaus Bad Belzig\nWiesenburger Straße 6\n14806 Bad Belzig"
_BB_EMAIL = "beteiligung.bad-belzig@example.org"
_BB_PHONE = "033841 0123-45"
_WM_ADDRESS = "Gemeindeverwaltung Wiesenburg/Mark\nSchlossstraße 1\n14827 Wiesenburg/Mark"
_WM_EMAIL = "beteiligung.wiesenburg@example.org"
_WM_PHONE = "033849 0678-90"
# Haldensleben (Saxony-Anhalt) is a real town; its part in this demo is invented: a
# small third municipality that started its process from Bad Belzig's shared template.
_HAL_ADDRESS = "Stadtverwaltung Haldensleben (Demo)\nMarkt 20\n39340 Haldensleben"
_HAL_EMAIL = "beteiligung.haldensleben@example.org"
_HAL_PHONE = "03904 0000-00"

# The demo accessibility statement was written on 22 November 2026 (with the first demo
# region) and reviewed on 6 December 2026 after the external audit (issue 18).
_STATEMENT_CREATED = date(2026, 11, 22)
_STATEMENT_REVIEWED = date(2026, 12, 6)
# In Brandenburg the Landesbeauftragte handles the enforcement procedure (BbgBGG). Only
# the name: its address, e-mail and telephone are left for the municipality to enter,
# because the demo cannot check them.
_ENFORCEMENT_BODY = (
    "Landesbeauftragte für die Belange der Menschen mit Behinderungen des Landes "
    "Brandenburg (Durchsetzungsstelle)"
)
# "What is not yet accessible" of the demo statement, in Leichte Sprache.
_ACCESSIBILITY_EASY = md("""
    Manche Teile von der Internet·seite sind noch nicht barriere·frei:

    - **Die Karten.** Auf manchen Seiten ist eine Karte. Die Karte können Sie nicht gut
      mit der Tastatur benutzen. Ein Bild·schirm·leser kann die Karte nicht gut vorlesen.
      Deshalb gibt es unter der Karte immer eine Liste. In der Liste steht das Gleiche
      wie auf der Karte.
    - **Die Dokumente.** Manche Dokumente sind PDF-Dateien. Eine PDF-Datei ist ein
      Dokument zum Herunter·laden. Manche PDF-Dateien sind schwer zu lesen. Sagen Sie uns
      Bescheid. Dann schicken wir Ihnen den Inhalt so, dass Sie ihn lesen können.
    - **Die Bilder.** Menschen können Bilder auf die Internet·seite laden. Manchmal fehlt
      eine Beschreibung zu dem Bild. Dann weiß ein blinder Mensch nicht: Was ist auf dem
      Bild?

    **Achtung:** Diese Internet·seite ist ein Beispiel. Die Inhalte sind erfunden.
""")

ORGANISATIONS: list[dict[str, Any]] = [
    {
        "slug": "bad-belzig",
        "name": "Stadt Bad Belzig",
        "short_name": "Bad Belzig",
        "description": md("""
            Die Kreisstadt **Bad Belzig** liegt mitten im Naturpark Hoher Fläming: mit
            historischer Altstadt, der Burg Eisenhardt, der SteinTherme und 14 Ortsteilen
            zwischen den Belziger Landschaftswiesen und dem Hagelberg.

            Auf dieser Plattform lädt die Stadt dazu ein, ihre Zukunft mitzugestalten – online
            und bei Veranstaltungen vor Ort. *Alle Inhalte dieser Demo sind erfunden.*
        """),
        "primary_color": "#1d4f8c",
        "contact_email": _BB_EMAIL,
        "contact_phone": _BB_PHONE,
        "address": _BB_ADDRESS,
        "website": "https://example.org/bad-belzig",
        "is_operator": True,
        **legal_texts("Stadt Bad Belzig", _BB_ADDRESS, _BB_EMAIL, _BB_PHONE),
        "accessibility_created": _STATEMENT_CREATED,
        "accessibility_reviewed": _STATEMENT_REVIEWED,
        "accessibility_easy": _ACCESSIBILITY_EASY,
        "enforcement_name": _ENFORCEMENT_BODY,
    },
    {
        "slug": "wiesenburg-mark",
        "name": "Gemeinde Wiesenburg/Mark",
        "short_name": "Wiesenburg/Mark",
        "description": md("""
            Die Gemeinde **Wiesenburg/Mark** im Hohen Fläming ist eine der flächengrößten
            Gemeinden Brandenburgs – bekannt für Schloss und Schlosspark Wiesenburg, weite
            Wälder und lebendige Dörfer von Reppinichen bis Klepzig.

            Gemeinsam mit Bad Belzig erprobt die Gemeinde, wie digitale Werkzeuge das Leben
            auf dem Land leichter machen. *Alle Inhalte dieser Demo sind erfunden.*
        """),
        "primary_color": "#2b6a34",
        "contact_email": _WM_EMAIL,
        "contact_phone": _WM_PHONE,
        "address": _WM_ADDRESS,
        "website": "https://example.org/wiesenburg-mark",
        "is_operator": False,
        **legal_texts("Gemeinde Wiesenburg/Mark", _WM_ADDRESS, _WM_EMAIL, _WM_PHONE),
        "accessibility_created": _STATEMENT_CREATED,
        "accessibility_reviewed": _STATEMENT_REVIEWED,
        "accessibility_easy": _ACCESSIBILITY_EASY,
        "enforcement_name": _ENFORCEMENT_BODY,
    },
    {
        "slug": "haldensleben",
        "name": "Stadt Haldensleben (Demo)",
        "short_name": "Haldensleben",
        "description": md("""
            **Haldensleben** in Sachsen-Anhalt schreibt einen eigenen Smart-City-Antrag.
            In dieser Demo hat die Stadt den Prozess „Meine Stadt der Zukunft“ aus Bad
            Belzig als Vorlage aus der Vorlagen-Bibliothek übernommen, statt ihn neu zu
            bauen.

            *Alle Inhalte zu Haldensleben in dieser Demo sind erfunden; die Stadt nimmt
            an dieser Plattform nicht teil.*
        """),
        "primary_color": "#6b2d5c",
        "contact_email": _HAL_EMAIL,
        "contact_phone": _HAL_PHONE,
        "address": _HAL_ADDRESS,
        "website": "https://example.org/haldensleben",
        "is_operator": False,
        **legal_texts("Stadt Haldensleben (Demo)", _HAL_ADDRESS, _HAL_EMAIL, _HAL_PHONE),
        "accessibility_created": _STATEMENT_CREATED,
        "accessibility_reviewed": _STATEMENT_REVIEWED,
        "accessibility_easy": _ACCESSIBILITY_EASY,
        # Demo: the body responsible in Saxony-Anhalt is to be checked before real use.
        "enforcement_name": "Landesbeauftragte für die Belange der Menschen mit Behinderungen "
        "(Sachsen-Anhalt; Demo: zuständige Stelle bitte prüfen)",
    },
]

TOPICS: list[dict[str, Any]] = [
    {
        "slug": "vitale-innenstadt",
        "name": "Vitale Innenstadt",
        "description": "Belebte Plätze, Läden und Treffpunkte in der Altstadt – damit die "
        "Innenstadt ein Ort zum Einkaufen, Verweilen und Wohnen bleibt.",
    },
    {
        "slug": "lokale-mobilitaet",
        "name": "Lokale Mobilität",
        "description": "Gut zu Fuß, mit Rad, Bus und Bahn unterwegs sein – auch zwischen den "
        "Dörfern und ohne eigenes Auto.",
    },
    {
        "slug": "zukunftsfaehige-wohnquartiere",
        "name": "Zukunftsfähige Wohnquartiere",
        "description": "Bezahlbarer, altersgerechter und klimafreundlicher Wohnraum in der Stadt "
        "und in den Ortsteilen.",
    },
    {
        "slug": "klima-umwelt",
        "name": "Klima und Umwelt",
        "description": "Klimaschutz, Anpassung an Hitze und Trockenheit sowie der Schutz von "
        "Wäldern, Bächen und den Belziger Landschaftswiesen.",
    },
    {
        "slug": "digitale-dienste",
        "name": "Digitale Dienste",
        "description": "Online-Angebote der Verwaltung und digitale Werkzeuge, die den Alltag auf "
        "dem Land erleichtern.",
    },
    {
        "slug": "gemeinschaft-ehrenamt",
        "name": "Gemeinschaft und Ehrenamt",
        "description": "Vereine, Feuerwehren, Dorfgemeinschaftshäuser und alle, die sich "
        "ehrenamtlich für ihren Ort einsetzen.",
    },
    {
        "slug": "tourismus-kultur",
        "name": "Tourismus und Kultur",
        "description": "Burgen, Schlösser, Kunstwanderweg und Fläming-Skate: Angebote für Gäste "
        "und Kultur für alle, die hier leben.",
    },
]


DEMO_PASSWORD = "mitmachen-demo"  # noqa: S105 - published demo password, not a secret

DEMO_USERS: list[dict[str, Any]] = [
    {
        "email": "admin@example.org",
        "display_name": "Anja Admin",
        "is_superuser": True,
        "memberships": [["bad-belzig", "admin"], ["wiesenburg-mark", "admin"]],
        "manages": [],
        "home_district": None,
        "private_projects": [],
    },
    {
        "email": "projekt@example.org",
        "display_name": "Paul Projektleitung",
        "is_superuser": False,
        "memberships": [["bad-belzig", "project_manager"]],
        "manages": [
            "insek-bad-belzig-2035",
            "meine-stadt-der-zukunft",
            "name-soziokulturelles-zentrum",
            "buergerhaushalt-2026",
        ],
        "home_district": "bad-belzig",
        "private_projects": [],
    },
    {
        "email": "moderation@example.org",
        "display_name": "Mona Moderation",
        "is_superuser": False,
        "memberships": [["bad-belzig", "moderator"], ["wiesenburg-mark", "moderator"]],
        "manages": [],
        "home_district": None,
        "private_projects": [],
    },
    {
        "email": "bewohnerin@example.org",
        "display_name": "Renate aus Lübnitz",
        "is_superuser": False,
        "memberships": [],
        "manages": [],
        "home_district": "luebnitz",
        "private_projects": ["dorfwerkstatt-luebnitz"],
    },
    # Last: the demo finds the resident as DEMO_USERS[3].
    {
        "email": "haldensleben@example.org",
        "display_name": "Hanna Haldensleben",
        "is_superuser": False,
        "memberships": [["haldensleben", "admin"]],
        "manages": [],
        "home_district": None,
        "private_projects": [],
    },
]
