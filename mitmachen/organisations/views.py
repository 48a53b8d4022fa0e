from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from mitmachen.core.sections import draw
from mitmachen.organisations import services
from mitmachen.organisations.forms import AccessibilityFeedbackForm
from mitmachen.organisations.models import District, Organisation, hex_colour

LEGAL_PAGES = {
    "impressum": ("imprint", gettext_lazy("Impressum")),
    "datenschutz": ("privacy", gettext_lazy("Datenschutzerklärung")),
    "barrierefreiheit": ("accessibility", gettext_lazy("Erklärung zur Barrierefreiheit")),
}


def districts_geojson(districts: Any) -> dict[str, Any]:
    """A FeatureCollection of Ortsteile for the map (embedded with json_script)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": d.geometry,
                "properties": {"id": d.pk, "name": d.name, "url": d.get_absolute_url()},
            }
            for d in districts
            if d.geometry
        ],
    }


@require_http_methods(["GET"])
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.all()
    return render(request, "organisations/organisation_list.html", {"organisations": organisations})


@require_http_methods(["GET"])
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    districts = list(organisation.districts.select_related("organisation"))
    context = {
        "organisation": organisation,
        "districts": districts,
        "districts_geojson": districts_geojson(districts),
        # What the apps above add (core.sections): its projects, …
        "sections": draw(request, "municipality", organisation),
        "demo_boundaries": any(d.is_demo_boundary for d in districts),
    }
    return render(request, "organisations/organisation_detail.html", context)


@require_http_methods(["GET"])
def district_detail(request: HttpRequest, slug: str, district_slug: str) -> HttpResponse:
    district = get_object_or_404(
        District.objects.select_related("organisation"),
        organisation__slug=slug,
        slug=district_slug,
    )
    context = {
        "district": district,
        "organisation": district.organisation,
        "sections": draw(request, "district", district),
        "districts_geojson": districts_geojson([district]),
    }
    return render(request, "organisations/district_detail.html", context)


@require_http_methods(["GET"])
def organisation_theme(request: HttpRequest, slug: str) -> HttpResponse:
    """The municipality's colour as a stylesheet (the CSP forbids inline styles)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    colour = (
        organisation.primary_color if re.match(hex_colour.regex, organisation.primary_color) else ""
    )
    css = f":root {{ --mm-accent: {colour}; }}\n" if colour else ""
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def _operator() -> Organisation:
    operator = (
        Organisation.objects.filter(is_operator=True).first()
        or Organisation.objects.order_by("pk").first()
    )
    if operator is None:
        raise Http404
    return operator


@require_http_methods(["GET", "POST"])
def legal_page(request: HttpRequest, page: str, slug: str | None = None) -> HttpResponse:
    """Impressum, Datenschutz, Barrierefreiheit: of one municipality, or of the operator."""
    if page not in LEGAL_PAGES:
        raise Http404
    organisation = get_object_or_404(Organisation, slug=slug) if slug else _operator()
    field, title = LEGAL_PAGES[page]
    form = None
    if page == "barrierefreiheit":
        form = AccessibilityFeedbackForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.accessibility_feedback_submit(
                organisation=organisation, user=request.user, **form.cleaned_data
            )
            messages.success(
                request,
                _(
                    "Vielen Dank! Ihre Rückmeldung ist angekommen. Wir melden uns, "
                    "wenn Sie eine E-Mail-Adresse angegeben haben."
                ),
            )
            return redirect(request.path)
    elif request.method == "POST":
        return HttpResponse(status=405)
    context = {
        "organisation": organisation,
        "title": title,
        "body": getattr(organisation, field),
        "page": page,
        "form": form,
        "is_operator_page": slug is None,
    }
    return render(request, "organisations/legal_page.html", context)


# Leichte Sprache and Deutsche Gebärdensprache (BITV 2.0 § 4): the site's content, its
# navigation and the accessibility statement explained in both. The Leichte-Sprache
# pages are German in every interface language: the language is the offer.
EASY_LANGUAGE_PAGES = {
    "mitmachen": "organisations/easy_language/take_part.html",
    "registrieren": "organisations/easy_language/register.html",
}


@require_http_methods(["GET"])
def easy_language(request: HttpRequest, page: str | None = None) -> HttpResponse:
    """The Leichte-Sprache pages: what this site is, how to take part, how to register."""
    if page is not None and page not in EASY_LANGUAGE_PAGES:
        raise Http404
    organisations = list(Organisation.objects.all())
    # A fresh installation without any municipality still explains the site.
    operator = next((o for o in organisations if o.is_operator), None) or (
        min(organisations, key=lambda o: o.pk) if organisations else None
    )
    context: dict[str, Any] = {"organisations": organisations, "operator": operator}
    if page is None:
        context["sections"] = draw(request, "easy_language")
        template = "organisations/easy_language/index.html"
    else:
        template = EASY_LANGUAGE_PAGES[page]
    return render(request, template, context)


@require_http_methods(["GET"])
def easy_language_accessibility(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The accessibility statement in Leichte Sprache, with the municipality's own data."""
    organisation = get_object_or_404(Organisation, slug=slug) if slug else _operator()
    context = {"organisation": organisation, "is_operator_page": slug is None}
    return render(request, "organisations/easy_language/accessibility.html", context)


@require_http_methods(["GET"])
def sign_language(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The page in Deutsche Gebärdensprache: the video with captions and its transcript."""
    organisation = get_object_or_404(Organisation, slug=slug) if slug else _operator()
    context = {
        "organisation": organisation,
        "is_operator_page": slug is None,
        "other_videos": [
            o
            for o in Organisation.objects.exclude(pk=organisation.pk).exclude(
                sign_language_video=""
            )
            if o.has_sign_language_video
        ],
    }
    return render(request, "organisations/sign_language.html", context)


@require_http_methods(["GET"])
def sign_language_captions(request: HttpRequest, slug: str) -> FileResponse:
    """The WebVTT captions from our own host, with the type browsers require for <track>."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not organisation.sign_language_captions:
        raise Http404
    try:
        handle = organisation.sign_language_captions.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type="text/vtt; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response
