"""The climate part of the demo region (``manage.py seed_demo``): invented values that
look plausible, marked as Beispieldaten on every page and in every download.

- CO₂ emissions of Bad Belzig by sector 2015–2025, with a target that is on track;
- a weather station's daily mean temperature and precipitation 2016–2025, written as a
  DWD daily file (``produkt_klima_tag``) and read by the DWD importer, with some days
  missing (-999);
- the station's hourly air temperature in October 2025 (745 hours: the last Sunday has
  25), imported from a CSV file with a time column, 02:00 of that Sunday with its zone;
- installed photovoltaic power per Ortsteil 2019–2025, with a target that is not;
- tree plantings 2021–2025 per Ortsteil and species, imported from GeoJSON points (the
  planting sites, kept with the values and drawn on the Ortsteil map);
- CO₂ emissions of Wiesenburg/Mark by sector 2015–2025 under the same address word and
  unit, so that the two municipalities can be compared;
- a running campaign of Mitmach-Daten, "Hitzeorte melden", in the project Klimawerkstatt
  Fläming, with invented observations of the demo supporters (points in several
  Ortsteile and two with the Ortsteil only), marked as Beispieldaten.
"""

from __future__ import annotations

import json
import math
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.utils import timezone

from mitmachen.climate import importers, services
from mitmachen.climate.models import ImportKind, Indicator, Population
from mitmachen.organisations.models import District, Organisation

ORGANISATION = "bad-belzig"
NEIGHBOUR = "wiesenburg-mark"
STATION = 99001  # an invented station number: these are not DWD measurements
SECTORS = {
    "Private Haushalte": 21000.0,
    "Verkehr": 17000.0,
    "Gewerbe und Industrie": 14000.0,
    "Kommunale Einrichtungen": 2500.0,
}
COMMON = {
    "licence": "CC BY 4.0",
    "responsible_body": "Klimawerkstatt Fläming (Beispiel)",
    "is_example_data": True,
    "is_published": True,
}
INDICATORS: dict[str, dict[str, Any]] = {
    "co2-emissionen": {
        "title": "CO₂-Ausstoß",
        "explanation": (
            "Wie viele Tonnen Kohlendioxid (CO₂) in Bad Belzig im Jahr ausgestoßen werden: "
            "durch Heizen, Strom, Autos und Betriebe. Weniger ist besser für das Klima."
        ),
        "unit": "t CO₂",
        "topic": "energie",
        "spatial_level": "kommune",
        "resolution": "jahr",
        "aggregation": "summe",
        "direction": "weniger",
        "source": "Energie- und CO₂-Bilanz der Stadt (Beispieldaten)",
        "update_rhythm": "jährlich",
    },
    "tagesmitteltemperatur": {
        "title": "Lufttemperatur (Tagesmittel)",
        "explanation": (
            "Die mittlere Lufttemperatur jedes Tages, gemessen in 2 Metern Höhe an einer "
            "Wetterstation. Das Jahresmittel zeigt, ob es über die Jahre wärmer wird."
        ),
        "unit": "°C",
        "topic": "klima-wetter",
        "spatial_level": "punkt",
        "resolution": "tag",
        "aggregation": "mittel",
        "direction": "neutral",
        "source": "Wetterstation im DWD-Format (Beispieldaten, keine DWD-Messung)",
        "source_url": "https://opendata.dwd.de/climate_environment/CDC/",
        "update_rhythm": "täglich",
        # An invented station in the town centre of Bad Belzig (Beispieldaten).
        "station_lon": 12.5903,
        "station_lat": 52.1416,
    },
    "temperatur-stuendlich": {
        "title": "Lufttemperatur (stündlich)",
        "explanation": (
            "Die Lufttemperatur jeder Stunde an der Wetterstation, im Oktober 2025. Die "
            "Grafik zeigt auf Wunsch jede Stunde einer Woche: wie warm es am Nachmittag "
            "und wie kühl es nachts wird."
        ),
        "unit": "°C",
        "topic": "klima-wetter",
        "spatial_level": "punkt",
        "resolution": "stunde",
        "aggregation": "mittel",
        "direction": "neutral",
        "source": "Wetterstation (Beispieldaten, keine DWD-Messung)",
        "update_rhythm": "stündlich",
        "station_lon": 12.5903,
        "station_lat": 52.1416,
    },
    "niederschlag": {
        "title": "Niederschlag",
        "explanation": (
            "Wie viel Regen und Schnee an einem Tag gefallen ist, in Millimetern (1 mm = "
            "1 Liter pro Quadratmeter). Die Jahressumme zeigt trockene und nasse Jahre."
        ),
        "unit": "mm",
        "topic": "wasser",
        "spatial_level": "punkt",
        "resolution": "tag",
        "aggregation": "summe",
        "direction": "neutral",
        "source": "Wetterstation im DWD-Format (Beispieldaten, keine DWD-Messung)",
        "source_url": "https://opendata.dwd.de/climate_environment/CDC/",
        "update_rhythm": "täglich",
        # An invented station in the town centre of Bad Belzig (Beispieldaten).
        "station_lon": 12.5903,
        "station_lat": 52.1416,
    },
    "photovoltaik": {
        "title": "Photovoltaik-Leistung",
        "explanation": (
            "Wie viel Solarstrom-Leistung auf Dächern und Freiflächen installiert ist, in "
            "Kilowatt-Peak (kWp), nach Ortsteil. Mehr ist besser für den Klimaschutz."
        ),
        "unit": "kWp",
        "topic": "energie",
        "spatial_level": "ortsteil",
        "resolution": "jahr",
        "aggregation": "summe",
        "direction": "mehr",
        "source": "Marktstammdatenregister, ausgewertet nach Ortsteil (Beispieldaten)",
        "update_rhythm": "jährlich",
    },
    "baumpflanzungen": {
        "title": "Neu gepflanzte Bäume",
        "explanation": (
            "Wie viele Bäume die Stadt jedes Jahr neu gepflanzt hat, nach Ortsteil und "
            "Baumart. Die Karte zeigt, wo gepflanzt wurde. Bäume spenden Schatten und "
            "kühlen im Sommer."
        ),
        "unit": "Bäume",
        "topic": "natur",
        "spatial_level": "ortsteil",
        "resolution": "jahr",
        "aggregation": "summe",
        "direction": "mehr",
        "source": "Pflanzliste des Grünflächenamts mit Standorten (Beispieldaten)",
        "update_rhythm": "jährlich im Frühjahr",
    },
}
TREE_SPECIES = ("Winterlinde", "Feldahorn", "Hainbuche", "Traubeneiche", "Vogelkirsche")


