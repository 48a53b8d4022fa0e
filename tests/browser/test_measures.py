"""Measures ("Umsetzung") in the browser: accessibility of the overview (with filters,
also without JavaScript) and of a measure's page, staff posting an update with an error
first, and the way from a proposal to its measure and back.

The demo region is seeded for each test, with the measures of ``mitmachen/measures/demo.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from playwright.sync_api import expect
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

MANAGER = "projekt@example.org"
OVERVIEW = "/kommunen/bad-belzig/umsetzung/"
SHOTS = Path("/tmp/shots")


def _measure(title: str) -> Any:
    from mitmachen.measures.models import Measure

    return Measure.objects.get(title=title)


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_measure_pages_accessible(
    demo: None, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    market = _measure("Marktplatz-Programm: Schatten, Bänke, Trinkbrunnen")
    discarded = _measure("Städtische Innenstadt-Kita im ehemaligen Kaufhaus")
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("overview", OVERVIEW)
    report.visit("overview, filtered", f"{OVERVIEW}?status=in_progress&ortsteil=bad-belzig")
    report.visit("overview, invalid filter", f"{OVERVIEW}?status=erfunden")
    report.visit("measure with milestones and updates", market.get_absolute_url())
    report.visit("discarded measure with its reason", discarded.get_absolute_url())
    report.assert_clean()

    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(context, MANAGER)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("measure, staff", market.get_absolute_url())
    # Discarding without a reason: the error, nothing stored.
    page.get_by_label("Was gibt es Neues?").fill("Leider nicht.")
    page.get_by_label("Status ändern").select_option(label="verworfen")
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.locator(".kern-error").first).to_be_visible()
    report.check("update form with a missing reason")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SHOTS / f"measure-update-error-{viewport['width']}px.png"), full_page=True
    )
    report.assert_clean()


def test_filters_work_without_javascript(demo: None, make_context: Any) -> None:
    context, _guard = make_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(OVERVIEW)
    page.get_by_label("Status").select_option(label="verworfen")
    page.get_by_role("button", name="Filtern").click()
    expect(page.get_by_role("heading", name="1 Maßnahme gefunden")).to_be_visible()
    # The link of its card (its title also heads a row of the Gantt view's table).
    expect(
        page.get_by_role("link", name="Städtische Innenstadt-Kita im ehemaligen Kaufhaus")
    ).to_be_visible()
    expect(page.get_by_text("Marktplatz-Programm")).to_have_count(0)


def test_staff_post_an_update_and_the_timeline_shows_it(
    demo: None, make_context: Any, login_as: Any
) -> None:
    market = _measure("Marktplatz-Programm: Schatten, Bänke, Trinkbrunnen")
    context, _guard = make_context()
    login_as(context, MANAGER)
    page = context.new_page()
    page.goto(market.get_absolute_url())
    page.get_by_label("Was gibt es Neues?").fill("Der Trinkbrunnen ist angeschlossen.")
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.get_by_text("Die Neuigkeit ist veröffentlicht.")).to_be_visible()
    expect(
        page.locator(".measure-timeline").get_by_text("Der Trinkbrunnen ist angeschlossen.")
    ).to_be_visible()


def test_from_proposal_to_measure_and_back(demo: None, make_context: Any) -> None:
    from mitmachen.proposals.models import Proposal

    proposal = Proposal.objects.get(title__startswith="Überdachte und abschließbare")
    context, _guard = make_context()
    page = context.new_page()
    page.goto(proposal.get_absolute_url())
    box = page.locator(".measure-origin")
    expect(box).to_contain_text("Daraus wurde die Maßnahme")
    box.get_by_role("link", name="Überdachte Fahrradstellplätze am Bahnhof").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Überdachte Fahrradstellplätze am Bahnhof"
    )
    page.get_by_role("link", name=proposal.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(proposal.title)


def test_measure_pages_are_valid_html(demo: None, tmp_path: Path) -> None:
    from django.test import Client
    from test_html_validity import Pages, run_vnu

    from mitmachen.proposals.models import Proposal

    market = _measure("Marktplatz-Programm: Schatten, Bänke, Trinkbrunnen")
    proposal = Proposal.objects.get(title__startswith="Überdachte und abschließbare")
    pages = Pages(tmp_path)
    client = Client()
    pages.get(client, "overview", OVERVIEW)
    pages.get(client, "overview, filtered", f"{OVERVIEW}?status=done&projekt=insek-bad-belzig-2035")
    pages.get(client, "measure", market.get_absolute_url())
    pages.get(client, "municipality with measures", "/kommunen/bad-belzig/")
    pages.get(client, "district with measures", "/kommunen/bad-belzig/ortsteile/luesse/")
    pages.get(client, "proposal with its measure", proposal.get_absolute_url())
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(email=MANAGER))
    pages.get(client, "measure, staff", market.get_absolute_url())
    pages.post(
        client,
        "update without reason",
        f"/massnahmen/{market.pk}/neuigkeit/",
        {"text": "", "status": ""},
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mitmachen.measures.models import ImportState, MeasureImport

    imports = "/kommunen/bad-belzig/umsetzung/import/"
    pages.get(client, "import form", imports)
    for label, rows in (
        ("import with a bad row", "A;B;C;fertig\nA;B;D;geplant\n"),
        ("import preview", "A;B;C;geplant\n"),
    ):
        upload = SimpleUploadedFile("m.csv", ("Handlungsfeld;Ziel;Titel;Status\n" + rows).encode())
        pages.add(label, client.post(imports, {"file": upload}))
    running = MeasureImport.objects.create(
        organisation=market.organisation,
        uploaded_by=get_user_model().objects.get(email=MANAGER),
        file_name="gross.xlsx",
        state=ImportState.RUNNING,
        rows_total=10000,
        rows_done=2500,
    )
    pages.get(client, "import running", f"{imports}{running.pk}/")
    errors = run_vnu(pages.files())
    assert not errors, "\n".join(
        f"{pages.labels.get(Path(e['url']).name, e['url'])}: {e['message']}" for e in errors
    )


def test_staff_import_a_list_with_a_bad_row(
    transactional_db: None, make_context: Any, login_as: Any
) -> None:
    """Lean: built with factories; each page loaded once and checked at 1280 and 320 px."""
    from mitmachen.measures.models import Measure
    from mitmachen.measures.services import default_status
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import (
        DistrictFactory,
        MembershipFactory,
        OrganisationFactory,
    )

    for kind in ("in_progress", "done"):  # a transactional test may have flushed them
        default_status(kind)
    organisation = OrganisationFactory(slug="musterstadt")
    DistrictFactory(organisation=organisation, name="Nordviertel", slug="nordviertel")
    manager = MembershipFactory(organisation=organisation, role=Role.PROJECT_MANAGER).user
    header = "Handlungsfeld;Ziel;Titel;Status;Fortschritt (Prozent);Ortsteile\n"
    context, _guard = make_context(viewport=DESKTOP, bypass_csp=True)
    login_as(context, manager.email)
    page = context.new_page()
    report = AxeReport(page)

    def check_both(label: str) -> None:
        for viewport in (DESKTOP, MOBILE):
            page.set_viewport_size(viewport)
            report.check(f"{label}, {viewport['width']}px")
        page.set_viewport_size(DESKTOP)

    def upload(text: str) -> None:
        page.set_input_files(
            "input[type=file]",
            files=[
                {
                    "name": "massnahmen.csv",
                    "mimeType": "text/csv",
                    "buffer": (header + text).encode("latin-1"),
                }
            ],
        )
        page.get_by_role("button", name="Vorschau anzeigen").click()

    page.goto("/kommunen/musterstadt/umsetzung/import/")
    upload(
        "Mobilität;Rufbus;Rufbus für die Dörfer;in Umsetzung;40;Nordviertel\n"
        "Wohnen;Studie;Wohnbedarfsstudie;fertig;100;\n"
    )
    expect(
        page.get_by_text("Zeile 3, Spalte Status: „fertig“ ist kein bekannter Status.")
    ).to_be_visible()
    expect(page.get_by_text("Es wurde nichts gespeichert.")).to_be_visible()
    check_both("measure import with a bad row")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "measure-import-error-1280px.png"), full_page=True)

    upload(
        "Mobilität;Rufbus;Rufbus für die Dörfer;in Umsetzung;40;Nordviertel\n"
        "Wohnen;Studie;Wohnbedarfsstudie;umgesetzt;100;\n"
    )
    expect(
        page.get_by_text("Bereit zum Import – neue Maßnahmen: 2, geänderte: 0, unveränderte: 0.")
    ).to_be_visible()
    check_both("measure import preview")
    page.get_by_role("button", name="Jetzt importieren").click()
    expect(page.get_by_text("Maßnahmen angelegt: 2, geändert: 0.")).to_be_visible()
    report.assert_clean()
    assert Measure.objects.filter(organisation=organisation).count() == 2
