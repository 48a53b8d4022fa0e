"""What organisations adds to the pages below it (``core.sections``): the home page's map
of the municipalities and their Ortsteile."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mitmachen.core.sections import Section, register
from mitmachen.organisations.models import Organisation
from mitmachen.organisations.views import districts_geojson


def home(request: HttpRequest, _obj: Any = None) -> dict[str, Any]:
    organisations = list(Organisation.objects.prefetch_related("districts__organisation"))
    districts = [d for organisation in organisations for d in organisation.districts.all()]
    return {
        "organisations": organisations,
        "districts_geojson": districts_geojson(districts),
        "demo_boundaries": any(d.is_demo_boundary for d in districts),
    }


def register_all() -> None:
    register(Section("home", "organisations", "organisations/sections/home.html", home, 20))
