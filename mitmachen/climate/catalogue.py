"""The open-data catalogue in DCAT-AP.de (JSON-LD): every published indicator as a
``dcat:Dataset`` with its distributions (CSV and JSON downloads, and GeoJSON for
indicators per Ortsteil or at a measuring point with its location), licence, publisher,
contact, theme and period, so that portals such as GovData can harvest it.

Vocabularies: DCAT-AP.de 2 (``dcatde:``), the licences of dcat-ap.de
(``http://dcat-ap.de/def/licenses/…``), the EU's data themes and file types
(``http://publications.europa.eu/resource/authority/…``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from mitmachen.climate.models import Indicator, Topic

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatde": "http://dcat-ap.de/def/dcatde/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU = "http://publications.europa.eu/resource/authority/"
THEMES = {
    Topic.ENERGY: ["ENER", "ENVI"],
    Topic.TRANSPORT: ["TRAN", "ENVI"],
    Topic.BUILDINGS: ["ENER", "ENVI"],
    Topic.WEATHER: ["ENVI"],
    Topic.NATURE: ["ENVI"],
    Topic.WATER: ["ENVI"],
    Topic.AIR: ["ENVI"],
}
# The licence as staff write it (lower case, spaces and slashes as hyphens) → the URI
# of the dcat-ap.de licence vocabulary. Unknown licences are named in words only.
LICENCES = {
    "cc-by-4.0": "http://dcat-ap.de/def/licenses/cc-by/4.0",
    "cc-by": "http://dcat-ap.de/def/licenses/cc-by/4.0",
    "cc-by-sa-4.0": "http://dcat-ap.de/def/licenses/cc-by-sa/4.0",
    "cc0": "http://dcat-ap.de/def/licenses/cc-zero",
    "cc0-1.0": "http://dcat-ap.de/def/licenses/cc-zero",
    "cc-zero": "http://dcat-ap.de/def/licenses/cc-zero",
    "dl-de-by-2-0": "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
    "dl-de-by-2.0": "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
    "dl-by-de-2.0": "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
    "dl-de-zero-2-0": "http://dcat-ap.de/def/licenses/dl-zero-de/2.0",
    "dl-de-zero-2.0": "http://dcat-ap.de/def/licenses/dl-zero-de/2.0",
    "dl-zero-de-2.0": "http://dcat-ap.de/def/licenses/dl-zero-de/2.0",
}
FORMATS = (
    ("CSV", "text/csv", "indicator_csv"),
    ("JSON", "application/json", "indicator_json"),
)
SPATIAL_FORMAT = ("GEOJSON", "application/geo+json", "indicator_geojson")


def licence_uri(licence: str) -> str | None:
    key = re.sub(r"[\s/_]+", "-", licence.strip().casefold())
    return LICENCES.get(key)


def _day(value: date) -> dict[str, str]:
    return {"@value": value.isoformat(), "@type": "xsd:date"}


def dataset(
    indicator: Indicator,
    span: tuple[date, date] | None,
    url: Callable[[str, Indicator], str],
) -> dict[str, Any]:
    """One indicator as a dcat:Dataset; ``url(name, indicator)`` gives absolute
    addresses of the module's pages ("indicator", "indicator_csv", "indicator_json",
    "indicator_geojson")."""
    page = url("indicator", indicator)
    organisation = indicator.organisation
    title = indicator.title
    description = indicator.explanation
    keywords = [indicator.get_topic_display(), _("Klima"), organisation.display_name]
    if indicator.is_example_data:
        title = _("%(title)s (Beispieldaten)") % {"title": title}
        description = (
            _("Beispieldaten: Die Werte sind erfunden, es sind keine echten Messungen.")
            + " "
            + description
        )
        keywords.append(_("Beispieldaten"))
    publisher: dict[str, Any] = {"@type": "foaf:Organization", "foaf:name": organisation.name}
    if organisation.website:
        publisher["foaf:homepage"] = {"@id": organisation.website}
    licence = licence_uri(indicator.licence)
    attribution = f"{indicator.source} ({organisation.name})"
    distributions = []
    formats = [*FORMATS, SPATIAL_FORMAT] if indicator.is_spatial else FORMATS
    for name, media_type, view in formats:
        address = url(view, indicator)
        label = "GeoJSON" if name == "GEOJSON" else name
        distribution: dict[str, Any] = {
            "@id": address,
            "@type": "dcat:Distribution",
            "dct:title": f"{indicator.title} ({label})",
            "dct:description": (
                _("Alle Werte des Indikators als %(format)s.") % {"format": label}
                if name != "GEOJSON"
                else _(
                    "Alle Werte des Indikators als GeoJSON: je Ortsteil seine Fläche "
                    "(bzw. der Messpunkt) mit den Werten als Eigenschaften."
                )
            ),
            "dcat:accessURL": {"@id": address},
            "dcat:downloadURL": {"@id": address},
            "dct:format": {"@id": f"{EU}file-type/{name}"},
            "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{media_type}"},
            "dcatde:licenseAttributionByText": attribution,
            "dct:rights": indicator.licence,
        }
        if licence:
            distribution["dct:license"] = {"@id": licence}
        distributions.append(distribution)
    found: dict[str, Any] = {
        "@id": page,
        "@type": "dcat:Dataset",
        "dct:identifier": page,
        "dct:title": title,
        "dct:description": description,
        "dcat:landingPage": {"@id": page},
        "dct:publisher": publisher,
        "dcat:contactPoint": {
            "@type": "vcard:Organization",
            "vcard:fn": indicator.responsible_body,
        },
        "dcatde:maintainer": {
            "@type": "foaf:Organization",
            "foaf:name": indicator.responsible_body,
        },
        "dcat:theme": [
            {"@id": f"{EU}data-theme/{code}"} for code in THEMES[Topic(indicator.topic)]
        ],
        "dcat:keyword": keywords,
        "dct:language": {"@id": f"{EU}language/DEU"},
        "dct:modified": {"@value": indicator.updated_at.isoformat(), "@type": "xsd:dateTime"},
        "dct:issued": {"@value": indicator.created_at.isoformat(), "@type": "xsd:dateTime"},
        "dcatde:politicalGeocodingLevelURI": {
            "@id": "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"
        },
        "dct:source": indicator.source_url or indicator.source,
        "dcat:distribution": distributions,
    }
    if span is not None:
        found["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": _day(span[0]),
            "dcat:endDate": _day(span[1]),
        }
    return found


def catalogue(
    *,
    address: str,
    home: str,
    title: str,
    datasets: list[dict[str, Any]],
    modified: Any,
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "@context": CONTEXT,
        "@id": address,
        "@type": "dcat:Catalog",
        "dct:title": title,
        "dct:description": _(
            "Klima- und Umweltdaten der Kommunen auf %(platform)s: jeder veröffentlichte "
            "Indikator mit seinen Werten als CSV und JSON."
        )
        % {"platform": title},
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": title},
        "foaf:homepage": {"@id": home},
        "dct:language": {"@id": f"{EU}language/DEU"},
        "dcat:dataset": datasets,
    }
    if modified is not None:
        found["dct:modified"] = {"@value": modified.isoformat(), "@type": "xsd:dateTime"}
    return found
