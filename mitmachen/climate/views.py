"""The climate pages of a municipality: the dashboard, indicator pages with chart,
table and downloads, and the staff import (preview, then all or nothing)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods

from mitmachen.climate import charts, permissions, selectors, services, words
from mitmachen.climate.forms import ObservationForm
from mitmachen.climate.importers import MAX_ERRORS_SHOWN, ImportFileError, format_number
from mitmachen.climate.models import (
    Aggregation,
    Campaign,
    ImportState,
    Indicator,
    Observation,
    PendingImport,
    Resolution,
    SpatialLevel,
    Topic,
    Value,
)
from mitmachen.core.forms import attach_errors
from mitmachen.core.permissions import decide
from mitmachen.organisations.models import Organisation
from mitmachen.projects.models import Visibility

PREVIEW_ROWS = 10


def _may_manage(request: HttpRequest, organisation: Organisation) -> bool:
    return decide(request.user, "climate.manage_data", organisation).allowed


def _indicator(request: HttpRequest, slug: str, indicator: str) -> tuple[Indicator, bool]:
    found = get_object_or_404(
        Indicator.objects.select_related("organisation"), organisation__slug=slug, slug=indicator
    )
    may_manage = _may_manage(request, found.organisation)
    if not found.is_published and not may_manage:
        raise Http404
    return found, may_manage


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


def _point_words(step: str, aggregation: str) -> str:
    """What one point of the line chart is, in a sentence (the chart's honesty)."""
    mean = aggregation == Aggregation.MEAN
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


def _rows(indicator: Indicator) -> Iterator[tuple[Any, ...]]:
    return (
        Value.objects.filter(indicator=indicator)
        .order_by("date", "district__name", "category")
        .values_list("date", "value", "district__name", "category", "note")
        .iterator(chunk_size=5000)
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _file_name(indicator: Indicator, extension: str) -> str:
    example = "-beispieldaten" if indicator.is_example_data else ""
    return f"{indicator.organisation.slug}-{indicator.slug}{example}.{extension}"


@require_http_methods(["GET"])
def indicator_csv(request: HttpRequest, slug: str, indicator: str) -> StreamingHttpResponse:
    """Every value, semicolon-separated, UTF-8; importable again with the same columns.
    Source and licence are on the indicator page and in the JSON download."""
    found, _may = _indicator(request, slug, indicator)
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\n")

    def lines() -> Iterator[str]:
        yield writer.writerow(["datum", "wert", "ortsteil", "kategorie", "hinweis"])
        for day, value, district, category, note in _rows(found):
            yield writer.writerow(
                [day.isoformat(), format_number(value), district or "", category, note]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(found, "csv")}"'
    return response


@require_http_methods(["GET"])
def indicator_json(request: HttpRequest, slug: str, indicator: str) -> StreamingHttpResponse:
    """Every value with the indicator's description, source and licence."""
    found, _may = _indicator(request, slug, indicator)
    meta = {
        "titel": found.title,
        "beschreibung": found.explanation,
        "einheit": found.unit,
        "thema": found.get_topic_display(),
        "zeitliche_aufloesung": found.get_resolution_display(),
        "raeumliche_ebene": found.get_spatial_level_display(),
        "quelle": found.source,
        "quelle_url": found.source_url,
        "lizenz": found.licence,
        "zustaendig": found.responsible_body,
        "aktualisierung": found.update_rhythm,
        "kommune": found.organisation.name,
        "beispieldaten": found.is_example_data,
        "adresse": request.build_absolute_uri(found.get_absolute_url()),
    }

    def chunks() -> Iterator[str]:
        yield '{"indikator": ' + json.dumps(meta, ensure_ascii=False) + ', "werte": ['
        for i, (day, value, district, category, note) in enumerate(_rows(found)):
            row = {"datum": day.isoformat(), "wert": value}
            if district:
                row["ortsteil"] = district
            if category:
                row["kategorie"] = category
            if note:
                row["hinweis"] = note
            yield ("," if i else "") + json.dumps(row, ensure_ascii=False)
        yield "]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(found, "json")}"'
    return response


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
        "rows": [(day, format_number(v), d, c, n) for day, v, d, c, n in page.rows],
        "extent": selectors.span(months),
        "has_district": any(row[2] for row in page.rows),
        "has_category": any(row[3] for row in page.rows),
        "has_note": any(row[4] for row in page.rows),
    }
    return render(request, "climate/values.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_import(request: HttpRequest, slug: str, indicator: str) -> HttpResponse:
    """Step 1 uploads the file and shows a preview with every bad row; step 2 imports
    the previewed file (all or nothing)."""
    from mitmachen.climate.forms import ImportForm

    found, may_manage = _indicator(request, slug, indicator)
    if not may_manage:
        raise PermissionDenied(
            decide(request.user, "climate.manage_data", found.organisation).reason
        )
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"organisation": found.organisation, "indicator": found, "form": form}
    if request.method == "POST" and "pending" in request.POST:
        asked = str(request.POST.get("pending"))
        pending = PendingImport.objects.filter(
            pk=int(asked) if asked.isdigit() else 0,
            indicator=found,
            uploaded_by_id=request.user.pk,
        ).first()
        if pending is None:
            messages.error(
                request,
                _("Diese Vorschau gibt es nicht mehr. Bitte laden Sie die Datei erneut hoch."),
            )
            return redirect("climate:import", slug=slug, indicator=found.slug)
        if "discard" in request.POST:
            if pending.state in (ImportState.QUEUED, ImportState.RUNNING):
                messages.error(request, _("Dieser Import läuft schon."))
                return redirect("climate:import", slug=slug, indicator=found.slug)
            pending.delete()
            messages.info(request, _("Der Import wurde verworfen."))
            return redirect("climate:import", slug=slug, indicator=found.slug)
        try:
            result = services.pending_import_confirm(user=request.user, pending=pending)
        except (ImportFileError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect("climate:import", slug=slug, indicator=found.slug)
        if result is None:
            messages.info(
                request,
                _(
                    "Die Datei ist groß und wird im Hintergrund importiert. Den Stand sehen "
                    "Sie auf dieser Seite (neu laden)."
                ),
            )
            return redirect("climate:import", slug=slug, indicator=found.slug)
        if result.ok:
            messages.success(
                request,
                ngettext(
                    "%(n)d Wert importiert (%(first)s bis %(last)s); "
                    "%(old)d bisherige Werte dieses Zeitraums ersetzt.",
                    "%(n)d Werte importiert (%(first)s bis %(last)s); "
                    "%(old)d bisherige Werte dieses Zeitraums ersetzt.",
                    result.created,
                )
                % {
                    "n": result.created,
                    "first": result.first.strftime("%d.%m.%Y"),
                    "last": result.last.strftime("%d.%m.%Y"),
                    "old": result.replaced,
                },
            )
            return redirect(found.get_absolute_url())
        context.update(_preview(pending, result))
        form = ImportForm()
        context["form"] = form
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending, result = services.pending_import_create(
                user=request.user,
                indicator=found,
                kind=form.cleaned_data["kind"],
                file_name=upload.name,
                data=upload.read(),
                options=form.options(),
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            context.update(_preview(pending, result))
    jobs = list(
        PendingImport.objects.filter(indicator=found, uploaded_by_id=request.user.pk)
        .exclude(state=ImportState.PREVIEWED)
        .defer("data")
        .order_by("-created_at")[:10]
    )
    running = services.import_progress(j.pk for j in jobs if j.state == ImportState.RUNNING)
    for job in jobs:
        done, total = running.get(job.pk, (None, None))
        job.rows_done, job.rows_total = done, total  # type: ignore[attr-defined]
        job.percent = (  # type: ignore[attr-defined]
            done * 100 // total if done is not None and total else None
        )
    context["background"] = jobs
    context["background_running"] = any(
        j.state in (ImportState.QUEUED, ImportState.RUNNING) for j in jobs
    )
    return render(request, "climate/import.html", context)


def _preview(pending: PendingImport | None, result: services.ImportResult) -> dict[str, Any]:
    return {
        "pending": pending,
        "result": result,
        "preview_rows": result.parsed.rows[:PREVIEW_ROWS],
        "errors_shown": result.errors[:MAX_ERRORS_SHOWN],
        "errors_more": max(0, len(result.errors) - MAX_ERRORS_SHOWN),
    }


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
    }
    return render(request, "climate/map.html", context)


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


@require_http_methods(["GET"])
def catalogue_jsonld(request: HttpRequest) -> HttpResponse:
    """Every published indicator of every municipality in DCAT-AP.de (JSON-LD), for
    open-data portals to harvest (two queries, whatever the number of values)."""
    from django.conf import settings
    from django.db.models import Max, Min

    from mitmachen.climate import catalogue
    from mitmachen.climate.models import MonthSummary

    indicators = list(
        Indicator.objects.published()
        .select_related("organisation")
        .order_by("organisation__name", "title")
    )
    spans = {
        row["indicator_id"]: (row["first"], row["last"])
        for row in MonthSummary.objects.filter(indicator__is_published=True)
        .values("indicator_id")
        .annotate(first=Min("first"), last=Max("last"))
        .order_by()
    }

    def url(name: str, indicator: Indicator) -> str:
        return request.build_absolute_uri(
            reverse(
                f"climate:{name}",
                kwargs={"slug": indicator.organisation.slug, "indicator": indicator.slug},
            )
        )

    # The catalogue is German (dct:language DEU), whatever language the visitor chose.
    with translation.override("de"):
        document = catalogue.catalogue(
            address=request.build_absolute_uri(),
            home=request.build_absolute_uri("/"),
            title=settings.PLATFORM_NAME,
            datasets=[catalogue.dataset(i, spans.get(i.pk), url) for i in indicators],
            modified=max((i.updated_at for i in indicators), default=None),
        )
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1),
        content_type="application/ld+json; charset=utf-8",
    )


