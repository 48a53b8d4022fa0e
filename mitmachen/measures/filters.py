"""The filters of the "Umsetzung" overview (django-filter), in the URL with German names.

An invalid value (an unknown field or Ortsteil, a made-up status) fails only its own
field: the form says so and the list is filtered by the valid ones, never an error page.
"""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django.utils.translation import gettext_lazy as _

from mitmachen.measures.models import FieldOfAction, Measure, StatusKind
from mitmachen.organisations.models import District
from mitmachen.projects.models import Project


class MeasureFilter(django_filters.FilterSet):
    """Field of action, Ortsteil, status (by its meaning) and project of a municipality's
    measures. Pass ``request.GET or None`` and the municipality."""

    handlungsfeld = django_filters.ModelChoiceFilter(
        field_name="goal__field",
        label=_("Handlungsfeld"),
        queryset=FieldOfAction.objects.none(),
        empty_label=_("alle Handlungsfelder"),
    )
    ortsteil = django_filters.ModelChoiceFilter(
        field_name="districts",
        label=_("Ortsteil"),
        queryset=District.objects.none(),
        to_field_name="slug",
        empty_label=_("alle Ortsteile"),
    )
    status = django_filters.ChoiceFilter(
        field_name="status__kind",
        label=_("Status"),
        choices=StatusKind.choices,
        empty_label=_("alle"),
    )
    projekt = django_filters.ModelChoiceFilter(
        field_name="project",
        label=_("Beteiligungsprozess"),
        queryset=Project.objects.none(),
        to_field_name="slug",
        empty_label=_("alle"),
    )

    class Meta:
        model = Measure
        fields: list[str] = []

    def __init__(self, data: Any, *, organisation: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        cast(Any, self.filters["handlungsfeld"]).queryset = FieldOfAction.objects.filter(
            organisation=organisation
        )
        cast(Any, self.filters["ortsteil"]).queryset = District.objects.filter(
            organisation=organisation
        ).order_by("name")
        cast(Any, self.filters["projekt"]).queryset = (
            Project.objects.visible_to(user)
            .filter(organisation=organisation, measures__isnull=False)
            .distinct()
            .order_by("title")
        )
