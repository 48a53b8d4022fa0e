"""The calendar's filters (django-filter): kind, municipality, Ortsteil, project.

German parameter names in the URL, so a filtered calendar can be shared. An unknown value
fails only its own field: the form says so and the others still filter.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from mitmachen.events.models import Event, Kind
from mitmachen.organisations.models import District, Organisation
from mitmachen.projects.filters import DistrictFilter
from mitmachen.projects.models import Project


def _visible_projects(request: Any) -> Any:
    return Project.objects.visible_to(request.user).order_by("title")


class EventFilter(django_filters.FilterSet):
    art = django_filters.ChoiceFilter(
        field_name="kind", label=_("Art"), choices=Kind.choices, empty_label=_("alle Arten")
    )
    kommune = django_filters.ModelChoiceFilter(
        field_name="organisation",
        label=_("Kommune"),
        queryset=Organisation.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("alle Kommunen"),
    )
    ortsteil = DistrictFilter(
        field_name="district",
        label=_("Ortsteil"),
        queryset=District.objects.select_related("organisation").order_by("name"),
        empty_label=_("alle Ortsteile"),
    )
    projekt = django_filters.ModelChoiceFilter(
        field_name="projects",
        label=_("Beteiligungsprozess"),
        # Only projects the visitor may see are offered (a draft's title stays private).
        queryset=_visible_projects,  # type: ignore[arg-type]  # django-filter takes a callable
        to_field_name="slug",
        empty_label=_("alle Beteiligungsprozesse"),
    )

    class Meta:
        model = Event
        fields: list[str] = []