def co2_csv(rng: random.Random, share: float = 1.0, trend: float = 0.955) -> bytes:
    lines = ["jahr;bereich;wert"]
    for year in range(2015, 2026):
        for sector, start in SECTORS.items():
            value = share * start * trend ** (year - 2015) * rng.uniform(0.97, 1.03)
            lines.append(f"{year};{sector};{value:.0f}".replace(".", ","))
    return "\n".join(lines).encode("utf-8")


def hourly_csv(rng: random.Random) -> bytes:
    """October 2025 hour by hour in local time ("datum;uhrzeit;wert"); the hour that
    the end of summer time repeats (26 October, 02:00) is written with its zone."""
    from mitmachen.climate.importers import BERLIN

    lines = ["datum;uhrzeit;wert"]
    at = datetime(2025, 10, 1, tzinfo=BERLIN).astimezone(UTC)
    while (local := at.astimezone(BERLIN)).month == 10:
        daily = -3.5 * math.cos(2 * math.pi * (local.hour - 4) / 24)
        value = 11.0 - 0.12 * local.day + daily + rng.gauss(0, 0.6)
        clock = f"{local:%H:%M}"
        if local.date() == date(2025, 10, 26) and local.hour == 2:
            clock += "+02:00" if local.dst() else "+01:00"
        number = f"{value:.1f}".replace(".", ",")
        lines.append(f"{local:%d.%m.%Y};{clock};{number}")
        at += timedelta(hours=1)
    return "\n".join(lines).encode("utf-8")


