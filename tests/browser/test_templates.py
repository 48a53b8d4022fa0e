"""Templates between towns in the browser: Bad Belzig's project manager exports
"Meine Stadt der Zukunft", Haldensleben's administrator imports the file (a bad file
first), with axe on every page at 1280 and 320 px, and the pages are valid HTML."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from playwright.sync_api import Page, expect
from staff_helpers import HALDENSLEBEN, MANAGER, assert_valid_html, shot
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)


def _shot(page: Page, name: str) -> None:
    shot(page, "templates", name)


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_export_and_import_a_template(
    demo: None, make_context: Any, login_as: Any, tmp_path: Path, viewport: dict[str, int]
) -> None:
    from mitmachen.projects.models import Project, Visibility

    # Export, as Bad Belzig's project manager.
    context, _guard = make_context(viewport=viewport, bypass_csp=True, accept_downloads=True)
    login_as(context, MANAGER)
    page = context.new_page()
    report = AxeReport(page)
    page.goto("/verwaltung/")
    page.get_by_role("link", name="Als Vorlage „Meine Stadt der Zukunft“ exportieren").click()
    expect(page.locator("h1")).to_have_text("Als Vorlage exportieren oder teilen")
    report.check("export page")
    _shot(page, "export")
    with page.expect_download() as download:
        page.get_by_role("link", name="Vorlage herunterladen (JSON)").click()
    file = tmp_path / "vorlage.json"
    download.value.save_as(file)
    report.visit("library", "/vorlagen/")
    _shot(page, "library")
    page.get_by_role("link", name="Meine Stadt der Zukunft").click()
    expect(page.locator("h1")).to_have_text("Meine Stadt der Zukunft")
    report.check("library entry")
    _shot(page, "library-entry")

    # Import, as Haldensleben's administrator: a bad file, nothing at all, then the file.
    other, _guard2 = make_context(viewport=viewport, bypass_csp=True)
    login_as(other, HALDENSLEBEN)
    page = other.new_page()
    report.page = page
    report.visit("import", "/verwaltung/vorlagen/import/")
    page.get_by_role("button", name="Vorlage prüfen").click()
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.locator("#form-errors")).to_contain_text("Bitte wählen Sie eine Vorlagendatei.")
    report.check("import without a file")
    bad = tmp_path / "kaputt.json"
    bad.write_text('{"format": "mitmachen-prozessvorlage", "version": 7}', encoding="utf-8")
    page.locator("#id_file").set_input_files(bad)
    page.get_by_role("button", name="Vorlage prüfen").click()
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.locator("#form-errors")).to_contain_text("Version 7")
    expect(page).to_have_title("Fehler: Prozess aus Vorlage anlegen – Mitmachen")
    report.check("import of a newer version")
    _shot(page, "import-error")
    started = time.monotonic()
    page.locator("#id_file").set_input_files(file)
    page.locator("#id_start").fill("2027-04-05")
    page.get_by_role("button", name="Vorlage prüfen").click()
    expect(page.locator("h1")).to_have_text("Vorschau: Das wird angelegt")
    expect(page.get_by_text("5. April 2027").first).to_be_visible()
    report.check("import preview")
    _shot(page, "import-preview")
    before = Project.objects.count()
    page.get_by_role("button", name="Als Entwurf anlegen").click()
    expect(page.locator(".messages")).to_contain_text("ist aus der Vorlage als Entwurf angelegt")
    print(f"\nimport from the file to the draft: {time.monotonic() - started:.1f} s")
    report.check("set-up of the imported project")
    _shot(page, "imported")
    assert Project.objects.count() == before + 1
    project = Project.objects.order_by("-pk").first()
    assert project is not None and project.organisation.slug == "haldensleben"
    assert project.visibility == Visibility.DRAFT
    assert project.polls.count() == 1 and project.debates.count() >= 1
    report.assert_clean()


def test_template_pages_are_valid_html(tmp_path: Path, demo_rows: None) -> None:
    from test_html_validity import Pages, _client

    from mitmachen.processtemplates.models import SharedTemplate
    from mitmachen.processtemplates.services import template_dumps

    shared = SharedTemplate.objects.get(project__slug="meine-stadt-der-zukunft")
    pages = Pages(tmp_path)
    anonymous = _client(None)
    pages.get(anonymous, "library", "/vorlagen/")
    pages.get(anonymous, "library entry", f"/vorlagen/{shared.pk}/")
    client = _client(MANAGER)
    pages.get(client, "export", "/verwaltung/projekte/meine-stadt-der-zukunft/vorlage/")
    pages.post(client, "share, empty", "/verwaltung/projekte/meine-stadt-der-zukunft/vorlage/", {})
    town = _client(HALDENSLEBEN)
    pages.get(town, "import", "/verwaltung/vorlagen/import/")
    pages.get(town, "import from the library", f"/verwaltung/vorlagen/import/?vorlage={shared.pk}")
    pages.post(town, "import, empty", "/verwaltung/vorlagen/import/", {"pruefen": "1"})
    from mitmachen.organisations.models import Organisation

    town_pk = Organisation.objects.get(slug="haldensleben").pk
    pages.add(
        "import preview",
        town.post(
            "/verwaltung/vorlagen/import/",
            {
                "organisation": town_pk,
                "start": "2027-04-05",
                "document": template_dumps(shared.document).decode(),
                "pruefen": "1",
            },
        ),
        200,
    )
    assert_valid_html(pages)
