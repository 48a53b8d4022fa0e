"""The list and the map of proposals in the browser.

The list with its filters (htmx in place, the URL keeps the state), the map with
clustered markers and popups, the GeoJSON endpoint, and both pages without JavaScript.
axe-core (WCAG 2.1 A/AA) and the reflow check run on every page state; the guard of
conftest.py fails a test on requests to other hosts and on console errors. Shared
constants and helpers come from test_proposals_staff.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from test_accessibility import AxeReport
from test_proposals_staff import (
    GEOJSON_URL,
    LIST_URL,
    MAP_URL,
    MARKET,
    NO_RESULTS,
    PROJECT,
    WIDTHS,
    _card_titles,
    _proposal,
    _query,
    _shot,
    _tab_until,
    _titles,
)

pytestmark = pytest.mark.django_db(transaction=True)


# --- 3. list and map ---------------------------------------------------------------------


def _filter(page: Page, label: str, option: str, param: str) -> None:
    """Choose ``option`` in the filter ``label``; htmx loads the results in place."""
    with page.expect_response(
        lambda r: urlsplit(r.url).path == LIST_URL and f"{param}=" in r.url
    ) as info:
        page.locator("form.filter-form").get_by_label(label, exact=True).select_option(label=option)
    assert info.value.request.headers.get("hx-request") == "true"
    assert info.value.status == 200


def _expect_results(page: Page, titles: set[str]) -> None:
    count = len(titles)
    word = "Vorschlag" if count == 1 else "Vorschläge"
    expect(page.locator("#ergebnisse-titel")).to_have_text(f"{count} {word} gefunden")
    expect(page.locator("#ergebnisse").get_by_role("heading", level=3)).to_have_count(count)
    assert set(_card_titles(page)) == titles


def test_list_filters_update_in_place_and_in_the_url(demo: None, page: Page) -> None:
    from mitmachen.organisations.models import District

    district = District.objects.get(slug="bad-belzig", organisation__slug="bad-belzig")
    page.goto(LIST_URL)
    page.evaluate("() => { window.__noReload = true; }")
    form = page.locator("form.filter-form")

    _filter(page, "Thema", "Lokale Mobilität", "thema")
    expect(page).to_have_url(re.compile(r"thema=lokale-mobilitaet"))
    mobility = _titles(topic__slug="lokale-mobilitaet")
    assert len(mobility) >= 4
    _expect_results(page, mobility)

    _filter(page, "Ortsteil", "Bad Belzig", "ortsteil")
    expect(page).to_have_url(re.compile(rf"ortsteil={district.pk}"))
    in_town = _titles(topic__slug="lokale-mobilitaet", district=district)
    assert in_town and in_town < mobility
    _expect_results(page, in_town)

    _filter(page, "Kanal", "online", "kanal")
    expect(page).to_have_url(re.compile(r"kanal=online"))
    online = _titles(topic__slug="lokale-mobilitaet", district=district, channel="online")
    assert online and online < in_town
    _expect_results(page, online)

    _filter(page, "Status", "eingegangen", "status")
    expect(page).to_have_url(re.compile(r"status=submitted"))
    submitted = _titles(
        topic__slug="lokale-mobilitaet", district=district, channel="online", status="submitted"
    )
    assert submitted and submitted < online  # one was accepted in the demo
    _expect_results(page, submitted)
    _shot(page, "10-list-filtered")

    # Sorting: most supported first, as the numbers on the cards say.
    _filter(page, "Status", "alle", "status")
    _filter(page, "Sortierung", "meiste Unterstützungen", "sortierung")
    expect(page).to_have_url(re.compile(r"sortierung=unterstuetzt"))
    _expect_results(page, online)
    counts = [
        int(re.search(r"(\d+) Unterstützung", text).group(1))
        for text in page.locator("#ergebnisse .proposal-card").all_inner_texts()
    ]
    assert counts == sorted(counts, reverse=True) and len(set(counts)) > 1, counts
    _filter(page, "Sortierung", "älteste zuerst", "sortierung")
    oldest_first = _card_titles(page)
    _filter(page, "Sortierung", "neueste zuerst", "sortierung")
    expect(page.locator("#ergebnisse").get_by_role("heading", level=3).first).to_have_text(
        oldest_first[-1]
    )
    assert _card_titles(page) == oldest_first[::-1]

    # The search, sent with Enter, keeps the other filters.
    search = form.get_by_label("Suche")
    search.fill("Bahnhof")
    with page.expect_response(lambda r: "q=Bahnhof" in r.url):
        search.press("Enter")
    expect(page).to_have_url(re.compile(r"q=Bahnhof"))
    expect(page.locator("#ergebnisse-titel")).to_have_text(re.compile(r"^\d+ Vorschl"))
    found = set(_card_titles(page))
    assert found and found <= online, found
    state = _query(page)
    assert state["thema"] == ["lokale-mobilitaet"] and state["kanal"] == ["online"]
    assert state["ortsteil"] == [str(district.pk)] and state["q"] == ["Bahnhof"]

    # Nothing found.
    search.fill("gibt-es-bestimmt-nicht")
    with page.expect_response(lambda r: "gibt-es-bestimmt-nicht" in r.url):
        search.press("Enter")
    expect(page.locator("#ergebnisse-titel")).to_have_text("0 Vorschläge gefunden")
    expect(page.locator("#ergebnisse")).to_contain_text(NO_RESULTS)
    expect(page.locator("#ergebnisse-status")).to_have_text("0 Vorschläge gefunden")
    assert page.evaluate("() => window.__noReload") is True, "the page reloaded"

    # The URL carries the whole state: loading it shows the same form and results.
    url = page.url
    page.goto(url)
    expect(form.get_by_label("Suche")).to_have_value("gibt-es-bestimmt-nicht")
    expect(form.get_by_label("Thema", exact=True).locator("option:checked")).to_have_text(
        "Lokale Mobilität"
    )
    expect(form.get_by_label("Kanal", exact=True).locator("option:checked")).to_have_text("online")
    expect(form.get_by_label("Ortsteil", exact=True).locator("option:checked")).to_have_text(
        "Bad Belzig"
    )
    expect(page.locator("#ergebnisse")).to_contain_text(NO_RESULTS)

    # "Filter zurücksetzen" brings all proposals back.
    page.get_by_role("link", name="Filter zurücksetzen").click()
    expect(page).to_have_url(re.compile(rf"{LIST_URL}$"))
    expect(form.get_by_label("Suche")).to_have_value("")
    expect(page.locator("#ergebnisse .proposal-card").first).to_be_visible()


def _marker_icons(page: Page) -> Any:
    return page.locator(".proposal-map .leaflet-marker-icon:not(.marker-cluster)")


# The map at rest: every located proposal counted once (a cluster by its number), no zoom
# or cluster animation running. Returns the number of icons (clusters and single markers).
MAP_AT_REST_JS = """({total, more}) => {
    const map = document.querySelector(".proposal-map");
    if (!map || map.matches(".leaflet-zoom-anim")
        || map.querySelector(".leaflet-zoom-anim, .leaflet-cluster-anim")) return false;
    const icons = [...map.querySelectorAll(".leaflet-marker-icon")];
    const counted = icons.reduce((sum, icon) => sum + (icon.classList.contains("marker-cluster")
        ? parseInt(icon.textContent, 10) : 1), 0);
    return counted === total && icons.length > more && icons.length;
}"""


def _map_at_rest(page: Page, total: int, more_than: int = 0) -> int:
    """Wait until the map shows all ``total`` proposals (after more than ``more_than`` icons)."""
    handle = page.wait_for_function(MAP_AT_REST_JS, arg={"total": total, "more": more_than})
    return int(handle.json_value())


def _open_a_popup(page: Page, total: int) -> str:
    """Open the popup of some marker (zooming into clusters first); returns its title."""
    icons = _map_at_rest(page, total)
    for _ in range(6):
        if _marker_icons(page).count():
            break
        page.locator(".proposal-map .marker-cluster").first.click()
        icons = _map_at_rest(page, total, more_than=icons)  # the cluster came apart
    marker = _marker_icons(page).first
    # With the keyboard: on a busy machine a click can land on a neighbour that the
    # cluster animation is still moving over it; the click path is tested above.
    marker.focus()
    page.keyboard.press("Enter")
    _expect_popup(page)
    return marker.get_attribute("alt") or ""


def _expect_popup(page: Page) -> Any:
    """The open popup, once it has faded in (axe would measure the half-faded colours)."""
    popup = page.locator(".proposal-map .leaflet-popup")
    expect(popup).to_be_visible()
    expect(popup).to_have_css("opacity", "1")
    return popup


def test_map_markers_popups_and_geojson(demo: None, page: Page) -> None:
    from mitmachen.proposals.models import Proposal

    visible = Proposal.objects.filter(project__slug=PROJECT, hidden_at__isnull=True)
    located = visible.filter(lon__isnull=False)
    without_point = visible.filter(lon__isnull=True)
    assert located.count() >= 5 and without_point.exists()

    page.goto(LIST_URL)
    page.get_by_role("link", name="Vorschläge auf der Karte ansehen").click()
    expect(page).to_have_url(re.compile(rf"{MAP_URL}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Karte der Vorschläge")
    region = page.get_by_role("region", name="Karte der Vorschläge")
    expect(region).to_be_visible()  # shown by the script
    # Clusters and single markers together stand for every located proposal.
    _map_at_rest(page, located.count())
    expect(page.locator(".proposal-map .leaflet-tile")).to_have_count(0)  # no tile server
    _shot(page, "11-map-all")

    # The accessible equivalent: the same proposals as a list of links.
    heading = page.get_by_role("heading", name=re.compile(r"Vorschläge mit Ort$"))
    expect(heading).to_have_text(f"{located.count()} Vorschläge mit Ort")
    links = page.locator("ol.map-list > li > a")
    expect(links).to_have_count(located.count())
    assert set(links.all_inner_texts()) == set(located.values_list("title", flat=True))
    count = without_point.count()
    expect(page.locator("main")).to_contain_text(
        f"{count} weitere Vorschläge haben keinen Punkt auf der Karte"
        if count > 1
        else "1 weiterer Vorschlag hat keinen Punkt auf der Karte"
    )

    # GeoJSON, filtered like the list.
    response = page.request.get(f"{GEOJSON_URL}?kanal=market_stand")
    assert response.ok and response.headers["content-type"] == "application/geo+json"
    data = response.json()
    market = located.filter(channel="market_stand")
    assert data["type"] == "FeatureCollection"
    assert {f["properties"]["id"] for f in data["features"]} == set(
        market.values_list("pk", flat=True)
    )
    feature = next(f for f in data["features"] if f["properties"]["title"] == MARKET)
    proposal = _proposal(MARKET)
    assert feature["geometry"] == {"type": "Point", "coordinates": [proposal.lon, proposal.lat]}
    assert feature["properties"]["url"] == proposal.get_absolute_url()
    assert feature["properties"]["supports"] == proposal.support_count
    everything = page.request.get(GEOJSON_URL).json()
    assert len(everything["features"]) == located.count()
    nothing = page.request.get(f"{GEOJSON_URL}?q=gibt-es-bestimmt-nicht").json()
    assert nothing["features"] == []

    # A filtered map: one marker; its popup links to the proposal.
    page.goto(f"{MAP_URL}?q=Feierabendmarkt")
    expect(page.locator("ol.map-list > li > a")).to_have_text([MARKET])
    marker = _marker_icons(page)
    expect(marker).to_have_count(1)
    expect(marker).to_have_attribute("alt", MARKET)
    expect(page.locator(".proposal-map .marker-cluster")).to_have_count(0)
    # Only once the map has finished fitting the marker: a click during the animation can
    # land before the popup settles (seen on a busy CI machine).
    _map_at_rest(page, 1)
    marker.click()
    popup = _expect_popup(page)
    expect(popup).to_contain_text(f"{proposal.get_status_display()} · {proposal.support_count}")
    _shot(page, "12-map-popup")
    with page.expect_navigation():
        popup.get_by_role("link", name=MARKET).click()
    expect(page).to_have_url(re.compile(rf"{proposal.get_absolute_url()}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(MARKET)

    # With the keyboard: markers are tab stops, Enter opens the popup.
    page.goto(f"{MAP_URL}?q=Feierabendmarkt")
    marker = _marker_icons(page)
    expect(marker).to_have_count(1)
    _tab_until(page, "document.activeElement.classList.contains('leaflet-marker-icon')")
    expect(marker).to_be_focused()
    page.keyboard.press("Enter")
    expect(_expect_popup(page).get_by_role("link", name=MARKET)).to_be_visible()

    # All markers: clicking a cluster zooms in until single markers come out of it.
    page.goto(MAP_URL)
    title = _open_a_popup(page, located.count())
    expect(_expect_popup(page).get_by_role("link", name=title)).to_be_visible()
    _shot(page, "13-map-cluster-opened")


@pytest.mark.parametrize("viewport", WIDTHS)
def test_list_and_map_accessible(
    demo: None, make_context: Callable[..., tuple[BrowserContext, Any]], viewport: dict[str, int]
) -> None:
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    report = AxeReport(page)
    width = viewport["width"]

    report.visit("proposal list", LIST_URL)
    _shot(page, f"14-list-{width}")
    # Filtered with the form (htmx), then the empty result.
    _filter(page, "Kanal", "Marktstand", "kanal")
    expect(page.locator("#ergebnisse-titel")).to_have_text(re.compile(r"^[1-9]\d* Vorschl"))
    report.check("proposal list, filtered in place")
    page.locator("form.filter-form").get_by_label("Suche").fill("gibt-es-bestimmt-nicht")
    with page.expect_response(lambda r: "gibt-es-bestimmt-nicht" in r.url):
        page.locator("form.filter-form").get_by_label("Suche").press("Enter")
    expect(page.locator("#ergebnisse")).to_contain_text(NO_RESULTS)
    _shot(page, f"15-list-empty-{width}")
    report.check("proposal list, nothing found (in place)")

    # The map pages are checked once the markers are drawn and the animations are over.
    located = len(_titles(lon__isnull=False))
    page.goto(MAP_URL)
    _map_at_rest(page, located)
    _shot(page, f"16-map-{width}")
    report.check("proposal map")
    _open_a_popup(page, located)
    report.check("proposal map, popup open")
    page.goto(f"{MAP_URL}?kanal=market_stand&thema=vitale-innenstadt")
    _map_at_rest(
        page,
        len(_titles(lon__isnull=False, channel="market_stand", topic__slug="vitale-innenstadt")),
    )
    report.check("proposal map, filtered")
    report.visit("proposal map, nothing found", f"{MAP_URL}?q=gibt-es-bestimmt-nicht")
    expect(page.locator(".proposal-map")).to_be_visible()
    expect(page.locator(".proposal-map .leaflet-marker-icon")).to_have_count(0)
    expect(page.locator("#liste-titel")).to_have_text("0 Vorschläge mit Ort")
    _shot(page, f"17-map-empty-{width}")
    report.assert_clean()


def test_list_and_map_without_javascript(
    demo: None, make_context: Callable[..., tuple[BrowserContext, Any]]
) -> None:
    context, _guard = make_context(java_script_enabled=False)
    page = context.new_page()

    page.goto(LIST_URL)
    cards = page.locator("#ergebnisse .proposal-card")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 10
    form = page.locator("form.filter-form")
    form.get_by_label("Thema", exact=True).select_option(label="Lokale Mobilität")
    form.get_by_label("Kanal", exact=True).select_option(label="online")
    with page.expect_navigation():  # nothing happens on change: the button sends the form
        form.get_by_role("button", name="Filtern").click()
    state = _query(page)
    assert state["thema"] == ["lokale-mobilitaet"] and state["kanal"] == ["online"], state
    expected = _titles(topic__slug="lokale-mobilitaet", channel="online")
    _expect_results(page, expected)
    expect(form.get_by_label("Thema", exact=True).locator("option:checked")).to_have_text(
        "Lokale Mobilität"
    )
    form.get_by_label("Suche").fill("gibt-es-bestimmt-nicht")
    with page.expect_navigation():
        form.get_by_label("Suche").press("Enter")
    expect(page.locator("#ergebnisse")).to_contain_text(NO_RESULTS)
    _shot(page, "18-list-nojs-empty")

    page.goto(MAP_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Karte der Vorschläge")
    expect(page.locator("[data-proposal-map]")).to_be_hidden()  # no empty map box
    located = _titles(lon__isnull=False)
    expect(page.locator("ol.map-list > li > a")).to_have_count(len(located))
    page.get_by_role("link", name=MARKET).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MARKET)
    page.goto(f"{MAP_URL}?kanal=market_stand")
    assert set(page.locator("ol.map-list > li > a").all_inner_texts()) == _titles(
        lon__isnull=False, channel="market_stand"
    )
    page.get_by_role("link", name="Zur Liste mit Filtern").click()
    assert _query(page) == {"kanal": ["market_stand"]}
    _expect_results(page, _titles(channel="market_stand"))
    _shot(page, "19-map-nojs")
