"""Climate data in the browser: axe (WCAG 2.1 A/AA) and reflow at 1280 and 320 px on the
dashboard, indicator pages with chart and table, and the staff import with a bad row;
screenshots in /tmp/shots/climate-*.png.

The demo region includes the climate module's demo (``mitmachen/climate/demo.py``):
Beispieldaten for Bad Belzig.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from playwright.sync_api import expect
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [pytest.param(DESKTOP, id="1280px"), pytest.param(MOBILE, id="320px")]
SHOTS = Path("/tmp/shots")
BASE = "/kommunen/bad-belzig/klima/"
PAGES = {
    "climate dashboard": BASE,
    "indicator with target, yearly": BASE + "co2-emissionen/",
    "indicator, daily (downsampled chart)": BASE + "tagesmitteltemperatur/",
    "indicator per Ortsteil": BASE + "photovoltaik/",
    "indicator hourly, hour by hour": BASE + "temperatur-stuendlich/?aufloesung=stunde",
    "municipality with the climate section": "/kommunen/bad-belzig/",
    "Ortsteil with its climate figures": "/kommunen/bad-belzig/ortsteile/luebnitz/",
}


@pytest.mark.parametrize("viewport", WIDTHS)
def test_climate_pages(demo: None, make_context: Any, viewport: dict[str, int]) -> None:
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    report = AxeReport(page)
    SHOTS.mkdir(exist_ok=True)
    for label, path in PAGES.items():
        report.visit(label, path)
        expect(page.get_by_text("Beispieldaten").first).to_be_visible()
        page.screenshot(
            path=SHOTS / f"climate-{label.split(',')[0].replace(' ', '-')}-{viewport['width']}.png",
            full_page=True,
        )
    # The hourly chart's days, chosen with the keyboard (no JavaScript needed): a week
    # of October 2025 around the end of summer time, its table unfolded.
    page.goto(PAGES["indicator hourly, hour by hour"])
    page.get_by_label("von", exact=True).fill("2025-10-24")
    page.get_by_label("bis", exact=True).fill("2025-10-27")
    page.get_by_role("button", name="Zeitraum zeigen").press("Enter")
    expect(page.get_by_text("Tabelle: 97 Stundenwerte")).to_be_visible()
    page.get_by_text("Tabelle: 97 Stundenwerte").click()
    expect(page.get_by_role("table").first).to_contain_text("26.10.2025, 02:00 MEZ")
    report.check("hourly chart with its table")
    page.goto(PAGES["indicator with target, yearly"])
    expect(page.locator("svg[role=img] title").first).to_contain_text("CO₂-Ausstoß")
    expect(page.get_by_role("table").first).to_contain_text("2025")
    report.assert_clean()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_staff_import_with_a_bad_row(
    demo: None, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(context, "admin@example.org")
    page = context.new_page()
    report = AxeReport(page)
    report.visit("climate import", BASE + "co2-emissionen/import/")
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "co2.csv",
                "mimeType": "text/csv",
                "buffer": "jahr;wert;bereich\n2026;100;Verkehr\n2027;viel;Verkehr\n".encode(
                    "latin-1"
                ),
            }
        ],
    )
    page.get_by_label("Spalte mit dem Datum").fill("jahr")
    page.get_by_label("Spalte mit der Kategorie (optional)").fill("bereich")
    page.get_by_role("button", name="Vorschau anzeigen").click()
    expect(page.get_by_text("Zeile 3: „viel“ ist keine Zahl.")).to_be_visible()
    expect(page.get_by_text("Es wurde nichts gespeichert.")).to_be_visible()
    report.check("climate import with a bad row")
    page.screenshot(path=SHOTS / f"climate-import-error-{viewport['width']}.png", full_page=True)

    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "co2.csv",
                "mimeType": "text/csv",
                "buffer": b"jahr;wert;bereich\n2026;100;Verkehr\n",
            }
        ],
    )
    page.get_by_label("Spalte mit dem Datum").fill("jahr")
    page.get_by_label("Spalte mit der Kategorie (optional)").fill("bereich")
    page.get_by_role("button", name="Vorschau anzeigen").click()
    expect(page.get_by_text("1 Wert vom 01.01.2026 bis 01.01.2026 ist bereit.")).to_be_visible()
    report.check("climate import preview")
    page.get_by_role("button", name="Jetzt importieren").click()
    expect(page.get_by_text("1 Wert importiert")).to_be_visible()
    report.assert_clean()


def test_comparison_and_ortsteil_map(make_context: Any) -> None:
    """The comparison of two municipalities and the Ortsteil map with its list, from
    factories; each page is loaded once and checked at 1280 and at 320 px."""
    from datetime import date

    from mitmachen.climate.models import Value
    from mitmachen.climate.services import summaries_refresh
    from mitmachen.climate.tests.factories import IndicatorFactory
    from mitmachen.organisations.tests.factories import (
        DistrictFactory,
        OrganisationFactory,
        square,
    )

    north = OrganisationFactory(slug="nordstadt", name="Stadt Nord", short_name="Nord")
    south = OrganisationFactory(slug="suedheim", name="Gemeinde Süd", short_name="Süd")
    districts = [
        DistrictFactory(organisation=north, name=name, geometry=square(12.0 + i * 0.01, 52.0))
        for i, name in enumerate(["Ahorn", "Birke", "Eiche"])
    ]
    co2 = IndicatorFactory(organisation=north, slug="co2", unit="t CO₂", is_example_data=True)
    co2_south = IndicatorFactory(organisation=south, slug="co2", unit="t CO₂", is_example_data=True)
    pv = IndicatorFactory(
        organisation=north, slug="pv", unit="kWp", spatial_level="ortsteil", is_example_data=True
    )
    # 150 and 300 kWp in two of three Ortsteile: classes of 50 from 150 to 300.
    values = [
        Value(indicator=other, date=date(year, 1, 1), value=base - 10 * (year - 2015))
        for other, base in ((co2, 900), (co2_south, 400))
        for year in range(2015, 2026)
    ] + [
        Value(
            indicator=pv,
            date=date(2025, 1, 1),
            value=150.0 * (i + 1),
            district=d,
            # the point a GeoJSON file gave (drawn as a circle on the map)
            lon=12.005 + i * 0.01,
            lat=52.005,
        )
        for i, d in enumerate(districts[:2])
    ]
    Value.objects.bulk_create(values)
    for indicator in (co2, co2_south, pv):
        summaries_refresh(indicator=indicator)

    context, _guard = make_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    report = AxeReport(page)
    SHOTS.mkdir(exist_ok=True)
    for label, path in (
        ("comparison", "/kommunen/nordstadt/klima/co2/vergleich/"),
        ("ortsteil map", "/kommunen/nordstadt/klima/pv/karte/"),
    ):
        page.set_viewport_size(DESKTOP)
        report.visit(label, path)
        expect(page.locator("svg[role=img]").first).to_be_visible()
        expect(page.get_by_role("table")).to_contain_text(
            "2025" if label == "comparison" else "Eiche"
        )
        page.set_viewport_size(MOBILE)
        report.check(f"{label} at 320px")
        page.screenshot(path=SHOTS / f"climate-{label.replace(' ', '-')}-320.png", full_page=True)
    expect(page.get_by_text("Klasse 1: von 150 bis unter 200 kWp (1 Ortsteil)")).to_be_visible()
    report.assert_clean()
