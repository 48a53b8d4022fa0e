"""The council report in the browser: a member of staff opens it from "Meine Projekte",
makes a report, sees the progress of one being made and downloads the PDF and the XLSX
file; axe finds nothing at 1280 and 320 px, the page is valid HTML (vnu) and loads
nothing from another host (the guard). Screenshots land in /tmp/shots."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from browser_helpers import DESKTOP, MOBILE
from django.test import Client
from playwright.sync_api import expect
from staff_helpers import ADMIN, shot
from test_accessibility import AxeReport
from test_html_validity import run_vnu

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "meine-stadt-der-zukunft"
PAGE = f"/verwaltung/projekte/{SLUG}/bericht/"


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_make_watch_and_download_the_council_report(
    demo: None, make_context: Any, login_as: Any, viewport: dict[str, int], tmp_path: Path
) -> None:
    from mitmachen.dashboard.models import CouncilReport, ReportState
    from mitmachen.projects.models import Project

    context, _guard = make_context(viewport=viewport, accept_downloads=True, bypass_csp=True)
    login_as(context, ADMIN)
    page = context.new_page()
    axe = AxeReport(page)
    axe.visit("my projects", "/verwaltung/")
    link = page.get_by_role("link", name="Bericht für den Gemeinderat zu Meine Stadt der Zukunft")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Meine Stadt der Zukunft")
    axe.check("council report, none yet")
    page.get_by_role("button", name="Bericht erstellen").focus()
    page.keyboard.press("Enter")  # the tests' task backend makes it at once
    # Making it takes seconds (10 s for the demo project on a busy machine).
    expect(page.get_by_role("link", name="PDF")).to_have_count(1, timeout=120_000)
    axe.check("council report, done")
    shot(page, "council-report", "done")
    for kind, start in (("PDF", b"%PDF"), ("XLSX", b"PK")):
        with page.expect_download() as info:
            page.get_by_role("link", name=kind).click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        assert path.read_bytes().startswith(start), kind
        assert info.value.suggested_filename.startswith(f"bericht-{SLUG}-")
    # A report a worker is still making: its progress, and the page reloads itself.
    CouncilReport.objects.create(
        project=Project.objects.get(slug=SLUG), state=ReportState.RUNNING, progress=40
    )
    response = page.goto(PAGE)
    # With the page's address: a bare "3" is not reloaded when the URL has a fragment.
    assert response is not None
    assert response.headers.get("refresh") == f"3; url={urlparse(response.url).path}"
    expect(page.get_by_role("progressbar", name="Fortschritt des Berichts")).to_have_attribute(
        "value", "40"
    )
    expect(page.get_by_text("wird erstellt (40 %)")).to_be_visible()
    axe.check("council report, in progress")
    shot(page, "council-report", "progress")
    axe.assert_clean()  # and the guard: no request to another host (checked at the end)


def test_the_report_page_is_valid_html(demo: None, tmp_path: Path) -> None:
    from django.contrib.auth import get_user_model

    from mitmachen.dashboard.models import CouncilReport, ReportState
    from mitmachen.projects.models import Project

    client = Client()
    client.force_login(get_user_model().objects.get(email=ADMIN))
    files = []
    empty = tmp_path / "empty.html"
    empty.write_bytes(client.get(PAGE).content)
    files.append(empty)
    client.post(f"/verwaltung/projekte/{SLUG}/bericht/erstellen/")
    CouncilReport.objects.create(
        project=Project.objects.get(slug=SLUG), state=ReportState.RUNNING, progress=40
    )
    CouncilReport.objects.create(
        project=Project.objects.get(slug=SLUG), state=ReportState.FAILED, message="kaputt"
    )
    listed = tmp_path / "listed.html"
    response = client.get(PAGE)
    assert response.status_code == 200
    listed.write_bytes(response.content)
    files.append(listed)
    errors = run_vnu(files)
    assert not errors, "\n".join(
        f"{e.get('url')}:{e.get('lastLine')}: {e.get('message')}" for e in errors
    )
