"""Events' section of the council report (``events.council_report``): its figures worked
out in the test from the rows, the small-group rule on one event's registrations, the
same number of queries for few and many events, and the section in the PDF and its
HTML."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.channels import Channel
from mitmachen.events import council_report
from mitmachen.events.models import (
    Documentation,
    Event,
    EventContribution,
    Registration,
    RegistrationStatus,
    Status,
)
from mitmachen.events.tests.factories import EventFactory
from mitmachen.projects.models import Project
from mitmachen.projects.tests.factories import ProjectFactory
from mitmachen.proposals.models import Proposal
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def _event(project, *, days_ago, **fields):
    start = timezone.now() - timedelta(days=days_ago)
    return EventFactory(
        organisation=project.organisation,
        projects=[project],
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        **fields,
    )


def _register(event, n, status=RegistrationStatus.CONFIRMED):
    for _ in range(n):
        Registration.objects.create(
            event=event, user=UserFactory(), status=status, queued_at=timezone.now()
        )


def _offline_proposal(project, **fields):
    return ProposalFactory(
        project=project,
        author=None,
        channel=Channel.WORKSHOP,
        submitted_on=timezone.localdate(),
        offline_place="Werkstatt",
        **fields,
    )


def _link(event, row):
    EventContribution.objects.create(
        event=event, content_type=ContentType.objects.get_for_model(row), object_id=row.pk
    )


@pytest.fixture
def events(project):
    """Held: "Werkstatt" (3 days ago, 6 confirmed and 1 waitlisted, 12 participants
    documented, two proposals linked of which one is hidden) and "Stadtrundgang" (10 days
    ago, 2 confirmed, not documented). Cancelled: "Marktstand". Coming: "Sprechstunde"
    (1 confirmed). Not in the report: an unpublished event and another project's event."""
    workshop = _event(project, days_ago=3, title="Werkstatt", registration_enabled=True)
    _register(workshop, 6)
    _register(workshop, 1, RegistrationStatus.WAITLISTED)
    Documentation.objects.create(event=workshop, summary="Ideen gesammelt.", participants=12)
    _link(workshop, _offline_proposal(project, title="Bank am Teich"))
    _link(workshop, _offline_proposal(project, title="Versteckt", hidden_at=timezone.now()))
    walk = _event(project, days_ago=10, title="Stadtrundgang", registration_enabled=True)
    _register(walk, 2)
    _event(project, days_ago=5, title="Marktstand", status=Status.CANCELLED)
    coming = _event(project, days_ago=-7, title="Sprechstunde", registration_enabled=True)
    _register(coming, 1)
    _event(project, days_ago=4, title="Entwurf", is_published=False)
    _event(ProjectFactory(organisation=project.organisation), days_ago=2, title="Anderswo")
    return {"workshop": workshop, "walk": walk}


def test_figures_and_tables_worked_out_from_the_rows(project, events):
    section = council_report.report(project)
    in_project = Event.objects.filter(projects=project, is_published=True)
    now = timezone.now()
    held = in_project.exclude(status=Status.CANCELLED).filter(ends_at__lt=now)
    confirmed = Registration.objects.filter(event__in=held, status=RegistrationStatus.CONFIRMED)
    visible_links = EventContribution.objects.filter(
        event__in=held, object_id__in=Proposal.objects.filter(hidden_at__isnull=True)
    )
    # Worked out from the rows here, and the numbers the fixture's story gives.
    assert (held.count(), confirmed.count(), visible_links.count()) == (2, 8, 1)
    assert dict(section.figures) == {
        "Veranstaltungen, die stattgefunden haben": held.count(),
        "abgesagt": 1,
        "noch geplant": 1,
        "Teilnehmende laut Dokumentation": 12,
        "Anmeldungen zu stattgefundenen Veranstaltungen": confirmed.count(),
        "bei Veranstaltungen eingebrachte Beiträge": visible_links.count(),
    }
    tables = {t.title: t for t in section.tables}
    rows = {row[1]: row[2:] for row in tables["Veranstaltungen, die stattgefunden haben"].rows}
    # The walk's 2 registrations are fewer than five: not shown on their own.
    assert rows == {
        "Werkstatt": ("Workshop", "–", 6, 12, 1),
        "Stadtrundgang": ("Workshop", "–", "weniger als 5", "–", 0),
    }
    # The latest first.
    assert [row[1] for row in tables["Veranstaltungen, die stattgefunden haben"].rows] == [
        "Werkstatt",
        "Stadtrundgang",
    ]
    assert tables["Bei Veranstaltungen eingebracht"].rows == (("Vorschlag", "1 Vorschlag"),)


def test_few_registrations_in_all_are_not_shown_either(project):
    walk = _event(project, days_ago=2, title="Stadtrundgang", registration_enabled=True)
    _register(walk, 2)
    figures = dict(council_report.report(project).figures)
    assert figures["Anmeldungen zu stattgefundenen Veranstaltungen"] == "weniger als 5"


def test_no_published_event_no_section(project, events):
    Event.objects.filter(projects=project).update(is_published=False)
    assert council_report.report(project) is None


def test_queries_do_not_grow_with_the_events(project, events, django_assert_max_num_queries):
    council_report.report(project)  # content types are cached after the first read
    counted = []
    for n in (0, 30):
        for i in range(n):
            event = _event(project, days_ago=20 + i, title=f"Mehr {i}", registration_enabled=True)
            _register(event, 1)
            _link(event, _offline_proposal(project, title=f"Idee {i}"))
        with CaptureQueriesContext(connection) as queries:
            section = council_report.report(project)
        counted.append(len(queries))
        assert dict(section.figures)["Veranstaltungen, die stattgefunden haben"] == 2 + n
        assert dict(section.figures)["bei Veranstaltungen eingebrachte Beiträge"] == 1 + n
    assert counted[0] == counted[1]
    # Events with their counts, the links, and the proposals they refer to.
    with django_assert_max_num_queries(3):
        council_report.report(project)


def _flat(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
    return re.sub(r"(\w)[-\u2010] (\w)", r"\1\2", text)  # words hyphenated at a line's end


def test_the_section_in_the_pdf_and_its_html(project, events, settings, tmp_path):
    from mitmachen.dashboard import report_build, report_render

    settings.MEDIA_ROOT = tmp_path
    data = report_build.collect(project)
    assert "events" in [s.key for s in data.sections]
    laid_out = [(s, [(t, report_render.widths(t)) for t in s.tables]) for s in data.sections]
    html = render_to_string(
        "dashboard/report/print.html", {"data": data, "site": "", "sections": laid_out}
    )
    assert re.search(r"<h3>\d\. Veranstaltungen</h3>", html)
    assert "<td>Werkstatt</td><td>Workshop</td>" in html
    content, pages = report_render.pdf(data)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == pages
    text = _flat("\n".join(page.extract_text() for page in reader.pages))
    assert "Bei Veranstaltungen eingebracht" in text and "weniger als 5" in text


def test_the_demo_shows_the_section(demo_rows):
    project = Project.objects.get(slug="klimawerkstatt-flaeming")
    section = council_report.report(project)
    figures = dict(section.figures)
    held = Event.objects.filter(
        projects=project, is_published=True, ends_at__lt=timezone.now()
    ).exclude(status=Status.CANCELLED)
    assert figures["Veranstaltungen, die stattgefunden haben"] == held.count() >= 2
    # The two documented Klimawerkstatt meetings each have a contribution linked.
    assert figures["bei Veranstaltungen eingebrachte Beiträge"] >= 2
