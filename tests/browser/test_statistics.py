"""The staff statistics in the browser: axe finds nothing at 1280 and 320 px (also the
best-practice landmark rules, as on the other staff pages with table regions), the pages
are valid HTML (vnu), and they load nothing from another host (the guard). Screenshots
land in /tmp/shots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from django.test import Client
from staff_helpers import ADMIN, MANAGER, shot
from test_accessibility import AxeReport
from test_html_validity import run_vnu
from test_staff_landmarks import _landmark_violations

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT = "/verwaltung/projekte/meine-stadt-der-zukunft/statistik/"
MUNICIPALITY = "/verwaltung/kommunen/bad-belzig/statistik/"


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_statistics_pages_accessible(
    demo: None, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(context, ADMIN)
    page = context.new_page()
    report = AxeReport(page)
    for label, path in (("project statistics", PROJECT), ("municipality statistics", MUNICIPALITY)):
        report.visit(label, path)
        assert "weniger als 5" in page.content() or "Personen" in page.content()
        assert not _landmark_violations(page), label
        shot(page, "statistics", label.replace(" ", "-"))
    report.assert_clean()


def test_statistics_pages_are_valid_html(demo: None, tmp_path: Path) -> None:
    from django.contrib.auth import get_user_model

    files = []
    for email in (ADMIN, MANAGER):
        client = Client()
        client.force_login(get_user_model().objects.get(email=email))
        for i, path in enumerate((PROJECT, MUNICIPALITY, "/verwaltung/")):
            response = client.get(path)
            if email == MANAGER and path == MUNICIPALITY:
                assert response.status_code == 403
            else:
                assert response.status_code == 200, path
            file = tmp_path / f"{email.split('@')[0]}-{i}.html"
            file.write_bytes(response.content)
            files.append(file)
    errors = run_vnu(files)
    assert not errors, "\n".join(
        f"{e.get('url')}:{e.get('lastLine')}: {e.get('message')}" for e in errors
    )
