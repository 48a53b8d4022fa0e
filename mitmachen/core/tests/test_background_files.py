"""The rules of a file made in the background (``core.background_files``), checked on the
council report's model (``dashboard.CouncilReport``: core has no concrete model of its
own; the drafts' ``WeighingTableFile`` is built the same way). The modules' own tests
check their pages and files; these check the helper's rules one by one."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.test import RequestFactory, TestCase
from django.utils import timezone

from mitmachen.core import background_files
from mitmachen.core.background_files import FileState
from mitmachen.dashboard.models import CouncilReport
from mitmachen.drafts.models import WeighingTableFile
from mitmachen.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def project():
    return ProjectFactory()


class Queue:
    """Stands in for the module's task: records what was enqueued."""

    def __init__(self) -> None:
        self.queued: list[int] = []

    def __call__(self, pk: int) -> None:
        self.queued.append(pk)


def _request(project, queue):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return background_files.request_file(CouncilReport, subject=project, enqueue=queue)


def _build(pages=3):
    def build(row):
        row.pdf.save("a.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        row.xlsx.save("a.xlsx", ContentFile(b"PK test"), save=False)
        return {"pages": pages, "data_as_of": timezone.now()}

    return build


def _made(project, queue=None):
    row = _request(project, queue or Queue())
    background_files.make_file(CouncilReport, row.pk, started=5, build=_build())
    row.refresh_from_db()
    return row


def test_a_request_queues_one_row_and_enqueues_it_after_commit(project):
    queue = Queue()
    first = _request(project, queue)
    assert first.state == FileState.QUEUED and queue.queued == [first.pk]
    # A second click finds the first, and enqueues nothing.
    assert _request(project, queue).pk == first.pk
    assert queue.queued == [first.pk]
    # Another subject has its own.
    other = _request(ProjectFactory(organisation=project.organisation), queue)
    assert other.pk != first.pk and queue.queued == [first.pk, other.pk]


def test_the_constraint_allows_one_row_in_the_making_per_subject(project):
    CouncilReport.objects.create(project=project)
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilReport.objects.create(project=project, state=FileState.RUNNING)
    CouncilReport.objects.create(project=project, state=FileState.FAILED)
    CouncilReport.objects.create(project=ProjectFactory(), state=FileState.RUNNING)


def test_the_constraints_keep_the_names_the_migrations_gave_them():
    names = {c.name for c in CouncilReport._meta.constraints}
    assert names == {
        "one_council_report_in_the_making",
        "council_report_progress_percent",
        "council_report_files_when_done",
    }
    names = {c.name for c in WeighingTableFile._meta.constraints}
    assert names == {
        "one_weighing_table_in_the_making",
        "weighing_table_progress_percent",
        "weighing_table_files_when_done",
    }


def test_the_shared_base_changes_no_schema():
    """The models built on the base have the fields and constraints their migrations
    made (a changed rule in ``constraints()`` would need a migration)."""
    out = io.StringIO()
    call_command("makemigrations", "dashboard", "drafts", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()


def test_a_click_at_the_same_moment_gets_the_first_row(project, monkeypatch):
    """The race: the second click has found no row in the making, the first one's insert
    commits before the second's; the constraint turns the second into the first."""
    first = CouncilReport.objects.create(project=project)
    calls = []
    original = background_files._working

    def not_yet(model, subject):
        calls.append(model)
        return None if len(calls) == 1 else original(model, subject)

    monkeypatch.setattr(background_files, "_working", not_yet)
    queue = Queue()
    assert _request(project, queue).pk == first.pk
    assert queue.queued == [] and CouncilReport.objects.count() == 1
    assert len(calls) == 2  # it did meet the constraint


def test_a_lost_run_counts_as_failed_and_stores_nothing_later(project, media):
    lost = CouncilReport.objects.create(
        project=project,
        state=FileState.QUEUED,
        requested_at=timezone.now() - background_files.GIVE_UP_AFTER - timedelta(minutes=1),
    )
    new = _request(project, Queue())
    lost.refresh_from_db()
    assert new.pk != lost.pk and lost.state == FileState.FAILED
    assert "abgebrochen" in lost.message and lost.finished_at is not None
    # Its task, if it ever runs, leaves it alone.
    assert background_files.make_file(CouncilReport, lost.pk, started=5, build=_build()) is None
    lost.refresh_from_db()
    assert lost.state == FileState.FAILED and not lost.pdf


def test_a_run_within_the_hour_still_blocks(project):
    recent = CouncilReport.objects.create(
        project=project,
        state=FileState.RUNNING,
        requested_at=timezone.now() - background_files.GIVE_UP_AFTER + timedelta(minutes=5),
    )
    assert _request(project, Queue()).pk == recent.pk
    recent.refresh_from_db()
    assert recent.state == FileState.RUNNING


def test_a_run_given_up_while_it_was_made_removes_its_files(project, media):
    row = _request(project, Queue())

    def give_up_meanwhile(row):
        fields = _build()(row)
        CouncilReport.objects.filter(pk=row.pk).update(state=FileState.FAILED)
        return fields

    assert (
        background_files.make_file(CouncilReport, row.pk, started=5, build=give_up_meanwhile)
        is None
    )
    row.refresh_from_db()
    assert row.state == FileState.FAILED and not row.pdf
    assert not any(media.rglob("*.pdf")) and not any(media.rglob("*.xlsx"))


def test_make_runs_once_with_progress_and_stores_what_build_returns(project, media):
    row = _request(project, Queue())
    seen = []

    def build(r):
        seen.append(CouncilReport.objects.get(pk=r.pk).state)
        background_files.set_progress(CouncilReport, r.pk, 50)
        seen.append(CouncilReport.objects.get(pk=r.pk).progress)
        return _build(pages=7)(r)

    made = background_files.make_file(CouncilReport, row.pk, started=5, build=build)
    assert made is not None and seen == [FileState.RUNNING, 50]
    row.refresh_from_db()
    assert row.state == FileState.DONE and row.progress == 100 and row.pages == 7
    assert row.seconds is not None and row.finished_at and row.data_as_of
    assert row.pdf.read().startswith(b"%PDF") and row.pdf_size and row.xlsx_size
    # Runs once: a second task for the same row does nothing.
    assert background_files.make_file(CouncilReport, row.pk, started=5, build=build) is None
    assert len(seen) == 2


def test_a_failure_is_stored_with_its_message_and_leaves_no_file(project, media):
    row = _request(project, Queue())

    def broken(r):
        r.pdf.save("a.pdf", ContentFile(b"%PDF half"), save=False)
        raise RuntimeError("Pango fehlt")

    assert background_files.make_file(CouncilReport, row.pk, started=5, build=broken) is None
    row.refresh_from_db()
    assert row.state == FileState.FAILED and row.message == "Pango fehlt"
    assert row.finished_at is not None and not row.pdf
    assert not any(media.rglob("*.pdf"))
    # Retry: a new request makes a new row.
    assert _request(project, Queue()).pk != row.pk


def test_without_newest_only_all_finished_rows_stay(project, media):
    first = _made(project)
    second = _made(project)
    assert first.done and second.done
    assert CouncilReport.objects.filter(project=project).count() == 2


def test_with_newest_only_a_finished_row_replaces_the_older(project, media, monkeypatch):
    monkeypatch.setattr(CouncilReport, "newest_only", True)
    first = _made(project)
    failed = CouncilReport.objects.create(project=project, state=FileState.FAILED)
    other = _made(ProjectFactory(organisation=project.organisation))
    with TestCase.captureOnCommitCallbacks(execute=True):
        second = _made(project)
    assert set(CouncilReport.objects.values_list("pk", flat=True)) == {second.pk, other.pk}
    assert failed.pk != second.pk
    # The replaced row's files are gone from the storage.
    assert not (media / first.pdf.name).exists() and (media / second.pdf.name).exists()


def test_a_deleted_row_takes_its_files_after_commit(project, media):
    row = _made(project)
    path = media / row.pdf.name
    assert path.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        row.delete()
    assert not path.exists() and not (media / row.xlsx.name).exists()


def _page(rows):
    request = RequestFactory().get("/seite/")
    return background_files.status_page(request, "unused.html", {}, rows)


def test_the_status_page_reloads_itself_only_while_a_row_is_made(project, monkeypatch):
    monkeypatch.setattr(
        background_files,
        "render",
        lambda request, template, context: HttpResponse(
            f"{context['working']} {context['refresh']}"
        ),
    )
    queued = CouncilReport(project=project, state=FileState.QUEUED)
    done = CouncilReport(project=project, state=FileState.DONE)
    failed = CouncilReport(project=project, state=FileState.FAILED)
    response = _page([queued, done])
    assert response["Refresh"] == "3; url=/seite/" and response.content == b"True 3"
    for rows in ([done, failed], []):
        response = _page(rows)
        assert not response.has_header("Refresh") and response.content == b"False 3"
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_download_answers_only_a_finished_rows_known_file(project, media):
    row = _made(project)
    response = background_files.download(row, "pdf", filename="bericht")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bericht.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    xlsx = background_files.download(row, "xlsx", filename="bericht")
    assert xlsx["Content-Type"].endswith("spreadsheetml.sheet")
    for kind in ("exe", "message", "state"):
        with pytest.raises(Http404):
            background_files.download(row, kind, filename="bericht")
    queued = CouncilReport(project=project, state=FileState.QUEUED, pdf=row.pdf.name)
    with pytest.raises(Http404):
        background_files.download(queued, "pdf", filename="bericht")
    (media / row.pdf.name).unlink()
    row = CouncilReport.objects.get(pk=row.pk)  # not the open file of the answer above
    with pytest.raises(Http404):
        background_files.download(row, "pdf", filename="bericht")
    assert row.pdf_size is None  # the page says "–"
