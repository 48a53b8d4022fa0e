"""The council report (``report_services``, ``report_views``): who may make and download
it, what the PDF and the XLSX file say (recounted from the rows, not by the report's own
code), its pages as pictures, bad input, and a number of queries that does not grow with
the contributions."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.channels import Channel
from mitmachen.core.permissions import decide
from mitmachen.dashboard import report_build, report_services
from mitmachen.dashboard.models import CouncilReport, ReportState
from mitmachen.dashboard.tests.stats_data import build
from mitmachen.dashboard.tests.test_statistics import _people, _recount
from mitmachen.debates.models import Debate
from mitmachen.debates.tests.factories import DebateFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import (
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
)
from mitmachen.polls.models import Response
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
from mitmachen.proposals.models import Proposal, ProposalStatus, Support

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def town():
    organisation = OrganisationFactory(name="Berichtsstadt")
    districts = [DistrictFactory(organisation=organisation, name=f"Ort {i}") for i in range(6)]
    project = ProjectFactory(organisation=organisation, title="Berichtet")
    now = timezone.now()
    PhaseFactory(
        project=project,
        name="Ideen sammeln",
        start=now - timedelta(days=60),
        end=now - timedelta(days=10),
        actions=["propose", "support"],
    )
    PhaseFactory(
        project=project,
        name="Abstimmen",
        start=now + timedelta(days=5),
        end=now + timedelta(days=30),
        actions=["answer"],
        description="Die Vorschläge gehen in die Abstimmung.",
    )
    admin = MembershipFactory(organisation=organisation, role=Role.ADMIN).user
    return {
        "organisation": organisation,
        "districts": districts,
        "project": project,
        "admin": admin,
    }


def _fill(town, size, tag="s"):
    project = town["project"]  # a dict: the fixture, or another project of the town
    build(project, size, town["districts"], tag=tag)
    # The data is written in bulk: set the supports' counter as the services keep it.
    for proposal in Proposal.objects.filter(project=project):
        proposal.support_count = proposal.supports.count()
        proposal.save(update_fields=["support_count"])
    first = Proposal.objects.filter(project=project).order_by("pk").first()
    Proposal.objects.filter(pk=first.pk).update(
        status=ProposalStatus.ACCEPTED,
        official_response="Wird im Haushalt 2027 umgesetzt.",
        responded_at=timezone.now(),
    )
    author = UserFactory(display_name="Hanna Geheimname")
    DebateFactory(
        project=project,
        author=author,
        question="Soll der Markt autofrei werden?",
        closed_at=timezone.now(),
        conclusion="Der Markt wird samstags autofrei.",
    )


def _make(town, user=None):
    with TestCase.captureOnCommitCallbacks(execute=True):  # the task runs at once in tests
        report = report_services.council_report_request(
            user=user or town["admin"], project=town["project"]
        )
    report.refresh_from_db()
    return report


def _pdf_text(report) -> str:
    reader = PdfReader(io.BytesIO(report.pdf.open("rb").read()))
    return "\n".join(page.extract_text() for page in reader.pages)


# --- What it says ----------------------------------------------------------------------


def test_the_pdf_states_the_figures_recounted_from_the_rows(town):
    _fill(town, 200)
    report = _make(town)
    assert report.state == ReportState.DONE and report.progress == 100
    assert report.data_as_of is not None and report.data_version
    project = town["project"]
    proposals = Proposal.objects.filter(
        project=project, withdrawn_at__isnull=True, hidden_at__isnull=True
    )
    supports = Support.objects.filter(proposal__in=proposals).count()
    responses = Response.objects.filter(poll__project=project).count()
    rows = _recount([project])  # row by row, not by the statistics' SQL
    people = {row[3] for row in rows}
    # ... and the debates residents opened (``_recount`` knows no debates).
    opened = Debate.objects.filter(project=project, opened_by_staff=False)
    people |= {f"u{d.author_id}" for d in opened}
    contributions = len(rows) + opened.count()
    text = _pdf_text(report)
    flat = re.sub(r"\s+", " ", text)
    flat = re.sub(r"(\w)[-\u2010] (\w)", r"\1\2", flat)  # words hyphenated at a line's end
    assert f"{contributions} Beiträge" in flat
    assert f"{len(people)} teilnehmende Personen" in flat
    assert f"{proposals.count()} Vorschläge" in flat
    assert f"{supports} Unterstützungen" in flat
    assert f"{responses} ausgefüllte Fragebögen" in flat
    assert "Wird im Haushalt 2027 umgesetzt." in flat
    assert "Der Markt wird samstags autofrei." in flat
    assert "Ideen sammeln" in flat and "Die Vorschläge gehen in die Abstimmung." in flat
    # No resident is named (the accounts of the data are "Statistik <n>").
    assert "Geheimname" not in flat and "Statistik " not in flat
    reader = PdfReader(io.BytesIO(report.pdf.open("rb").read()))
    assert reader.metadata.title == "Bericht für den Gemeinderat: Berichtet"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged (PDF/UA)
    assert len(reader.pages) == report.pages


def test_the_xlsx_has_the_same_numbers_one_sheet_per_section(town):
    _fill(town, 120)
    report = _make(town)
    book = load_workbook(io.BytesIO(report.xlsx.open("rb").read()))
    assert book.sheetnames == [
        "Überblick",
        "Phasen",
        "Kanäle und Ortsteile",
        "Vorschläge",
        "Umfragen",
        "Debatten",
        "Nächste Schritte",
    ]
    overview = {row[0]: row[1:] for row in book["Überblick"].iter_rows(values_only=True) if row}
    project = town["project"]
    data = report_build.collect(project)
    assert overview["Beiträge"][0] == data.contributions
    assert overview["Teilnehmende Personen"][0] == data.people
    proposals = {row[0]: row[1] for row in book["Vorschläge"].iter_rows(values_only=True) if row}
    assert proposals["Vorschläge"] == Proposal.objects.filter(project=project).count()
    assert proposals["Unterstützungen"] == Support.objects.filter(proposal__project=project).count()
    steps = [row[0] for row in book["Nächste Schritte"].iter_rows(values_only=True)][1:]
    running = project.phases.filter(end__gt=timezone.now()).order_by("start", "pk")
    assert steps == [p.name for p in running] and "Abstimmen" in steps
    assert "Ideen sammeln" not in steps
    debates = [row for row in book["Debatten"].iter_rows(values_only=True) if row[0]]
    assert "Soll der Markt autofrei werden?" in [row[0] for row in debates]


def test_small_groups_are_withheld(town):
    """Three people from one Ortsteil: their figures read "weniger als 5"."""
    project, place = town["project"], town["districts"][0]
    for i in range(3):
        Proposal.objects.create(
            project=project,
            title=f"Klein {i}",
            text="T",
            author=UserFactory(),
            district=place,
        )
    data = report_build.collect(project)
    row = next(f for f in data.districts if f.label == place.name)
    assert row.contributions is None and row.people is None
    book = load_workbook(io.BytesIO(_make(town).xlsx.open("rb").read()))
    cells = [
        r for r in book["Kanäle und Ortsteile"].iter_rows(values_only=True) if r[0] == place.name
    ]
    assert cells == [(place.name, "weniger als 5", "weniger als 5")]


def test_the_pages_render_as_pictures_that_are_not_blank(town, tmp_path):
    _fill(town, 80)
    report = _make(town)
    path = tmp_path / "bericht.pdf"
    path.write_bytes(report.pdf.open("rb").read())
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", str(path), str(tmp_path / "seite")],
        check=True,
        timeout=120,
    )
    pictures = sorted(tmp_path.glob("seite-*.png"))
    assert len(pictures) == report.pages >= 4  # cover, summary, contributions, reach
    for picture in pictures:
        image = Image.open(picture).convert("L")
        darkest, lightest = image.getextrema()
        assert darkest < 100 and lightest > 200, picture.name  # ink on paper
        dark = sum(image.histogram()[:200])
        assert dark > 50, picture.name


def test_generation_takes_the_same_queries_for_small_and_bigger_data(town):
    """Two projects alike but for the amount of data (each with one survey and one debate):
    40 against 2,000 contributions."""
    small_project = town["project"]
    big_project = ProjectFactory(organisation=town["organisation"], title="Groß")
    for phase in small_project.phases.all():
        PhaseFactory(project=big_project, name=phase.name, start=phase.start, end=phase.end)
    _fill(town, 40, tag="a")
    _fill({**town, "project": big_project}, 2000, tag="b")
    counted = []
    for project in (small_project, big_project):
        report = CouncilReport.objects.create(project=project)
        with CaptureQueriesContext(connection) as queries:
            report_services.council_report_make(report_id=report.pk)
        report.refresh_from_db()
        assert report.done
        counted.append(len(queries))
    assert counted[0] == counted[1]
    assert counted[0] <= 40


# --- Who may make and download it -------------------------------------------------------

MATRIX = {
    "anonymous": None,  # sent to the login
    "resident": 403,
    "moderator": 403,
    "manager_own": 200,
    "manager_other": 403,
    "admin_own": 200,
    "admin_other": 403,
    "superuser": 200,
}


def test_permission_matrix_for_start_progress_and_download(
    client, town, django_capture_on_commit_callbacks
):
    project = town["project"]
    done = _make(town)
    page = reverse("dashboard:council_report", args=[project.slug])
    start = reverse("dashboard:council_report_start", args=[project.slug])
    download = reverse("dashboard:council_report_download", args=[project.slug, done.pk, "pdf"])
    for role, person in _people(town).items():
        client.logout()
        if person is not None:
            client.force_login(person)
        expected = MATRIX[role]
        before = CouncilReport.objects.count()
        for method, url in (("get", page), ("post", start), ("get", download)):
            with django_capture_on_commit_callbacks(execute=True):
                response = getattr(client, method)(url)
            if expected is None:
                assert response.status_code == 302 and "/konto/" in response["Location"]
                continue
            if method == "post" and expected == 200:
                assert response.status_code == 302, role
            else:
                assert response.status_code == expected, (role, url)
            if expected == 403:
                reason = decide(person, "dashboard.council_report", project).reason
                assert reason in unescape(response.content.decode()), role
        made = CouncilReport.objects.count() - before
        assert made == (1 if expected == 200 else 0), role
        if person is not None:
            allowed = decide(person, "dashboard.council_report", project).allowed
            assert allowed == (expected == 200), role


def test_the_page_lists_the_reports_and_downloads_the_files(
    client, town, django_capture_on_commit_callbacks
):
    _fill(town, 40)
    client.force_login(town["admin"])
    project = town["project"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboard:council_report_start", args=[project.slug]))
    assert response.status_code == 302
    report = CouncilReport.objects.get(project=project)
    page = client.get(reverse("dashboard:council_report", args=[project.slug]))
    assert page.status_code == 200 and "Refresh" not in page
    content = page.content.decode()
    assert "haben sich die Daten des Prozesses nicht geändert" in content
    pdf = client.get(
        reverse("dashboard:council_report_download", args=[project.slug, report.pk, "pdf"])
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"] and "no-store" in pdf["Cache-Control"]
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    with django_capture_on_commit_callbacks(execute=True):  # the data version moves
        Proposal.objects.create(project=project, title="Neu", text="T", author=UserFactory())
    content = client.get(reverse("dashboard:council_report", args=[project.slug])).content
    assert "Daten des Prozesses geändert" in content.decode()


def test_a_report_in_the_making_shows_progress_and_reloads(client, town):
    project = town["project"]
    CouncilReport.objects.create(project=project, state=ReportState.RUNNING, progress=40)
    client.force_login(town["admin"])
    page = reverse("dashboard:council_report", args=[project.slug])
    response = client.get(page)
    # The address in the header: Chromium ignores a bare "3" when the URL has a fragment.
    assert response["Refresh"] == f"3; url={page}"
    assert 'value="40"' in response.content.decode()
    # A second click while one is being made starts no second report.
    client.post(reverse("dashboard:council_report_start", args=[project.slug]))
    assert CouncilReport.objects.filter(project=project).count() == 1


def test_bad_input_is_404_never_500(client, town):
    other = ProjectFactory(organisation=town["organisation"])
    foreign = _make({**town, "project": other})
    mine = _make(town)
    client.force_login(town["admin"])
    slug = town["project"].slug
    urls = [
        reverse("dashboard:council_report_download", args=[slug, foreign.pk, "pdf"]),
        reverse("dashboard:council_report_download", args=[slug, mine.pk, "exe"]),
        reverse("dashboard:council_report_download", args=[slug, 999999, "xlsx"]),
        reverse("dashboard:council_report", args=["gibt-es-nicht"]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    queued = CouncilReport.objects.create(project=town["project"])
    url = reverse("dashboard:council_report_download", args=[slug, queued.pk, "pdf"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("dashboard:council_report_start", args=[slug])).status_code == 405


def test_a_failure_is_stored_and_the_page_says_so(client, town, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(report_build, "collect", broken)
    report = _make(town)
    assert report.state == ReportState.FAILED and "kaputt" in report.message
    client.force_login(town["admin"])
    page = client.get(reverse("dashboard:council_report", args=[town["project"].slug]))
    assert "Erstellung fehlgeschlagen" in page.content.decode()


def test_deleting_a_project_deletes_its_report_files(town, django_capture_on_commit_callbacks):
    report = _make(town)
    storage, names = report.pdf.storage, [report.pdf.name, report.xlsx.name]
    assert all(storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        town["project"].delete()
    assert not any(storage.exists(n) for n in names)


def test_the_link_on_my_projects(client, town):
    client.force_login(town["admin"])
    page = client.get(reverse("dashboard:my_projects")).content.decode()
    assert reverse("dashboard:council_report", args=[town["project"].slug]) in page
    client.force_login(
        MembershipFactory(organisation=town["organisation"], role=Role.MODERATOR).user
    )
    page = client.get(reverse("dashboard:my_projects")).content.decode()
    assert reverse("dashboard:council_report", args=[town["project"].slug]) not in page


def test_the_sections_come_from_the_modules_in_order(town):
    _fill(town, 40)
    data = report_build.collect(town["project"])
    assert [s.key for s in data.sections] == ["proposals", "polls", "debates"]
    channels = {f.label for f in data.channels}
    assert channels == {
        str(Channel(c).label)
        for c in (Channel.ONLINE, Channel.MARKET_STAND, Channel.WORKSHOP, Channel.MITMACHMOBIL)
    }
    debates = next(s for s in data.sections if s.key == "debates")
    assert (
        dict(debates.figures)["Debatten"] == Debate.objects.filter(project=town["project"]).count()
    )


def test_the_pdf_fetches_nothing_from_any_host(town, monkeypatch):
    """Every address in the HTML goes to the report's fetcher, which refuses it."""
    from mitmachen.dashboard import report_render

    asked = []
    refuse = report_render._refuse

    def spy(url):
        asked.append(url)
        return refuse(url)

    monkeypatch.setattr(report_render, "_refuse", spy)
    monkeypatch.setattr(
        report_render,
        "render_to_string",
        lambda *args, **kwargs: (
            '<!DOCTYPE html><html lang="de"><head><title>T</title>'
            '<link rel="stylesheet" href="https://example.org/a.css"></head>'
            '<body><img src="https://example.org/b.png" alt="B"><p>Text</p></body></html>'
        ),
    )
    pdf, pages = report_render.pdf(report_build.collect(town["project"]))
    assert pdf.startswith(b"%PDF") and pages == 1
    assert sorted(asked) == ["https://example.org/a.css", "https://example.org/b.png"]
