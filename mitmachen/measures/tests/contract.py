"""The measures module's rows in the platform-wide tests (``core/tests/module_contracts.py``)."""

from __future__ import annotations

from typing import Any

from mitmachen.measures.models import MeasureStatus
from mitmachen.measures.services import measure_follow
from mitmachen.measures.tests.factories import MeasureFactory


def deletion_seed(seed: Any) -> set[tuple[str, str]]:
    """The person follows a published measure (the follow goes with the account)."""
    measure = MeasureFactory(goal__field__organisation=seed.organisation)
    measure_follow(user=seed.person, measure=measure)
    return set()


def admin_scope_objects(town: Any, project: Any) -> list[Any]:
    measure = MeasureFactory(
        goal__field__organisation=town.organisation,
        goal__field__project=project,
        title=f"Maßnahme {project.slug}",
    )
    return [measure, measure.goal.field]


def admin_scope_town_objects(town: Any) -> list[Any]:
    return [
        MeasureStatus.objects.create(
            organisation=town.organisation, name=f"Status {town.tag}", kind="planned"
        )
    ]