def station_file(rng: random.Random) -> bytes:
    days = []
    day = date(2016, 1, 1)
    while day <= date(2025, 12, 31):
        season = math.sin(2 * math.pi * (day.timetuple().tm_yday - 110) / 365.25)
        temperature = 9.4 + 9.8 * season + 0.05 * (day.year - 2016) + rng.gauss(0, 2.4)
        rain = 0.0 if rng.random() < 0.55 else round(rng.expovariate(1 / 3.6), 1)
        missing = rng.random() < 0.003  # a few days without a reading
        days.append(
            (
                day,
                {
                    "TMK": None if missing else round(temperature, 1),
                    "TXK": None if missing else round(temperature + 4.5, 1),
                    "TNK": None if missing else round(temperature - 4.5, 1),
                    "RSK": None if missing else rain,
                    "FM": round(abs(rng.gauss(3.2, 1.1)), 1),
                },
            )
        )
        day += timedelta(days=1)
    # DWD files are Latin-1 text; this one is ASCII, which reads the same.
    return importers.write_dwd_daily(STATION, days).encode("latin-1")


def pv_csv(rng: random.Random, districts: list[District]) -> bytes:
    lines = ["Jahr;Ortsteil;kWp"]
    for district in districts:
        start = rng.uniform(60, 420) * (4 if district.slug.startswith("bad-belzig") else 1)
        for year in range(2019, 2026):
            value = start * 1.12 ** (year - 2019)
            lines.append(f"{year};{district.name};{value:.1f}".replace(".", ","))
    return "\n".join(lines).encode("latin-1", errors="replace")


def trees_geojson(rng: random.Random, districts: list[District]) -> bytes:
    """Tree plantings 2021–2025 as GeoJSON points (one planting site per Ortsteil, year
    and species), each inside exactly one Ortsteil: the importer finds its Ortsteil
    and keeps the point."""
    from shapely.geometry import Point, shape

    areas = [(d, shape(d.geometry)) for d in districts if d.geometry]
    features = []
    for district, area in areas:
        others = [a for d, a in areas if d.pk != district.pk]
        min_lon, min_lat, max_lon, max_lat = area.bounds
        for year in range(2021, 2026):
            for species in rng.sample(TREE_SPECIES, rng.randint(1, 2)):
                for _attempt in range(200):
                    spot = Point(rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat))
                    if area.covers(spot) and not any(a.covers(spot) for a in others):
                        break
                else:
                    continue  # no spot found in so small an area: leave it out
                features.append(
                    {
                        "type": "Feature",
                        "geometry": {
                            "type": "Point",
                            "coordinates": [round(spot.x, 5), round(spot.y, 5)],
                        },
                        "properties": {
                            "jahr": year,
                            "anzahl": rng.randint(3, 25),
                            "baumart": species,
                        },
                    }
                )
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def seed(report: Any) -> None:
    seed_bad_belzig(report)
    seed_neighbour(report)
    seed_populations(report)
    seed_campaign(report)


# Rounded numbers of inhabitants for the comparison per inhabitant (Beispieldaten: near
# the published figures, not copied from them).
POPULATIONS = {ORGANISATION: (11_000, 11_200), NEIGHBOUR: (4_500, 4_350)}
POPULATION_SOURCE = "Amt für Statistik Berlin-Brandenburg, Bevölkerungsstand (gerundet)"


def seed_populations(report: Any) -> None:
    """Numbers of inhabitants of both demo municipalities, 2015 and 2024 (Beispieldaten)."""
    for slug, (first, latest) in POPULATIONS.items():
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None or Population.objects.filter(organisation=organisation).exists():
            continue
        for year, inhabitants in ((2015, first), (2024, latest)):
            services.population_save(
                user=None,
                data={
                    "organisation": organisation,
                    "year": year,
                    "inhabitants": inhabitants,
                    "source": POPULATION_SOURCE,
                    "source_url": "https://www.statistik-berlin-brandenburg.de/",
                    "is_example_data": True,
                },
            )
        report.add("Einwohnerzahlen", organisation.display_name)


