"""The filters of the project list (django-filter).

The values live in the URL (German parameter names) so a filtered list can be shared.
An invalid value – an unknown slug or Ortsteil, a made-up state – fails only its own
field: the form reports it and the list is filtered by the valid ones, never an error
page (``FilterSet.qs`` filters with the fields that passed validation).
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField

from mitmachen.organisations.models import District, Organisation
from mitmachen.projects.models import ProjectQuerySet, ProjectState, Topic


class DistrictChoiceField(ModelChoiceField):
    """Ortsteile of several municipalities in one list: each option names its municipality."""

    def label_from_instance(self, obj: District) -> str:
        return f"{obj.name} ({obj.organisation.display_name})"


class DistrictFilter(django_filters.ModelChoiceFilter):
    field_class = DistrictChoiceField


class ProjectFilter(django_filters.FilterSet):
    """Municipality (also as a partner), topic, Ortsteil and time of the visible projects.

    Pass ``request.GET or None``: without parameters the form is unbound and shows no
    errors.
    """

    kommune = django_filters.ModelChoiceFilter(
        label=_("Kommune"),
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        empty_label=_("alle Kommunen"),
        method="filter_organisation",
    )
    thema = django_filters.ModelChoiceFilter(
        field_name="topics",
        label=_("Thema"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label=_("alle Themen"),
    )
    ortsteil = DistrictFilter(
        field_name="districts",
        label=_("Ortsteil"),
        queryset=District.objects.select_related("organisation").order_by("name"),
        empty_label=_("alle Ortsteile"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Zeitraum"),
        choices=ProjectState.choices,
        empty_label=_("alle"),
        method="filter_state",
    )

    def filter_organisation(
        self, queryset: ProjectQuerySet, name: str, value: Organisation
    ) -> ProjectQuerySet:
        return queryset.for_organisation(value)

    def filter_state(self, queryset: ProjectQuerySet, name: str, value: str) -> ProjectQuerySet:
        return queryset.in_state(value)