# Mitmach-Daten: campaigns and residents' observations.

OBSERVATIONS_PER_PAGE = 50
OPEN_LICENCE = "CC BY 4.0"


def _campaign(request: HttpRequest, slug: str, pk: int) -> Campaign:
    campaign = get_object_or_404(
        Campaign.objects.select_related("project__organisation"),
        pk=pk,
        project__organisation__slug=slug,
    )
    if not permissions.sees_campaign(request.user, campaign):
        raise Http404
    return campaign


def _answer_cell(observation: Observation, campaign: Campaign) -> str:
    observation.campaign = campaign  # for its unit, without a query
    return observation.answer()


@require_http_methods(["GET"])
def campaign_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The campaign: what it asks, whether (and why not) one may take part, its visible
    observations as points on a map of the Ortsteile, counted by Ortsteil, and as a
    table (50 per page) with a CSV download."""
    from mitmachen.organisations import maps
    from mitmachen.organisations.models import District

    campaign = _campaign(request, slug, pk)
    organisation = campaign.project.organisation
    visible = Observation.objects.filter(campaign=campaign).not_hidden()
    page = Paginator(
        visible.select_related("district").order_by("-observed_on", "-pk"), OBSERVATIONS_PER_PAGE
    ).get_page(request.GET.get("seite"))
    for observation in page:
        observation.campaign = campaign
    districts = list(
        District.objects.filter(organisation=organisation)
        .order_by("name")
        .values_list("pk", "name", "geometry")
    )
    counts = dict(
        visible.filter(district__isnull=False)
        .values("district_id")
        .annotate(n=Count("id"))
        .values_list("district_id", "n")
        .order_by()
    )
    points = [
        (lon, lat)
        for lon, lat in visible.filter(lon__isnull=False, lat__isnull=False).values_list(
            "lon", "lat"
        )
        if lon is not None and lat is not None
    ]
    drawn = maps.points_map([(name, geometry) for _pk, name, geometry in districts], points)
    decision = decide(request.user, "climate.contribute", campaign)
    context = {
        "organisation": organisation,
        "campaign": campaign,
        "page": page,
        "total": page.paginator.count,
        "map": drawn,
        "by_district": [(name, counts.get(pk, 0)) for pk, name, _g in districts],
        "without_district": page.paginator.count - sum(counts.values()),
        "points": len(points),
        "may_contribute": decision.allowed,
        "refusal": decision.reason,
        "running": campaign.is_running(timezone.localdate()),
        "licence": OPEN_LICENCE,
        "may_manage": _may_manage(request, organisation),
        "counted": Indicator.objects.filter(campaign=campaign).first(),
    }
    return render(request, "climate/campaign.html", context)


@require_http_methods(["GET"])
def campaign_csv(request: HttpRequest, slug: str, pk: int) -> StreamingHttpResponse:
    """Every visible observation, semicolon-separated, without anything about the
    person who reported it; licence CC BY 4.0 (said on the campaign page)."""
    campaign = _campaign(request, slug, pk)
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\n")
    rows = (
        Observation.objects.filter(campaign=campaign)
        .not_hidden()
        .order_by("observed_on", "pk")
        .values_list(
            "observed_on", "lon", "lat", "district__name", "place_description",
            "number_value", "choice_value", "yes_no", "photo", "photo_alt",
        )
        .iterator(chunk_size=2000)
    )  # fmt: skip
    media = request.build_absolute_uri(settings.MEDIA_URL)

    def lines() -> Iterator[str]:
        yield writer.writerow(
            ["tag", "laengengrad", "breitengrad", "ortsteil", "ort", "antwort", "einheit",
             "foto", "foto_beschreibung"]
        )  # fmt: skip
        for day, lon, lat, district, place, number, choice, yes_no, photo, alt in rows:
            if number is not None:
                answer = format_number(number)
            elif yes_no is not None:
                answer = "ja" if yes_no else "nein"
            else:
                answer = choice
            yield writer.writerow(
                [
                    day.isoformat(),
                    format_number(lon) if lon is not None else "",
                    format_number(lat) if lat is not None else "",
                    district or "",
                    place,
                    answer,
                    campaign.unit,
                    media + photo if photo else "",
                    alt,
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    example = "-beispieldaten" if campaign.is_example_data else ""
    name = f"{campaign.project.organisation.slug}-mitmach-daten-{campaign.pk}{example}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def observation_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Report an observation: works without JavaScript (Ortsteil and a description);
    with it, the map sets the point."""
    from mitmachen.organisations.views import districts_geojson

    campaign = _campaign(request, slug, pk)
    decision = decide(request.user, "climate.contribute", campaign)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = ObservationForm(
        request.POST or None,
        request.FILES or None,
        campaign=campaign,
        initial={"observed_on": timezone.localdate()},
    )
    if request.method == "POST" and decision.allowed and form.is_valid():
        try:
            observation = services.observation_submit(
                user=request.user, campaign=campaign, data=form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Danke! Ihre Beobachtung ist gespeichert und sichtbar."))
            return redirect(observation.get_absolute_url())
    districts = form.fields["district"].queryset  # type: ignore[attr-defined]
    context = {
        "organisation": campaign.project.organisation,
        "campaign": campaign,
        "form": form,
        "answer": form.answer_field(),
        "refusal": "" if decision.allowed else decision.reason,
        "districts_geojson": districts_geojson(districts),
    }
    status = 200 if decision.allowed else 403
    return render(request, "climate/observation_form.html", context, status=status)


def _observation(request: HttpRequest, slug: str, pk: int) -> Observation:
    from mitmachen.projects.permissions import sees_hidden

    observation = get_object_or_404(
        Observation.objects.select_related("campaign__project__organisation", "district"),
        pk=pk,
        project__organisation__slug=slug,
    )
    if not permissions.sees_campaign(request.user, observation.campaign):
        raise Http404
    if observation.is_hidden and not sees_hidden(request.user, observation.campaign.project):
        raise Http404
    return observation


@require_http_methods(["GET"])
def observation_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One observation with its photo; the report and moderation links (section
    ``climate_observation.footer``); its author may withdraw it."""
    from mitmachen.core.sections import draw

    observation = _observation(request, slug, pk)
    context = {
        "organisation": observation.campaign.project.organisation,
        "campaign": observation.campaign,
        "observation": observation,
        "own": request.user.is_authenticated and observation.author_id == request.user.pk,
        "footer": draw(request, "climate_observation.footer", observation),
    }
    return render(request, "climate/observation.html", context)


@login_required
@require_http_methods(["POST"])
def observation_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    observation = _observation(request, slug, pk)
    campaign = observation.campaign
    services.observation_delete(user=request.user, observation=observation)
    messages.success(request, _("Ihre Beobachtung ist gelöscht."))
    return redirect(campaign.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def campaign_indicator(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Staff turn a campaign's observations into an indicator (counts per Ortsteil and
    month) or count them again for the indicator made before."""
    from django.utils.text import slugify

    from mitmachen.climate.forms import CampaignIndicatorForm

    campaign = _campaign(request, slug, pk)
    organisation = campaign.project.organisation
    if not _may_manage(request, organisation):
        raise PermissionDenied(decide(request.user, "climate.manage_data", organisation).reason)
    existing = Indicator.objects.filter(campaign=campaign).first()
    form = CampaignIndicatorForm(
        request.POST if request.method == "POST" and existing is None else None,
        initial={
            "title": _("%(title)s: Beobachtungen je Ortsteil und Monat")
            % {"title": campaign.title},
            "slug": slugify(f"{campaign.title}-beobachtungen")[:80],
            "responsible_body": organisation.name,
        },
    )
    if request.method == "POST" and (existing is not None or form.is_valid()):
        try:
            indicator, counted = services.campaign_indicator_count(
                user=request.user,
                campaign=campaign,
                data=form.cleaned_data if existing is None else {},
                source_url=request.build_absolute_uri(campaign.get_absolute_url()),
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d Beobachtung gezählt, je Ortsteil und Monat.",
                    "%(n)d Beobachtungen gezählt, je Ortsteil und Monat.",
                    counted,
                )
                % {"n": counted},
            )
            return redirect(indicator.get_absolute_url())
    context = {
        "organisation": organisation,
        "campaign": campaign,
        "existing": existing,
        "form": form,
        "visible": Observation.objects.filter(campaign=campaign).not_hidden().count(),
    }
    status = 400 if form.errors else 200
    return render(request, "climate/campaign_indicator.html", context, status=status)
