"""The iCal feeds: per event, per project, per Ortsteil and everything (``ical``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mitmachen.events.ical import calendar_response
from mitmachen.events.models import Event
from mitmachen.events.views import visible_event
from mitmachen.organisations.models import District
from mitmachen.projects.models import Project

FEED_PAST_DAYS = 90  # feeds keep recent past events, so a calendar app does not lose them
FEED_MAX = 1000


def published_feed(request: HttpRequest, events: Any, *, name: str, filename: str) -> HttpResponse:
    """Published events (a calendar app has no session) ending in the last 90 days or later."""
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    rows = events.published().filter(ends_at__gte=since).order_by("starts_at", "pk")[:FEED_MAX]
    return calendar_response(request, rows, name=name, filename=filename)


@require_http_methods(["GET"])
def feed_all(request: HttpRequest) -> HttpResponse:
    return published_feed(
        request, Event.objects.all(), name=_("Alle Veranstaltungen"), filename="veranstaltungen.ics"
    )


@require_http_methods(["GET"])
def feed_event(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    return calendar_response(request, [event], name=event.title, filename=f"veranstaltung-{pk}.ics")


@require_http_methods(["GET"])
def feed_project(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project, slug=slug)
    if not request.user.has_perm("projects.view_project", project):
        raise Http404
    return published_feed(
        request,
        Event.objects.filter(projects=project),
        name=project.title,
        filename=f"veranstaltungen-{project.slug}.ics",
    )


@require_http_methods(["GET"])
def feed_district(request: HttpRequest, slug: str, district_slug: str) -> HttpResponse:
    district = get_object_or_404(
        District.objects.select_related("organisation"),
        organisation__slug=slug,
        slug=district_slug,
    )
    return published_feed(
        request,
        Event.objects.filter(district=district),
        name=_("Veranstaltungen in %(name)s") % {"name": district.name},
        filename=f"veranstaltungen-{district.slug}.ics",
    )
