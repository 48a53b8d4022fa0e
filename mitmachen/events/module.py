"""Events as a participation module (``projects.modules``): "Nächste Termine" on the
project page, the home page, a municipality's page and an Ortsteil's page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitmachen.core.sections import Section
from mitmachen.events import council_report, opening_hours
from mitmachen.events.bench import bench
from mitmachen.events.models import Event, Office, Tour
from mitmachen.events.origin import ORIGIN
from mitmachen.events.permissions import records_past
from mitmachen.events.process_template import TEMPLATE_PART
from mitmachen.events.services import (
    EVENT_CHANGED,
    EVENT_DOCUMENTED,
    EVENT_PROMOTED,
    EVENT_REMINDER,
)
from mitmachen.projects.modules import ParticipationModule
from mitmachen.projects.permissions import sees_hidden

NEXT_COUNT = 5  # events a "Nächste Termine" section lists; the calendar has the rest


def _next(request: HttpRequest, **filters: Any) -> list[Event]:
    events = Event.objects.visible_to(request.user).upcoming().filter(**filters)
    return list(events.for_listing()[:NEXT_COUNT])


def project_section(request: HttpRequest, project: Any) -> dict[str, Any] | None:
    """One query: the project page has loaded the person's roles already (``sees_hidden``),
    and a project's events belong to its municipality (``services.event_save``)."""
    events_qs = Event.objects.filter(projects=project).upcoming()
    if not sees_hidden(request.user, project):
        events_qs = events_qs.published()
    events = list(events_qs.for_listing()[:NEXT_COUNT])
    return {"events": events, "filter": f"projekt={project.slug}"} if events else None


def municipality_section(request: HttpRequest, organisation: Any) -> dict[str, Any] | None:
    events = _next(request, organisation=organisation)
    return {"events": events, "filter": f"kommune={organisation.slug}"} if events else None


def district_section(request: HttpRequest, district: Any) -> dict[str, Any]:
    # Shown also when empty: the Ortsteil's iCal feed is worth subscribing to anyway.
    return {"events": _next(request, district=district), "filter": f"ortsteil={district.pk}"}


def home_section(request: HttpRequest, _obj: Any = None) -> dict[str, Any] | None:
    events = _next(request)
    return {"events": events, "filter": ""} if events else None


def _offices(request: HttpRequest, **filters: Any) -> list[dict[str, Any]]:
    """Offices with their state now, weekly hours and next closures: three queries
    (offices, hours, closures from today on), however many offices."""
    now = opening_hours.local_now()
    offices = Office.objects.visible_to(request.user).filter(**filters).with_hours(now.date())
    return [
        {
            "office": office,
            "state": opening_hours.state(office, now),
            "weekly": opening_hours.weekly(office),
            "closures": opening_hours.upcoming_closures(office, now.date()),
        }
        for office in offices
    ]


def municipality_offices(request: HttpRequest, organisation: Any) -> dict[str, Any] | None:
    offices = _offices(request, organisation=organisation)
    return {"offices": offices, "heading_level": 3} if offices else None


def district_offices(request: HttpRequest, district: Any) -> dict[str, Any] | None:
    offices = _offices(request, district=district)
    return {"offices": offices, "heading_level": 3} if offices else None


def municipality_tours(request: HttpRequest, organisation: Any) -> dict[str, Any] | None:
    """Tours of the municipality with stops still ahead: one query."""
    tours = list(
        Tour.objects.visible_to(request.user)
        .filter(organisation=organisation, stops__ends_at__gte=timezone.now())
        .distinct()
        .order_by("title", "pk")
    )
    return {"tours": tours} if tours else None


def footer_offices(request: HttpRequest, _obj: Any = None) -> dict[str, Any] | None:
    """The published offices of every municipality with today's hours – the same for every
    visitor (the footer is cached, ``core.sections.footer_html``): three queries."""
    today = opening_hours.local_now().date()
    offices = Office.objects.filter(is_published=True).with_hours(today)
    rows = [{"office": o, "today": opening_hours.today_text(o, today)} for o in offices]
    return {"offices": rows} if rows else None


def record_past_button(request: HttpRequest, _obj: Any = None) -> dict[str, Any] | None:
    """ "Vergangene Veranstaltung nachtragen" on the staff start page, for the people who
    plan a municipality's events (no query: the roles are read once per request)."""
    return {} if records_past(request.user) else None


def _demo(report: Any) -> None:
    from mitmachen.events.demo import demo

    demo(report)


MODULE = ParticipationModule(
    label="events",
    urls="mitmachen.events.urls",
    sections=(
        Section("project", "events", "events/sections/project.html", project_section, 5),
        Section("home", "events", "events/sections/home.html", home_section, 20),
        Section(
            "municipality", "events", "events/sections/municipality.html", municipality_section, 20
        ),
        Section("district", "events", "events/sections/district.html", district_section, 20),
        Section(
            "municipality", "offices", "events/sections/offices.html", municipality_offices, 15
        ),
        Section("district", "offices", "events/sections/offices.html", district_offices, 15),
        Section("municipality", "tours", "events/sections/tours.html", municipality_tours, 21),
        Section(
            "dashboard.tools",
            "events",
            "events/sections/record_past_button.html",
            record_past_button,
            150,
        ),
    ),
    # Events appear on the pages of their projects (a many-to-many relation, no single
    # project), on the home page and on municipality and Ortsteil pages: a change makes
    # every cached page stale. Events change rarely, a few times a week. Their
    # documentation ("Was dabei herauskam") shows on the event page and in the Rückblick;
    # a series' rule and the questions on registering show on the event page too.
    stale_everywhere=(
        "events.Event",
        "events.Series",
        "events.Question",
        "events.Documentation",
        "events.DocumentationImage",
        # Tours show on their page and the municipality page; offices on the
        # municipality and Ortsteil pages and in the footer of every page.
        "events.Tour",
        "events.Office",
        "events.OpeningHours",
        "events.Closure",
    ),
    # Registrations appear only on the event page and the staff's attendee list, neither
    # of them cached; the sections show no counts.
    # The answers to the questions only on the staff's attendee list.
    # The links of contributions to the event where they were collected show only on the
    # event page, which is not cached (drawn per person: hidden rows for staff).
    not_on_public_pages=("events.Registration", "events.Answer", "events.EventContribution"),
    notification_kinds=(
        (EVENT_CHANGED, _("Veranstaltung abgesagt oder verschoben")),
        (EVENT_PROMOTED, _("Von der Warteliste nachgerückt")),
        (EVENT_REMINDER, _("Erinnerung am Vortag einer Veranstaltung")),
        (EVENT_DOCUMENTED, _("Dokumentation einer Veranstaltung veröffentlicht")),
    ),
    demo=_demo,
    report=council_report.report,
    origins=(ORIGIN,),
    bench=bench,
    template=TEMPLATE_PART,
    footer=(
        Section("footer", "offices", "events/sections/footer_offices.html", footer_offices, 10),
    ),
)
