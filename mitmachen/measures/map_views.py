"""The map of measures ("Karte der Maßnahmen"): the overview's filters, the measures with
a point or an area as numbered markers over the Ortsteile (SVG drawn on the server,
``maps``), and the same measures as a list beside it. Works without JavaScript; no
request to another host."""

from __future__ import annotations

from typing import cast

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from mitmachen.measures.filters import MeasureFilter
from mitmachen.measures.maps import measure_map
from mitmachen.measures.models import MeasureQuerySet
from mitmachen.measures.selectors import visible_measures
from mitmachen.organisations.models import District, Organisation

# Markers drawn at most (the rest are counted and listed on the overview).
MAP_LIMIT = 500


@require_http_methods(["GET"])
def measure_map_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    visible = visible_measures(request.user, organisation)
    filterset = MeasureFilter(
        request.GET or None, queryset=visible, organisation=organisation, user=request.user
    )
    shown = cast(MeasureQuerySet, filterset.qs.distinct()) if filterset.is_bound else visible
    located = Q(latitude__isnull=False) | Q(area__isnull=False)
    measures = list(
        shown.filter(located)
        .select_related("status")
        .defer("description", "status_reason")
        .order_by("title", "pk")[:MAP_LIMIT]
    )
    districts = list(
        District.objects.filter(organisation=organisation)
        .order_by("name")
        .values_list("name", "geometry")
    )
    context = {
        "organisation": organisation,
        "form": filterset.form,
        "filtered": filterset.is_bound,
        "map": measure_map(districts, measures),
        "located_count": len(measures),
        "unlocated_count": shown.exclude(located).count(),
        "limit": MAP_LIMIT,
        "any_demo": any(m.is_demo for m in measures),
        "overview": reverse("measures:overview", args=[organisation.slug]),
    }
    return render(request, "measures/map.html", context)
