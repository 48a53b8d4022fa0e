"""Mitmach-Daten: campaigns, residents' observations (report, show, withdraw), the
campaign's CSV and the count of its observations as an indicator."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from mitmachen.climate import permissions, services
from mitmachen.climate.forms import ObservationForm
from mitmachen.climate.importers import format_number
from mitmachen.climate.models import (
    Campaign,
    Indicator,
    Observation,
)
from mitmachen.climate.views.common import (
    OPEN_LICENCE,
    _campaign,
    _Echo,
    _may_manage,
)
from mitmachen.core.forms import attach_errors
from mitmachen.core.permissions import decide

OBSERVATIONS_PER_PAGE = 50


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
