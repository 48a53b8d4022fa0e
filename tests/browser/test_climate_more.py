"""Climate pages added with the bench hook and Mitmach-Daten, in the browser: axe (WCAG
2.1 A/AA) and reflow at 1280 and 320 px on the page of single values, the campaign page
(map, table by Ortsteil, list), an observation and the form; the form by keyboard; an
observation with a photo contributed without JavaScript (Ortsteil and a description
instead of the map point). Screenshots in /tmp/shots/climate-more-*.png.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from PIL import Image
from playwright.sync_api import expect
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [pytest.param(DESKTOP, id="1280px"), pytest.param(MOBILE, id="320px")]
SHOTS = Path("/tmp/shots")
BASE = "/kommunen/bad-belzig/klima/"
RESIDENT = "bewohnerin@example.org"


def _campaign() -> Any:
    from mitmachen.climate.models import Campaign

    return Campaign.objects.select_related("project__organisation").get(title="Hitzeorte melden")


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "darkorange").save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_values_campaign_and_observation_pages(
    demo: None, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    from mitmachen.climate.models import Observation

    campaign = _campaign()
    observation = Observation.objects.filter(campaign=campaign).order_by("pk").first()
    assert observation is not None
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(context, RESIDENT)
    page = context.new_page()
    report = AxeReport(page)
    SHOTS.mkdir(exist_ok=True)
    pages = {
        "single values": BASE + "tagesmitteltemperatur/werte/?seite=2",
        "climate dashboard with campaigns": BASE,
        "campaign": campaign.get_absolute_url(),
        "observation": observation.get_absolute_url(),
        "observation form": campaign.get_absolute_url() + "melden/",
    }
    for label, path in pages.items():
        report.visit(label, path)
        page.screenshot(
            path=SHOTS / f"climate-more-{label.replace(' ', '-')}-{viewport['width']}.png",
            full_page=True,
        )
    page.goto(pages["single values"])
    expect(page.get_by_text("Seite 2 von").first).to_be_visible()
    expect(page.get_by_role("link", name="Nächste Seite").first).to_be_visible()
    page.goto(pages["campaign"])
    expect(page.get_by_text("Beispieldaten").first).to_be_visible()
    expect(page.locator("svg[role=img] circle")).to_have_count(6)
    expect(page.get_by_role("table").first).to_contain_text("Ortsteil")
    report.assert_clean()


def test_an_observation_by_keyboard(demo: None, make_context: Any, login_as: Any) -> None:
    """The form works with the keyboard alone: type the answer, move on with Tab, choose
    the Ortsteil with the arrow keys, send with Enter; then withdraw it the same way."""
    from mitmachen.climate.models import Observation

    campaign = _campaign()
    before = Observation.objects.filter(campaign=campaign).count()
    context, _guard = make_context(viewport=DESKTOP, bypass_csp=True)
    login_as(context, RESIDENT)
    page = context.new_page()
    page.goto(campaign.get_absolute_url())
    link = page.get_by_role("link", name="Beobachtung melden")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Beobachtung melden")
    answer = page.get_by_label("Wie heiß fühlt es sich hier am Nachmittag an? (in °C)")
    answer.focus()
    page.keyboard.type("35,5")
    district = page.get_by_label("Ortsteil", exact=True)
    district.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Ort (Beschreibung)")).to_be_focused()
    page.keyboard.type("Kreuzung vor der Schule")
    page.get_by_role("button", name="Beobachtung speichern").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("Danke! Ihre Beobachtung ist gespeichert und sichtbar.")
    ).to_be_visible()
    expect(page.get_by_text("35,5 °C")).to_be_visible()
    assert Observation.objects.filter(campaign=campaign).count() == before + 1
    page.get_by_role("button", name="Meine Beobachtung zurückziehen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Ihre Beobachtung ist gelöscht.")).to_be_visible()
    assert Observation.objects.filter(campaign=campaign).count() == before


def test_an_observation_with_a_photo_without_javascript(
    demo: None, make_context: Any, login_as: Any
) -> None:
    from mitmachen.climate.models import Observation

    campaign = _campaign()
    context, _guard = make_context(viewport=MOBILE, java_script_enabled=False)
    login_as(context, RESIDENT)
    page = context.new_page()
    page.goto(campaign.get_absolute_url() + "melden/")
    expect(page.locator("[data-point-picker]")).to_be_hidden()  # the map needs JavaScript
    page.get_by_label("Wie heiß fühlt es sich hier am Nachmittag an? (in °C)").fill("37")
    page.get_by_label("Ort (Beschreibung)").fill("Parkbank ohne Schatten")
    page.get_by_label("Foto (freiwillig)", exact=True).set_input_files(
        files=[{"name": "bank.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    # Without the Ortsteil the form says what is missing and keeps nothing.
    page.get_by_role("button", name="Beobachtung speichern").click()
    expect(page).to_have_title("Fehler: Beobachtung melden – Hitzeorte melden – Mitmachen")
    expect(page.get_by_text("Bitte wählen Sie den Ortsteil").first).to_be_visible()
    page.get_by_label("Ortsteil", exact=True).select_option(index=1)
    page.get_by_label("Foto (freiwillig)", exact=True).set_input_files(
        files=[{"name": "bank.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    page.get_by_label("Was ist auf dem Foto zu sehen?").fill("Eine Parkbank in praller Sonne")
    page.get_by_role("button", name="Beobachtung speichern").click()
    expect(
        page.get_by_text("Danke! Ihre Beobachtung ist gespeichert und sichtbar.")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Eine Parkbank in praller Sonne")).to_be_visible()
    stored = Observation.objects.get(campaign=campaign, author__email=RESIDENT)
    assert stored.lon is None and stored.district is not None
    assert stored.place_description == "Parkbank ohne Schatten" and stored.photo
    page.screenshot(path=SHOTS / "climate-more-observation-no-js-320.png", full_page=True)


def test_the_new_pages_are_valid_html(demo: None, tmp_path: Path) -> None:
    """The Nu Html Checker (vnu, as in test_html_validity.py) finds no error on the
    pages added here, also on the form with its errors."""
    from django.test import Client
    from test_html_validity import Pages, run_vnu

    from mitmachen.accounts.models import User
    from mitmachen.climate.models import Observation

    campaign = _campaign()
    observation = Observation.objects.filter(campaign=campaign).order_by("pk").first()
    assert observation is not None
    anonymous, resident = Client(), Client()
    resident.force_login(User.objects.get(email=RESIDENT))
    pages = Pages(tmp_path)
    pages.get(anonymous, "single values", BASE + "tagesmitteltemperatur/werte/?seite=3")
    pages.get(anonymous, "dashboard with campaigns", BASE)
    hourly = BASE + "temperatur-stuendlich/"
    pages.get(anonymous, "hourly chart", hourly + "?aufloesung=stunde")
    pages.get(anonymous, "hourly chart, bad range", hourly + "?aufloesung=stunde&von=x&bis=y")
    pages.get(anonymous, "hourly single values", hourly + "werte/?seite=6")
    pages.get(anonymous, "campaign", campaign.get_absolute_url())
    pages.get(anonymous, "observation", observation.get_absolute_url())
    pages.get(resident, "observation form", campaign.get_absolute_url() + "melden/")
    pages.post(
        resident,
        "observation form with errors",
        campaign.get_absolute_url() + "melden/",
        {"observed_on": "gestern", "number_value": "heiß"},
    )
    errors = run_vnu(pages.files())
    assert not errors, "\n".join(f"{e.get('url')}: {e.get('message')}" for e in errors)
