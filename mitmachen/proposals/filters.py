"""The filters, search and order of a project's proposal list, map and GeoJSON (django-filter).

The values live in the URL (German parameter names) so a filtered list can be shared.
An invalid value – an Ortsteil of another project, a made-up status or channel, a search
over 100 characters – fails only its own field: the form reports it and the list is
filtered by the valid ones, never an error page (``FilterSet.qs`` filters with the fields
that passed validation).
"""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mitmachen.core.channels import Channel
from mitmachen.organisations.models import District
from mitmachen.projects.models import Project, Topic
from mitmachen.projects.selectors import districts_for
from mitmachen.proposals import selectors
from mitmachen.proposals.forms import custom_status_of, status_choices
from mitmachen.proposals.models import Proposal, ProposalStatus

SORTS = {
    "neueste": ("-created_at", _("neueste zuerst")),
    "unterstuetzt": ("-support_count", _("meiste Unterstützungen")),
    "aelteste": ("created_at", _("älteste zuerst")),
    "zufall": ("", _("zufällige Reihenfolge")),
}
DEFAULT_SORT = "neueste"


class ProposalFilter(django_filters.FilterSet):
    """Search, topic, Ortsteil, status (standard or the project's own), channel and order.

    The choices are the project's: its topics, its Ortsteile (``districts_for``) and its
    custom statuses. ``seed`` orders "zufällige Reihenfolge" (the same for one visitor on
    every page). Pass ``request.GET or None``: without parameters the form is unbound and
    shows no errors.
    """

    q = django_filters.CharFilter(label=_("Suche"), max_length=100, method="search")
    thema = django_filters.ModelChoiceFilter(
        field_name="topic",
        label=_("Thema"),
        queryset=Topic.objects.none(),
        to_field_name="slug",
        empty_label=_("alle Themen"),
    )
    ortsteil = django_filters.ModelChoiceFilter(
        field_name="district",
        label=_("Ortsteil"),
        queryset=District.objects.none(),
        empty_label=_("alle Ortsteile"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=ProposalStatus.choices,
        empty_label=_("alle"),
        method="filter_status",
    )
    kanal = django_filters.ChoiceFilter(
        field_name="channel", label=_("Kanal"), choices=Channel.choices, empty_label=_("alle")
    )
    # Declared last, so it orders what the filters above left.
    sortierung = django_filters.ChoiceFilter(
        label=_("Sortierung"),
        choices=[(key, label) for key, (_order, label) in SORTS.items()],
        empty_label=None,
        method="sort",
    )

    def __init__(
        self, data: Any = None, queryset: Any = None, *, project: Project, seed: int
    ) -> None:
        super().__init__(data, queryset)
        self.project = project
        self.seed = seed
        thema = cast(django_filters.ModelChoiceFilter, self.filters["thema"])
        thema.queryset = project.topics.all()
        ortsteil = cast(django_filters.ModelChoiceFilter, self.filters["ortsteil"])
        ortsteil.queryset = districts_for(project).order_by("name")
        self.filters["status"].extra["choices"] = status_choices(project)

    def search(self, queryset: QuerySet[Proposal], name: str, value: str) -> QuerySet[Proposal]:
        return selectors.search(queryset, value)

    def filter_status(
        self, queryset: QuerySet[Proposal], name: str, value: str
    ) -> QuerySet[Proposal]:
        # A custom status matches only its own proposals; a standard one also those whose
        # custom status stands for it.
        custom = custom_status_of(self.project, value)
        return queryset.filter(custom_status=custom) if custom else queryset.filter(status=value)

    def sort(self, queryset: QuerySet[Proposal], name: str, value: str) -> QuerySet[Proposal]:
        if value == "zufall":
            return selectors.shuffled(queryset, self.seed)
        return queryset.order_by(SORTS[value][0], "-pk")

    def chosen(self, name: str) -> str:
        """The valid value given for ``name``, or "" (none given, or an invalid one)."""
        if not self.is_bound or name in self.errors:
            return ""
        return self.form.cleaned_data.get(name) or ""

    @property
    def qs(self) -> QuerySet[Proposal]:
        if not hasattr(self, "_ordered_qs"):
            queryset = super().qs
            if not self.chosen("sortierung") and not self.chosen("q"):
                # No order chosen: newest first. A search without one keeps its own
                # order (best match first on PostgreSQL).
                queryset = queryset.order_by(SORTS[DEFAULT_SORT][0], "-pk")
            self._ordered_qs = queryset
        return self._ordered_qs
