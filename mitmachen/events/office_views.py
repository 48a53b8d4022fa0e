"""A project office's own page: where it is (address, map point on the Ortsteil map),
whether it is open now, its weekly hours, its next closures and public holidays, and how
to reach its contact person."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from mitmachen.events import opening_hours
from mitmachen.events.models import Office
from mitmachen.events.permissions import organises
from mitmachen.organisations import maps
from mitmachen.organisations.models import District


@require_http_methods(["GET"])
def office_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Published offices for everyone, drafts for the municipality's staff (404 for
    others). Four queries anonymous (office, hours, closures, Ortsteile), however many
    hours and closures."""
    now = opening_hours.local_now()
    office = Office.objects.visible_to(request.user).with_hours(now.date()).filter(pk=pk).first()
    if office is None:
        raise Http404
    drawn = None
    if office.lat is not None and office.lon is not None:
        districts = list(
            District.objects.filter(organisation_id=office.organisation_id)
            .order_by("name")
            .values_list("name", "geometry")
        )
        drawn = maps.points_map(districts, [(office.lon, office.lat)])
    context = {
        "office": office,
        "organisation": office.organisation,
        "state": opening_hours.state(office, now),
        "weekly": opening_hours.weekly(office),
        "closures": opening_hours.upcoming_closures(office, now.date(), limit=8),
        "map": drawn if drawn is not None and drawn.outlines else None,
        "staff": organises(request.user, office.organisation_id),
    }
    return render(request, "events/office_detail.html", context)
