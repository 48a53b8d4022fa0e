"""The Abwägungstabelle as files for the council (``table_services``, ``table_views``):
made in the background with its progress, who may ask for and download it, the failure
and retry, one in the making per draft, a newer one replacing the older, "Meine Daten"
and account deletion, bad input and bounded queries."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from mitmachen.accounts.services import account_delete
from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.drafts import report, table_services, tasks
from mitmachen.drafts.models import TableState, WeighingTableFile
from mitmachen.drafts.personal_data import export_drafts
from mitmachen.drafts.tests.conftest import make_draft, paragraph, table_files
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(media):
    return media


def page_url(draft):
    return reverse("drafts:weighing_files", args=[draft.project.slug, draft.slug])


def start_url(draft):
    return reverse("drafts:weighing_files_start", args=[draft.project.slug, draft.slug])


def download_url(draft, table, kind):
    return reverse(
        "drafts:weighing_files_download", args=[draft.project.slug, draft.slug, table.pk, kind]
    )


def start(client, draft):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(start_url(draft))


class Queue:
    """Stands in for the task: tables stay queued, as with a busy worker."""

    def __init__(self):
        self.queued = []

    def enqueue(self, **kwargs):
        self.queued.append(kwargs["table_id"])


@pytest.fixture
def busy(monkeypatch):
    queue = Queue()
    monkeypatch.setattr(tasks, "make_weighing_table", queue)
    return queue


def test_one_click_makes_the_pdf_and_the_xlsx(client, draft, manager, media):
    client.force_login(manager)
    response = start(client, draft)
    assert response.status_code == 302
    assert response["Location"] == page_url(draft) + "#dateien"
    table = WeighingTableFile.objects.get(draft=draft)
    assert table.state == TableState.DONE and table.progress == 100
    assert table.requested_by == manager and table.version == draft.version == 1
    assert table.pages >= 1 and table.seconds is not None and table.data_as_of is not None
    with table.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert len(reader.pages) == table.pages
    assert reader.metadata.title == "Abwägungstabelle: Klimaagenda"
    assert "Jedes Dorf soll im Stundentakt" in " ".join(p.extract_text() for p in reader.pages)
    with table.xlsx.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()))["Abwägungstabelle"]
    assert sheet["A1"].value == "Klimaagenda"
    # The files have random names, not the draft's.
    assert "entwurf" not in table.pdf.name and table.pdf.name.startswith("weighing-tables/")
    page = client.get(page_url(draft))
    html = page.content.decode()
    assert page.status_code == 200 and "Refresh" not in page
    assert "fertig: 1 Seite" in html or f"fertig: {table.pages} Seiten" in html
    assert download_url(draft, table, "pdf") in html and download_url(draft, table, "xlsx") in html
    assert "von Paula" in html and "Fassung 1" in html
    pdf = client.get(download_url(draft, table, "pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    stamp = timezone.localtime(table.data_as_of).strftime("%Y-%m-%d")
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="abwaegungstabelle-entwurf-{stamp}.pdf"'
    )
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    xlsx = client.get(download_url(draft, table, "xlsx"))
    assert xlsx["Content-Type"].endswith("spreadsheetml.sheet")
    assert "no-store" in xlsx["Cache-Control"] and "private" in xlsx["Cache-Control"]


def test_the_progress_after_each_step(monkeypatch, draft, manager):
    """The stored progress after each step, as the page reads it meanwhile."""
    seen = []
    original = table_services._progress

    def record(table_id, step):
        original(table_id, step)
        table = WeighingTableFile.objects.get(pk=table_id)
        seen.append((step, table.state, table.progress))

    monkeypatch.setattr(table_services, "_progress", record)
    table = table_files(draft, manager)
    assert seen == [
        ("read", TableState.RUNNING, 15),
        ("xlsx", TableState.RUNNING, 25),
        ("laid_out", TableState.RUNNING, 70),
    ]
    assert table.progress == 100 and table.state == TableState.DONE


def test_the_page_shows_the_progress_and_reloads_itself(client, draft, manager, busy):
    client.force_login(manager)
    start(client, draft)
    table = WeighingTableFile.objects.get(draft=draft)
    assert table.state == TableState.QUEUED and busy.queued == [table.pk]
    page = client.get(page_url(draft))
    html = page.content.decode()
    # With the address (no fragment): a bare "3" does not reload an address with #dateien.
    assert page["Refresh"] == f"3; url={page_url(draft)}"
    assert f'href="{page_url(draft)}">Jetzt neu laden</a>' in html
    assert "wartet auf die Erstellung" in html and "Tabelle wird erstellt – Stand ansehen" in html
    assert "Diese Seite lädt sich alle 3 Sekunden neu." in html
    assert "Die Abwägungstabelle wird erstellt. Diese Seite zeigt, wie weit sie ist." in html
    WeighingTableFile.objects.filter(pk=table.pk).update(state=TableState.RUNNING, progress=25)
    html = client.get(page_url(draft)).content.decode()
    assert "wird erstellt (25 %)" in html
    assert '<progress max="100" value="25"' in html
    assert download_url(draft, table, "pdf") not in html
    # The queued table is not downloadable yet.
    assert client.get(download_url(draft, table, "pdf")).status_code == 404


def test_two_clicks_make_one_table(client, draft, manager, busy):
    client.force_login(manager)
    start(client, draft)
    start(client, draft)
    assert WeighingTableFile.objects.filter(draft=draft).count() == 1
    assert len(busy.queued) == 1
    # Another draft has its own.
    other = make_draft(draft.project, manager, slug="zweiter")
    start(client, other)
    assert len(busy.queued) == 2


def test_the_constraint_allows_one_table_in_the_making(draft, manager):
    WeighingTableFile.objects.create(draft=draft, version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        WeighingTableFile.objects.create(draft=draft, version=1, state=TableState.RUNNING)
    WeighingTableFile.objects.create(draft=draft, version=1, state=TableState.FAILED)


def test_a_lost_table_does_not_block_a_new_one(draft, manager, busy):
    """A worker that stopped leaves a table "running"; after an hour it counts as failed."""
    lost = WeighingTableFile.objects.create(
        draft=draft,
        version=1,
        state=TableState.RUNNING,
        requested_at=timezone.now() - timedelta(hours=2),
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        new = table_services.weighing_table_request(user=manager, draft=draft)
    lost.refresh_from_db()
    assert new.pk != lost.pk and lost.state == TableState.FAILED
    assert "abgebrochen" in lost.message
    # The lost run, if it ever ends, stores nothing.
    table_services.weighing_table_make(table_id=lost.pk)
    lost.refresh_from_db()
    assert lost.state == TableState.FAILED and not lost.pdf


def test_a_failure_says_so_and_can_be_retried(client, monkeypatch, draft, manager, media):
    def broken(*args, **kwargs):
        raise RuntimeError("Pango fehlt")

    monkeypatch.setattr(report, "pdf", broken)
    client.force_login(manager)
    start(client, draft)
    failed = WeighingTableFile.objects.get(draft=draft)
    assert failed.state == TableState.FAILED and failed.message == "Pango fehlt"
    assert failed.finished_at is not None and not failed.pdf and not failed.xlsx
    assert not any(path.is_file() for path in media.rglob("*"))  # the XLSX did not stay
    page = client.get(page_url(draft))
    html = page.content.decode()
    assert page.status_code == 200 and "Refresh" not in page
    assert "Die Erstellung der Tabelle ist fehlgeschlagen." in html
    assert "Erstellung fehlgeschlagen." in html and "Fehlermeldung: Pango fehlt" in html
    assert "Erneut versuchen" in html
    monkeypatch.undo()
    start(client, draft)
    newest = WeighingTableFile.objects.filter(draft=draft).first()
    assert newest.pk != failed.pk and newest.state == TableState.DONE
    # The finished table replaces the failed one.
    assert list(WeighingTableFile.objects.filter(draft=draft)) == [newest]


def test_a_newer_table_replaces_the_older_with_its_files(draft, manager, media):
    first = table_files(draft, manager)
    paths = [media / first.pdf.name, media / first.xlsx.name]
    assert all(path.exists() for path in paths)
    with TestCase.captureOnCommitCallbacks(execute=True):
        second = table_files(draft, manager)
    assert list(WeighingTableFile.objects.filter(draft=draft)) == [second]
    assert not any(path.exists() for path in paths)
    assert (media / second.pdf.name).exists()


def test_a_table_deleted_while_it_is_made_leaves_no_file(monkeypatch, draft, manager, media):
    original = report.pdf

    def delete_meanwhile(*args, **kwargs):
        result = original(*args, **kwargs)
        WeighingTableFile.objects.all().delete()
        return result

    monkeypatch.setattr(report, "pdf", delete_meanwhile)
    with TestCase.captureOnCommitCallbacks(execute=True):
        table_services.weighing_table_request(user=manager, draft=draft)
    assert not WeighingTableFile.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_deleting_the_draft_deletes_the_files(draft, manager, media):
    table = table_files(draft, manager)
    path = media / table.pdf.name
    with TestCase.captureOnCommitCallbacks(execute=True):
        draft.delete()
    assert not path.exists()


@pytest.fixture
def people(project, manager):
    town = project.organisation
    other_town = OrganisationFactory()
    return {
        "resident": UserFactory(),
        "moderator": MembershipFactory(organisation=town, role=Role.MODERATOR).user,
        "other staff": MembershipFactory(organisation=other_town, role=Role.ADMIN).user,
        "admin": MembershipFactory(organisation=town, role=Role.ADMIN).user,
        "manager": manager,
    }


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("resident", False),
        ("moderator", False),
        ("other staff", False),
        ("admin", True),
        ("manager", True),
    ],
)
def test_who_may_ask_for_and_download_the_files(client, draft, manager, people, who, allowed):
    table = table_files(draft, manager)
    user = people[who]
    client.force_login(user)
    expected = 200 if allowed else 404
    assert client.get(page_url(draft)).status_code == expected
    assert client.get(download_url(draft, table, "pdf")).status_code == expected
    assert client.get(download_url(draft, table, "xlsx")).status_code == expected
    response = start(client, draft)
    assert response.status_code == (302 if allowed else 404)
    if not allowed:
        with pytest.raises(PermissionDenied):
            table_services.weighing_table_request(user=user, draft=draft)
        assert WeighingTableFile.objects.count() == 1
        # The public table page does not lead there.
        html = client.get(reverse("drafts:weighing", args=[draft.project.slug, draft.slug]))
        assert page_url(draft) not in html.content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client, draft, manager):
    table = table_files(draft, manager)
    for url in (page_url(draft), download_url(draft, table, "pdf")):
        response = client.get(url)
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
    assert client.post(start_url(draft)).status_code == 302
    assert WeighingTableFile.objects.count() == 1


def test_bad_input_is_not_found_never_an_error(client, project, draft, manager, media):
    table = table_files(draft, manager)
    other = make_draft(project, manager, slug="anderer")
    client.force_login(manager)
    assert client.get(download_url(draft, table, "exe")).status_code == 404
    assert client.get(download_url(other, table, "pdf")).status_code == 404  # not its table
    missing = reverse(
        "drafts:weighing_files_download", args=[project.slug, draft.slug, 999999, "pdf"]
    )
    assert client.get(missing).status_code == 404
    assert client.get(start_url(draft)).status_code == 405
    assert client.post(page_url(draft)).status_code == 405
    # The files gone from the storage: the page says "–", the download is not found.
    (media / table.pdf.name).unlink()
    assert client.get(download_url(draft, table, "pdf")).status_code == 404
    page = client.get(page_url(draft))
    assert page.status_code == 200
    assert download_url(draft, table, "pdf") not in page.content.decode()
    unpublished = make_draft(project, manager, public=False, slug="intern")
    assert client.get(page_url(unpublished)).status_code == 200  # staff prepare it


def test_my_data_and_account_deletion_of_the_staff_member(client, draft, manager):
    table = table_files(draft, manager)
    exported = export_drafts(manager)["angeforderte_abwaegungstabellen"]
    assert exported == [
        {
            "textentwurf": "Klimaagenda",
            "fassung": 1,
            "angefordert_am": table.requested_at.isoformat(),
            "stand": "fertig",
        }
    ]
    admin = MembershipFactory(organisation=draft.project.organisation, role=Role.ADMIN).user
    account_delete(user=manager)
    table.refresh_from_db()
    assert table.requested_by is None and table.done  # the table stays, without the name
    assert "angeforderte_abwaegungstabellen" not in export_drafts(admin)
    client.force_login(admin)
    assert "von einem gelöschten Konto" in client.get(page_url(draft)).content.decode()


@pytest.mark.parametrize("named", [True, False])
def test_a_residents_deletion_removes_the_tables_that_name_them(
    responding, draft, manager, resident, named
):
    """A suggestion with the consent to be named: the stored table goes with the account
    (the comments' case: ``test_comment_consent``); without it the table names no one
    and stays."""
    from mitmachen.drafts import services

    services.suggestion_create(
        by=resident, paragraph=paragraph(draft, 1), text="Mein Satz.", name_in_report=named
    )
    table = table_files(draft, manager)
    account_delete(user=resident)
    assert WeighingTableFile.objects.filter(pk=table.pk).exists() is not named


def test_queries_do_not_grow_with_the_tables(client, draft, manager, django_assert_max_num_queries):
    """The files page with one table and with ten (each asked for by someone else)."""
    table = table_files(draft, manager)
    client.force_login(manager)

    def counted():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url(draft)).status_code == 200
        return len(queries)

    counts = [counted()]
    WeighingTableFile.objects.bulk_create(
        WeighingTableFile(
            draft=draft, version=1, state=TableState.FAILED, message="x", requested_by=UserFactory()
        )
        for _ in range(9)
    )
    counts.append(counted())
    assert counts[0] == counts[1] <= 12, counts
    with django_assert_max_num_queries(10):
        assert client.get(download_url(draft, table, "pdf")).status_code == 200
    with django_assert_max_num_queries(14), TestCase.captureOnCommitCallbacks(execute=False):
        assert client.post(start_url(draft)).status_code == 302
