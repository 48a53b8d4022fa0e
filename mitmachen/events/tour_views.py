"""The Mitmachmobil tour: its timetable with the map, and its iCal feed."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mitmachen.events.feed_views import published_feed
from mitmachen.events.models import Event, Tour
from mitmachen.events.permissions import organises


def _visible_tour(request: HttpRequest, pk: int) -> Tour:
    tour = get_object_or_404(Tour.objects.select_related("organisation"), pk=pk)
    if not request.user.has_perm("events.view_tour", tour):
        raise Http404
    return tour


def _stop_point(stop: Event) -> dict[str, Any]:
    """A stop as a GeoJSON feature for the map (the timetable is its list equivalent)."""
    local = timezone.localtime(stop.starts_at)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [stop.lon, stop.lat]},
        "properties": {
            "title": f"{stop.district.name if stop.district else stop.place_name}",
            "when": f"{local:%d.%m.%Y}, {local:%H:%M}–{timezone.localtime(stop.ends_at):%H:%M}",
            "place": stop.place_name,
            "url": stop.get_absolute_url(),
            "cancelled": stop.is_cancelled,
        },
    }


@require_http_methods(["GET"])
def tour_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A tour's timetable (a table: the list equivalent of the map) and its map. The
    stops a person may see (drafts only for the municipality's staff); cancelled and
    moved stops stay with their note. Three queries (four signed in), however many stops."""
    tour = _visible_tour(request, pk)
    stops = list(
        Event.objects.visible_to(request.user)
        .filter(tour=tour)
        .select_related("district")
        .order_by("starts_at", "pk")
    )
    now = timezone.now()
    context = {
        "tour": tour,
        "stops": stops,
        "next_stop": next((s for s in stops if s.ends_at >= now and not s.is_cancelled), None),
        "now": now,
        "points": {
            "type": "FeatureCollection",
            "features": [_stop_point(s) for s in stops if s.lat is not None],
        },
        "staff": organises(request.user, tour.organisation_id),
    }
    return render(request, "events/tour_detail.html", context)


@require_http_methods(["GET"])
def feed_tour(request: HttpRequest, pk: int) -> HttpResponse:
    tour = _visible_tour(request, pk)
    return published_feed(
        request,
        Event.objects.filter(tour=tour),
        name=_("Mitmachmobil: %(title)s") % {"title": tour.title},
        filename=f"mitmachmobil-{tour.pk}.ics",
    )
