"""Climate data as a module (``projects.modules``): its pages hang off the municipality
(``/kommunen/<slug>/klima/``), it has no phase action, and the municipality page links
its dashboard."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Sum
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mitmachen.climate import statistics as climate_statistics
from mitmachen.climate.models import Aggregation, Indicator, Value
from mitmachen.climate.process_template import TEMPLATE_PART
from mitmachen.climate.selectors import year_key
from mitmachen.climate.words import places_for
from mitmachen.core.sections import Section
from mitmachen.organisations.models import District, Organisation
from mitmachen.projects.modules import (
    CachedModel,
    Gender,
    ModerationTarget,
    ParticipationModule,
)


def municipality_section(request: HttpRequest, organisation: Organisation) -> dict[str, Any] | None:
    indicators = list(
        Indicator.objects.published()
        .filter(organisation=organisation)
        .values_list("is_example_data", flat=True)
    )
    if not indicators:
        return None
    return {"count": len(indicators), "example_data": any(indicators)}


def district_section(request: HttpRequest, district: District) -> dict[str, Any] | None:
    """The latest year of each published indicator with values for this Ortsteil (one
    query)."""
    rows = (
        Value.objects.filter(district=district, indicator__is_published=True)
        .annotate(year=year_key())
        .values(
            "indicator_id",
            "indicator__title",
            "indicator__slug",
            "indicator__unit",
            "indicator__aggregation",
            "indicator__is_example_data",
            "year",
        )
        .annotate(s=Sum("value"), a=Avg("value"))
        .order_by("indicator__title", "indicator_id", "-year")
    )
    latest: dict[int, dict[str, Any]] = {}
    for r in rows:
        if r["indicator_id"] in latest:
            continue
        value = r["a"] if r["indicator__aggregation"] == Aggregation.MEAN else r["s"]
        latest[r["indicator_id"]] = {
            "title": r["indicator__title"],
            "url": reverse(
                "climate:indicator",
                kwargs={"slug": district.organisation.slug, "indicator": r["indicator__slug"]},
            ),
            "unit": r["indicator__unit"],
            "year": int(r["year"]),
            "value": value,
            "fmt": f"{places_for([value])}g",
            "example": r["indicator__is_example_data"],
        }
    if not latest:
        return None
    return {"figures": list(latest.values())}


def bench(context: Any) -> Any:
    from mitmachen.climate.bench import bench as pages

    return pages(context)


def demo(report: Any) -> None:
    from mitmachen.climate.demo import seed

    seed(report)


OBSERVATION_TARGET = ModerationTarget(
    model="climate.Observation",
    key="climate_observation",  # stored on reports and the log: never change it
    slug="klima-beobachtung",  # /melden/klima-beobachtung/<pk>/
    staff_slug="klima-beobachtungen",  # /verwaltung/moderation/klima-beobachtungen/<pk>/
    label=_("Beobachtung"),
    label_plural=_("Beobachtungen"),
    gender=Gender.FEMININE,
    subject=lambda o: (
        gettext("Beobachtung zu „%(title)s“ vom %(day)s")
        % {"title": o.campaign.title[:120], "day": o.observed_on.strftime("%d.%m.%Y")}
    ),
    yours=lambda o: (
        gettext("Ihre Beobachtung zu „%(title)s“ vom %(day)s")
        % {"title": o.campaign.title, "day": o.observed_on.strftime("%d.%m.%Y")}
    ),
    headline=lambda o: f"{o.campaign.title}: {o.answer()}",
    context=lambda o: str(o.campaign.title),
    template="climate/moderation/target.html",
    select_related=("project__organisation", "author", "campaign"),
    lock_order=40,
)


MODULE = ParticipationModule(
    label="climate",
    urls="mitmachen.climate.urls",
    sections=(
        Section(
            "municipality",
            "climate",
            "climate/sections/municipality.html",
            municipality_section,
            40,
        ),
        Section("district", "climate", "climate/sections/district.html", district_section, 40),
    ),
    # The climate pages (dashboard, indicator pages, downloads), the municipality and
    # the Ortsteil pages are not in the page cache (``core.page_cache`` caches the home
    # page and the project pages), so no climate row makes a cached page stale.
    not_on_public_pages=(
        "climate.Indicator",
        "climate.Value",
        "climate.Target",
        # Derived from the values by every import; shown only on the climate pages.
        "climate.MonthSummary",
        # A staff member's uploaded file between preview and import: never public.
        "climate.PendingImport",
        # Campaigns show on the climate pages of the municipality (not cached).
        "climate.Campaign",
        # Inhabitants per municipality and year: only the comparison "je Einwohner/in"
        # on the climate pages (not cached) reads them.
        "climate.Population",
    ),
    # Observations show on the climate pages (not cached), but the staff statistics
    # count them and keep their figures per project data version: a new, changed or
    # deleted observation must make them stale (moderation's hiding calls
    # ``changed()`` itself).
    page_cache=(CachedModel("climate.Observation"),),
    moderation_targets=(OBSERVATION_TARGET,),
    demo=demo,
    bench=bench,
    statistics=climate_statistics.statistics,
    template=TEMPLATE_PART,
)