CAMPAIGN_PROJECT = "klimawerkstatt-flaeming"
CAMPAIGN_TITLE = "Hitzeorte melden"
HEAT_SPOTS = [
    "Marktplatz, Pflaster ohne Schatten",
    "Bushaltestelle an der Hauptstraße",
    "Schulhof, kein Baum",
    "Parkplatz am Supermarkt",
    "Spielplatz in der Sonne",
    "Vor dem Rathaus",
]


def seed_campaign(report: Any) -> None:
    """A running "Hitzeorte" campaign with observations (Beispieldaten): the demo
    supporters report felt temperatures at points inside Bad Belzig's Ortsteile."""
    from shapely.geometry import shape

    from mitmachen.accounts.models import User
    from mitmachen.climate.models import Campaign
    from mitmachen.projects.models import Project

    project = Project.objects.filter(slug=CAMPAIGN_PROJECT).first()
    if project is None or Campaign.objects.filter(project=project, title=CAMPAIGN_TITLE).exists():
        return
    today = timezone.localdate()
    campaign = services.campaign_save(
        user=None,
        project=project,
        data={
            "title": CAMPAIGN_TITLE,
            "question": "Wie heiß fühlt es sich hier am Nachmittag an?",
            "description": (
                "Wo wird es im Sommer besonders heiß? Messen oder schätzen Sie die "
                "Temperatur am Nachmittag und markieren Sie den Ort. Die Klimawerkstatt "
                "sucht so Orte für Bäume, Schatten und Trinkbrunnen."
            ),
            "value_kind": "zahl",
            "unit": "°C",
            "photo_allowed": True,
            "starts_on": today - timedelta(days=20),
            "ends_on": today + timedelta(days=365),
            "is_example_data": True,
        },
    )
    report.add("Mitmach-Kampagne", campaign.title)
    districts = [
        d
        for d in District.objects.filter(organisation=project.organisation).order_by("name")
        if d.geometry
    ]
    people = list(
        User.objects.filter(
            email__startswith="unterstuetzer", email__endswith="@example.org"
        ).order_by("pk")[:8]
    )
    rng = random.Random(23)  # noqa: S311 - invented demo values, not secrets
    for n, person in enumerate(people):
        district = districts[n % len(districts)] if districts else None
        data: dict[str, Any] = {
            "observed_on": today - timedelta(days=1 + n % 12),
            "number_value": round(31 + rng.random() * 7, 1),
            "place_description": HEAT_SPOTS[n % len(HEAT_SPOTS)],
        }
        if district is not None and district.geometry and n < 6:
            point = shape(district.geometry).representative_point()
            data.update(lon=round(point.x, 5), lat=round(point.y, 5))
        elif district is not None:
            data["district"] = district  # reported without the map
        else:
            continue
        services.observation_submit(user=person, campaign=campaign, data=data)
        report.add("Beobachtung", f"{campaign.title}: {data['place_description']}")


def seed_neighbour(report: Any) -> None:
    """Wiesenburg/Mark's CO₂ by sector (smaller, falling more slowly): the comparison."""
    organisation = Organisation.objects.filter(slug=NEIGHBOUR).first()
    if organisation is None:
        return
    if Indicator.objects.filter(organisation=organisation, slug="co2-emissionen").exists():
        return
    spec = {
        **INDICATORS["co2-emissionen"],
        "explanation": (
            "Wie viele Tonnen Kohlendioxid (CO₂) in Wiesenburg/Mark im Jahr ausgestoßen "
            "werden: durch Heizen, Strom, Autos und Betriebe. Weniger ist besser für das Klima."
        ),
        "source": "Energie- und CO₂-Bilanz der Gemeinde (Beispieldaten)",
    }
    indicator = services.indicator_save(
        user=None, organisation=organisation, data={"slug": "co2-emissionen", **COMMON, **spec}
    )
    report.add("Klima-Indikator", f"{spec['title']} ({organisation.display_name})")
    result = services.values_import(
        user=None,
        indicator=indicator,
        kind=ImportKind.CSV,
        data=co2_csv(random.Random(15), share=0.4, trend=0.975),  # noqa: S311 - demo values
        options={"date": "jahr", "value": "wert", "category": "bereich"},
    )
    if not result.ok:
        raise ValueError(f"Demo climate data rejected: {result.errors[:3]}")


