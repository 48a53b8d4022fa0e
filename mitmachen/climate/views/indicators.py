"""The dashboard, an indicator page (chart, table, target, summary), its single
values page and the embeddable chart."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from csp.decorators import csp_replace
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods

from mitmachen.climate import charts, selectors, words
from mitmachen.climate.importers import format_hour, format_number
from mitmachen.climate.models import (
    Aggregation,
    Campaign,
    Indicator,
    Resolution,
    SpatialLevel,
    Topic,
)
from mitmachen.climate.views.common import (
    _indicator,
    _may_manage,
)
from mitmachen.organisations.models import Organisation
from mitmachen.projects.models import Visibility


@require_http_methods(["GET"])
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    may_manage = _may_manage(request, organisation)
    found = Indicator.objects.filter(organisation=organisation).prefetch_related("targets")
    if not may_manage:
        found = found.published()
    indicators = list(found)
    for indicator in indicators:
        indicator.organisation = organisation  # for its address, without a query each
    years = selectors.yearly_of(indicators)
    topics: dict[str, list[dict[str, Any]]] = {}
    states = []
    for indicator in indicators:
        of = years.get(indicator.pk, [])
        topics.setdefault(indicator.topic, []).append(
            {
                "indicator": indicator,
                "summary": words.summary(indicator, of),
                "latest": of[-1] if of else None,
                "fmt": f"{words.places_for([y.value for y in of])}g",
            }
        )
        states += [words.target_state(t, of) for t in indicator.targets.all()]
    campaigns = Campaign.objects.filter(project__organisation=organisation).order_by(
        "-ends_on", "title"
    )
    if not may_manage:
        campaigns = campaigns.filter(project__visibility=Visibility.PUBLIC)
    context = {
        "organisation": organisation,
        "campaigns": list(campaigns),
        "today": timezone.localdate(),
        "topics": [(label, topics[key]) for key, label in Topic.choices if key in topics],
        "targets": states,
        "example_data": any(i.is_example_data for i in indicators),
        "may_manage": may_manage,
    }
    return render(request, "climate/dashboard.html", context)


@require_http_methods(["GET"])
def indicator_detail(request: HttpRequest, slug: str, indicator: str) -> HttpResponse:
    found, may_manage = _indicator(request, slug, indicator)
    months = selectors.monthly(found)
    extent = selectors.span(months)
    years = selectors.yearly(found, months)
    targets = list(found.targets.all())
    for each in targets:
        each.indicator = found
    target = targets[0] if targets else None
    # The chart's resolution (``?aufloesung=``): by default per date (per month for long
    # daily series); with a target per year, so that values and path compare.
    steps = selectors.steps_for(found)
    asked = request.GET.get("aufloesung", "")
    step = asked if asked in steps else ""
    if not step and target is not None and found.resolution != Resolution.YEAR:
        step = Resolution.YEAR
    hours, range_error = None, ""
    if step == Resolution.HOUR and extent.last is not None:
        (first, last), range_error = _hour_range(request, extent.last)
        hours = selectors.hours(found, first, last)
        line = selectors.Series(hours.points, False, step)  # type: ignore[arg-type]
    else:
        line = selectors.series(found, months, step)
    states = [words.target_state(t, years) for t in targets]
    # What other modules show under a target (section "climate.target", e.g. the
    # measures that work towards it): the climate module imports none of them.
    from mitmachen.core.sections import draw

    with_sections = [(state, draw(request, "climate.target", state.target)) for state in states]
    # The target path is drawn only over yearly points: a yearly target compared with
    # monthly or daily sums would mislead.
    path = target if target is not None and line.step == Resolution.YEAR else None
    chart = charts.line_chart(
        line.points,
        unit=found.unit,
        target=(
            (
                (path.baseline_year, path.baseline_value),
                (path.target_year, path.target_value),
            )
            if path
            else None
        ),
        max_points=selectors.CHART_POINTS,
    )
    places = words.places_for([y.value for y in years])
    kind, shares = selectors.breakdown(found, years[-1].year) if years else ("", [])
    bars = charts.bar_chart([(s.label, s.value) for s in shares], unit=found.unit, places=places)
    context = {
        "organisation": found.organisation,
        "indicator": found,
        "extent": extent,
        "years": years,
        "fmt": f"{places}g",  # floatformat with thousands separators
        "fmt_fine": f"{max(places, 1) if found.resolution != Resolution.YEAR else places}g",
        "chart": chart,
        "step": line.step,
        "point_words": _point_words(line.step, found.aggregation),
        "steps": [(str(s), Resolution(s).label) for s in steps],
        "step_chosen": bool(asked in steps),
        "path_hidden": target is not None and path is None,
        "hours": hours,
        "hour_rows": [(format_hour(at), v) for at, v in hours.points] if hours else [],
        "range_error": range_error,
        "max_hour_days": selectors.MAX_HOUR_DAYS,
        "summary": words.summary(found, years),
        "targets": with_sections,
        "breakdown_kind": kind,
        "shares": shares,
        "bars": bars,
        "latest_year": years[-1].year if years else None,
        "may_manage": may_manage,
        "has_peers": found.is_published and selectors.has_peers(found),
        "has_map": found.spatial_level == SpatialLevel.DISTRICT or kind == "ortsteil",
        "embed_code": _embed_code(request, found),
    }
    return render(request, "climate/indicator.html", context)


def _hour_range(request: HttpRequest, latest: date) -> tuple[tuple[date, date], str]:
    """The days the chart draws hour by hour (``?von=…&bis=…``, ISO dates from the
    form's date fields): at most ``MAX_HOUR_DAYS``; by default, and with a German
    message for a range it cannot draw, the last week with values."""
    default = (latest - timedelta(days=selectors.HOUR_DAYS_DEFAULT - 1), latest)
    asked_first, asked_last = request.GET.get("von", ""), request.GET.get("bis", "")
    if not asked_first and not asked_last:
        return default, ""
    try:
        first, last = date.fromisoformat(asked_first), date.fromisoformat(asked_last)
    except ValueError:
        return default, _(
            "Bitte geben Sie zwei Tage an (von und bis). Die Grafik zeigt die letzten "
            "7 Tage mit Werten."
        )
    if last < first:
        return default, _(
            "Der Tag „bis“ liegt vor dem Tag „von“. Die Grafik zeigt die letzten 7 Tage mit Werten."
        )
    if (last - first).days >= selectors.MAX_HOUR_DAYS:
        return default, _(
            "Stundenwerte zeigt die Grafik für höchstens %(days)d Tage. Die Grafik zeigt "
            "die letzten 7 Tage mit Werten."
        ) % {"days": selectors.MAX_HOUR_DAYS}
    return (first, last), ""


def _point_words(step: str, aggregation: str) -> str:
    """What one point of the line chart is, in a sentence (the chart's honesty)."""
    mean = aggregation == Aggregation.MEAN
    if step == Resolution.HOUR:
        return (
            _("Jeder Punkt ist der Mittelwert aller Werte einer Stunde.")
            if mean
            else _("Jeder Punkt ist die Summe aller Werte einer Stunde.")
        )
    if step == Resolution.DAY:
        return (
            _("Jeder Punkt ist der Mittelwert aller Werte eines Tages.")
            if mean
            else _("Jeder Punkt ist die Summe aller Werte eines Tages.")
        )
    if step == Resolution.MONTH:
        return (
            _("Jeder Punkt ist der Mittelwert aller Werte eines Monats.")
            if mean
            else _("Jeder Punkt ist die Summe aller Werte eines Monats.")
        )
    return (
        _("Jeder Punkt ist der Mittelwert aller Werte eines Jahres.")
        if mean
        else _("Jeder Punkt ist die Summe aller Werte eines Jahres.")
    )


def _embed_code(request: HttpRequest, indicator: Indicator) -> str:
    address = request.build_absolute_uri(
        reverse(
            "climate:embed",
            kwargs={"slug": indicator.organisation.slug, "indicator": indicator.slug},
        )
    )
    title = f"{indicator.title} – {indicator.organisation.display_name}"
    return (
        f'<iframe src="{escape(address)}" title="{escape(title)}" width="100%" '
        'height="560" loading="lazy"></iframe>'
    )


@require_http_methods(["GET"])
def indicator_values(request: HttpRequest, slug: str, indicator: str) -> HttpResponse:
    """Every single value as a table, 100 per page (``?seite=``), in the order of the
    downloads: what the chart of a long series draws sampled, read in full."""
    found, _may = _indicator(request, slug, indicator)
    months = selectors.monthly(found)
    asked = request.GET.get("seite", "1")
    number = int(asked) if asked.isdigit() and len(asked) < 10 else 1
    page = selectors.values_page(found, months, number)
    context = {
        "organisation": found.organisation,
        "indicator": found,
        "page": page,
        # exactly as stored and as in the CSV (decimal comma), not rounded for display
        # an hourly value with its hour and zone (02:00 MESZ and 02:00 MEZ in October);
        # a value's point (GeoJSON import) as longitude, latitude: the list of the map
        "rows": [
            (
                format_hour(at) if at else date_format(day, "SHORT_DATE_FORMAT"),
                format_number(v),
                d,
                c,
                n,
                f"{format_number(lon)} / {format_number(lat)}" if lon is not None else "",
            )
            for day, v, d, c, n, at, lon, lat in page.rows
        ],
        "extent": selectors.span(months),
        "has_district": any(row[2] for row in page.rows),
        "has_category": any(row[3] for row in page.rows),
        "has_note": any(row[4] for row in page.rows),
        "has_point": any(row[6] is not None for row in page.rows),
    }
    return render(request, "climate/values.html", context)


@xframe_options_exempt
# django-csp types its decorators for views that take only the request.
@csp_replace({"frame-ancestors": ["*"]})  # type: ignore[arg-type]
@require_http_methods(["GET"])
def indicator_embed(request: HttpRequest, slug: str, indicator: str) -> HttpResponse:
    """The chart, its summary and source for a town's own website, in an iframe: any
    site may frame it (frame-ancestors *), and it sets no cookie. It never reads the
    session (no ``request.user``, no context processors, no CSRF token), so it is the
    same for everybody: published indicators only."""
    found = get_object_or_404(
        Indicator.objects.published().select_related("organisation"),
        organisation__slug=slug,
        slug=indicator,
    )
    months = selectors.monthly(found)
    years = selectors.yearly(found, months)
    line = selectors.series(found, months)
    chart = charts.line_chart(line.points, unit=found.unit, max_points=selectors.CHART_POINTS)
    html = render_to_string(
        "climate/embed.html",
        {
            "organisation": found.organisation,
            "indicator": found,
            "chart": chart,
            "summary": words.summary(found, years),
            "per_month": line.per_month,
            "years": years[-5:],
            "fmt": f"{words.places_for([y.value for y in years])}g",
            "page_url": request.build_absolute_uri(found.get_absolute_url()),
        },
    )
    return HttpResponse(html)
