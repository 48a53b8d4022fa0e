"""What the climate views share: finding an indicator or campaign the visitor may
see, whether they may manage the data, and names of downloads."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from mitmachen.climate import permissions
from mitmachen.climate.models import (
    Campaign,
    Indicator,
)
from mitmachen.core.permissions import decide
from mitmachen.organisations.models import Organisation


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


class _Echo:
    def write(self, value: str) -> str:
        return value


def _file_name(indicator: Indicator, extension: str) -> str:
    example = "-beispieldaten" if indicator.is_example_data else ""
    return f"{indicator.organisation.slug}-{indicator.slug}{example}.{extension}"


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
