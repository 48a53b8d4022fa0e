"""The climate module's rows in the platform-wide tests (``core/tests/module_contracts.py``)."""

from __future__ import annotations

from typing import Any

from mitmachen.climate.services import pending_import_create
from mitmachen.climate.tests.factories import IndicatorFactory, TargetFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory


def deletion_seed(seed: Any) -> set[tuple[str, str]]:
    """A file the person (staff of another municipality) uploaded for an import and has
    not confirmed yet: it carries the person's file name."""
    elsewhere = MembershipFactory(user=seed.person, role=Role.PROJECT_MANAGER).organisation
    pending_import_create(
        user=seed.person,
        indicator=IndicatorFactory(organisation=elsewhere),
        kind="csv",
        file_name=f"{seed.marker}.csv",
        data=b"datum;wert\n2020;1\n",
        options={"date": "datum", "value": "wert"},
    )
    return set()


def admin_scope_town_objects(town: Any) -> list[Any]:
    indicator = IndicatorFactory(organisation=town.organisation, title=f"Indikator {town.tag}")
    return [indicator, TargetFactory(indicator=indicator)]
