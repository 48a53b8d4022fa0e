"""The progress of a background import: rows written of rows in the file, reported
after every batch while the import's transaction runs, and shown on the import page."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from mitmachen.climate import services
from mitmachen.climate.models import PendingImport, Value
from mitmachen.climate.tests.factories import IndicatorFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def _queued(rows):
    indicator = IndicatorFactory()
    staff = MembershipFactory(organisation=indicator.organisation, role=Role.ADMIN).user
    body = "datum;wert\n" + "".join(f"{2000 + i};{i}\n" for i in range(rows))
    pending = PendingImport.objects.create(
        indicator=indicator, uploaded_by=staff, kind="csv", file_name="gross.csv",
        state="wartet", data=body.encode(), options={"date": "datum", "value": "wert"},
    )  # fmt: skip
    return indicator, staff, pending


def test_progress_is_written_after_every_batch_and_the_page_shows_it_meanwhile(client, monkeypatch):
    cache.clear()
    indicator, staff, pending = _queued(7)
    client.force_login(staff)
    monkeypatch.setattr(services, "IMPORT_CHUNK", 2)
    written: list[tuple[int, int]] = []
    pages: dict[int, str] = {}
    real_write = services.import_progress_write

    def spy(pending_id: int, done: int, total: int) -> None:
        real_write(pending_id, done, total)
        written.append((done, total))
        # The import page, read while the import's transaction is still open.
        pages[done] = text(
            client.get(f"/kommunen/{indicator.organisation.slug}/klima/{indicator.slug}/import/")
        )
        assert Value.objects.count() == done  # what the batches have written so far

    monkeypatch.setattr(services, "import_progress_write", spy)
    services.pending_import_run(pending_id=pending.pk)

    assert written == [(0, 7), (2, 7), (4, 7), (6, 7), (7, 7)]
    assert "wird importiert" in pages[4] and "57 % gespeichert (4 von 7 Zeilen)" in pages[4]
    assert f'<progress id="fortschritt-{pending.pk}"' in pages[4]
    assert 'max="7" value="4"' in pages[4]
    assert "0 % gespeichert (0 von 7 Zeilen)" in pages[0]
    assert "100 % gespeichert" in pages[7] and "Monatsübersichten werden berechnet" in pages[7]
    assert services.import_progress([pending.pk]) == {pending.pk: (7, 7)}
    pending.refresh_from_db()
    assert pending.state == "fertig" and Value.objects.count() == 7
    # Once done, the page shows the result, no longer a percentage.
    page = text(
        client.get(f"/kommunen/{indicator.organisation.slug}/klima/{indicator.slug}/import/")
    )
    assert "importiert – 7 Werte importiert, 0 ersetzt." in page and "gespeichert (" not in page


def test_a_running_import_without_progress_yet_says_the_file_is_being_read(client):
    cache.clear()
    indicator, staff, pending = _queued(3)
    PendingImport.objects.filter(pk=pending.pk).update(state="laeuft")
    client.force_login(staff)
    page = text(
        client.get(f"/kommunen/{indicator.organisation.slug}/klima/{indicator.slug}/import/")
    )
    assert "Die Datei wird gelesen" in page and "<progress" not in page
    services.import_progress_write(pending.pk, 1500, 20000)
    page = text(
        client.get(f"/kommunen/{indicator.organisation.slug}/klima/{indicator.slug}/import/")
    )
    assert "7 % gespeichert (1.500 von 20.000 Zeilen)" in page
    assert "Stand aktualisieren" in page


def test_a_failed_import_reports_no_rows_and_stores_nothing(monkeypatch):
    cache.clear()
    _indicator, _staff, pending = _queued(3)
    PendingImport.objects.filter(pk=pending.pk).update(data=b"datum;wert\n2020;1\n2021;zwei\n")
    monkeypatch.setattr(services, "IMPORT_CHUNK", 1)
    services.pending_import_run(pending_id=pending.pk)
    assert services.import_progress([pending.pk]) == {}  # rejected before any row was written
    assert not Value.objects.exists()
