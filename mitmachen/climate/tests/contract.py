"""The climate module's rows in the platform-wide tests (``core/tests/module_contracts.py``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from mitmachen.climate.models import Population
from mitmachen.climate.services import observation_submit, pending_import_create
from mitmachen.climate.tests.factories import IndicatorFactory, TargetFactory, campaign_in
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.projects.tests.factories import ProjectFactory


def deletion_seed(seed: Any) -> set[tuple[str, str]]:
    """A file the person (staff of another municipality) uploaded for an import and has
    not confirmed yet: it carries the person's file name. An observation in a campaign
    of Mitmach-Daten with the person's words (deleted with the account)."""
    elsewhere = MembershipFactory(user=seed.person, role=Role.PROJECT_MANAGER).organisation
    # A fresh copy of the account: seeds of other modules may have asked a permission of
    # ``seed.person`` already, which remembers the roles it had then (per request).
    staff = type(seed.person).objects.get(pk=seed.person.pk)
    pending_import_create(
        user=staff,
        indicator=IndicatorFactory(organisation=elsewhere),
        kind="csv",
        file_name=f"{seed.marker}.csv",
        data=b"datum;wert\n2020;1\n",
        options={"date": "datum", "value": "wert"},
    )
    campaign = campaign_in(ProjectFactory(organisation=seed.organisation))
    observation_submit(
        user=seed.person,
        campaign=campaign,
        data={
            "observed_on": timezone.localdate(),
            "district": seed.district,
            "place_description": f"{seed.marker} {seed.content}",
            "number_value": 35.5,
        },
    )
    return set()


def admin_scope_town_objects(town: Any) -> list[Any]:
    indicator = IndicatorFactory(organisation=town.organisation, title=f"Indikator {town.tag}")
    population = Population.objects.create(
        organisation=town.organisation, year=2024, inhabitants=11000, source="Beispiel"
    )
    return [indicator, TargetFactory(indicator=indicator), population]


def admin_scope_objects(town: Any, project: Any) -> list[Any]:
    return [campaign_in(project, title=f"Kampagne {project.slug}")]