def seed_bad_belzig(report: Any) -> None:
    organisation = Organisation.objects.filter(slug=ORGANISATION).first()
    if organisation is None:
        return
    if Indicator.objects.filter(organisation=organisation, slug="co2-emissionen").exists():
        return  # loaded before: the demo is idempotent
    rng = random.Random(14)  # noqa: S311 - invented demo values, not secrets
    made = {}
    for slug, spec in INDICATORS.items():
        made[slug] = services.indicator_save(
            user=None, organisation=organisation, data={"slug": slug, **COMMON, **spec}
        )
        report.add("Klima-Indikator", spec["title"])

    def load(slug: str, kind: str, data: bytes, options: dict[str, str]) -> None:
        result = services.values_import(
            user=None, indicator=made[slug], kind=kind, data=data, options=options
        )
        if not result.ok:
            raise ValueError(f"Demo climate data rejected: {result.errors[:3]}")

    load(
        "co2-emissionen",
        ImportKind.CSV,
        co2_csv(rng),
        {"date": "jahr", "value": "wert", "category": "bereich"},
    )
    station = station_file(rng)
    load("tagesmitteltemperatur", ImportKind.DWD, station, {"parameter": "TMK"})
    load("niederschlag", ImportKind.DWD, station, {"parameter": "RSK"})
    load(
        "temperatur-stuendlich",
        ImportKind.CSV,
        hourly_csv(random.Random(16)),  # noqa: S311 - invented demo values
        {"date": "datum", "time": "uhrzeit", "value": "wert"},
    )
    districts = list(District.objects.filter(organisation=organisation).order_by("name"))
    if districts:
        load(
            "photovoltaik",
            ImportKind.CSV,
            pv_csv(rng, districts),
            {"date": "Jahr", "value": "kWp", "district": "Ortsteil"},
        )
        load(
            "baumpflanzungen",
            ImportKind.GEOJSON,
            trees_geojson(random.Random(17), districts),  # noqa: S311 - invented demo values
            {"date": "jahr", "value": "anzahl", "category": "baumart"},
        )

    co2 = made["co2-emissionen"]
    base = sum(SECTORS.values())
    services.target_save(
        user=None,
        indicator=co2,
        data={
            "title": "CO₂-Ausstoß bis 2030 halbieren (gegenüber 2015)",
            "baseline_year": 2015,
            "baseline_value": round(base, -2),
            "target_year": 2030,
            "target_value": round(base / 2, -2),
            **_agenda("kapitel-1", "Klimaschutzagenda (Entwurf), Leitbild: klimaneutral bis 2045"),
        },
    )
    report.add("Klima-Ziel", "CO₂-Ausstoß bis 2030 halbieren")
    if districts:
        pv = made["photovoltaik"]
        from mitmachen.climate.selectors import monthly, yearly

        start = yearly(pv, monthly(pv))[0]
        services.target_save(
            user=None,
            indicator=pv,
            data={
                "title": "Photovoltaik-Leistung bis 2030 verfünffachen (gegenüber 2019)",
                "baseline_year": start.year,
                "baseline_value": round(start.value, -2),
                "target_year": 2030,
                "target_value": round(start.value * 5, -2),
                **_agenda(
                    "kapitel-2",
                    "Klimaschutzagenda (Entwurf), Energie: Solaranlagen auf allen Dächern",
                ),
            },
        )
        report.add("Klima-Ziel", "Photovoltaik bis 2030 verfünffachen")


def _agenda(anchor: str, label: str) -> dict[str, str]:
    """A target's link to its chapter of the demo's Klimaschutzagenda draft (drafts' demo,
    by its address: the climate module imports no texts module)."""
    from django.urls import reverse

    path = reverse("drafts:detail", args=["klimawerkstatt-flaeming", "klimaschutzagenda-entwurf"])
    return {"agenda_url": f"{path}#{anchor}", "agenda_label": label}
