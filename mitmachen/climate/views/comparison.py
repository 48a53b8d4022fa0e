"""An indicator next to the same indicator of the other municipalities, and its
Ortsteil map (choropleth with a table)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from shapely.geometry import shape

from mitmachen.climate import charts, selectors, words
from mitmachen.climate.models import Aggregation, Indicator, Value
from mitmachen.climate.views.common import (
    _indicator,
)


@require_http_methods(["GET"])
def indicator_comparison(request: HttpRequest, slug: str, indicator: str) -> HttpResponse:
    """The indicator next to the same indicator of the other municipalities (same
    address word and unit): one line per municipality, a table by year, a sentence."""
    found, _may = _indicator(request, slug, indicator)
    others = selectors.peers(found)
    if not others:
        raise Http404
    compared = [found, *others]
    years = selectors.yearly_of(compared)
    entries = [(i.organisation.display_name, years.get(i.pk, [])) for i in compared]
    chart = charts.multi_line_chart(
        [(name, [(y.year, y.value) for y in of]) for name, of in entries], unit=found.unit
    )
    all_years = sorted({y.year for _name, of in entries for y in of})
    by_year = [{y.year: y.value for y in of} for _name, of in entries]
    places = words.places_for([y.value for _name, of in entries for y in of])
    context = {
        "organisation": found.organisation,
        "indicator": found,
        "compared": compared,
        "chart": chart,
        "summary": words.comparison(found.unit, entries),
        "rows": [(year, [values.get(year) for values in by_year]) for year in all_years],
        "fmt": f"{places}g",
        "example_data": any(i.is_example_data for i in compared),
    }
    if found.aggregation == Aggregation.SUM:
        context.update(_per_inhabitant(found, compared, years))
    return render(request, "climate/comparison.html", context)


def _per_inhabitant(
    found: Indicator, compared: list[Indicator], years: dict[int, list[selectors.Year]]
) -> dict[str, Any]:
    """The comparison of absolute amounts (sums) per inhabitant, when every compared
    municipality has a number of inhabitants: each year's value divided by the figure
    of that year (or the latest year before it)."""
    figures = selectors.populations([i.organisation_id for i in compared])
    if not all(figures.get(i.organisation_id) for i in compared):
        return {"per_head": None}
    unit = _("%(unit)s je Einwohner/in") % {"unit": found.unit}
    divided = [
        (i, selectors.per_inhabitant(years.get(i.pk, []), figures[i.organisation_id]))
        for i in compared
    ]
    entries = [(i.organisation.display_name, [y for y, _f in rows]) for i, rows in divided]
    by_year = [{y.year: (y.value, of) for y, of in rows} for _i, rows in divided]
    all_years = sorted({year for values in by_year for year in values})
    places = words.places_for([y.value for _n, of in entries for y in of]) + 1
    return {
        "per_head": {
            "unit": unit,
            "chart": charts.multi_line_chart(
                [(name, [(y.year, y.value) for y in of]) for name, of in entries], unit=unit
            ),
            "summary": words.comparison(unit, entries),
            "rows": [(year, [values.get(year) for values in by_year]) for year in all_years],
            "fmt": f"{places}g",
            "sources": [
                (
                    i.organisation.display_name,
                    figures[i.organisation_id],
                    list(
                        dict.fromkeys((f.source, f.source_url) for f in figures[i.organisation_id])
                    ),
                )
                for i in compared
            ],
            "example_data": any(
                f.is_example_data for i in compared for f in figures[i.organisation_id]
            ),
        }
    }


# The most measuring points the map draws for a year (each a circle in the SVG).
MAX_MAP_POINTS = 2000


@require_http_methods(["GET"])
def indicator_map(request: HttpRequest, slug: str, indicator: str) -> HttpResponse:
    """The values of one year per Ortsteil as a map (choropleth) with a legend in words
    and a table of every Ortsteil; ``?jahr=`` chooses the year (default: the latest)."""
    from mitmachen.organisations import maps
    from mitmachen.organisations.models import District

    found, _may = _indicator(request, slug, indicator)
    years = [y.year for y in selectors.yearly(found, selectors.monthly(found))]
    asked = request.GET.get("jahr", "")
    notice = ""
    year = years[-1] if years else None
    if asked:
        if asked.isdigit() and int(asked) in years:
            year = int(asked)
        elif year is not None:
            notice = _("Für „%(asked)s“ gibt es keine Werte; die Karte zeigt %(year)d.") % {
                "asked": asked[:20],
                "year": year,
            }
    districts = list(
        District.objects.filter(organisation=found.organisation)
        .order_by("name")
        .values_list("pk", "name", "geometry")
    )
    values: dict[str, float] = {}
    if year is not None:
        by_id = selectors.by_district(found, year)
        values = {name: by_id[pk] for pk, name, _g in districts if pk in by_id}
    drawn = maps.choropleth(
        [(name, geometry) for _pk, name, geometry in districts], values, unit=found.unit
    )
    # The year's values that came with a point (GeoJSON import), over the areas in the
    # same projection; at most MAX_MAP_POINTS (the single values list every one).
    points: list[tuple[float, float]] = []
    if year is not None:
        located = Value.objects.filter(
            indicator=found,
            date__gte=date(year, 1, 1),
            date__lte=date(year, 12, 31),
            lon__isnull=False,
            lat__isnull=False,
        ).values_list("lon", "lat")[: MAX_MAP_POINTS + 1]
        frame = maps.frame_for([shape(g) for _pk, _name, g in districts if g])
        points = [frame.xy(lon, lat) for lon, lat in located if lon is not None and lat is not None]
    places = words.places_for(list(values.values()))
    context = {
        "organisation": found.organisation,
        "indicator": found,
        "year": year,
        "years": years,
        "notice": notice,
        "map": drawn,
        "drawn_areas": [a for a in drawn.areas if a.path],
        "summary": words.map_summary(found.unit, year, values) if year is not None else "",
        "fmt": f"{places}g",
        "without_value": sum(1 for a in drawn.areas if a.value is None),
        "points": points[:MAX_MAP_POINTS],
        "points_cut": len(points) > MAX_MAP_POINTS,
        "max_points": MAX_MAP_POINTS,
    }
    return render(request, "climate/map.html", context)
