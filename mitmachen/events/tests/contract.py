"""The events module's rows in the platform-wide tests (``core/tests/module_contracts.py``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from mitmachen.events.models import Registration, RegistrationStatus
from mitmachen.events.services import registration_register
from mitmachen.events.tests.factories import EventFactory


def deletion_seed(seed: Any) -> set[tuple[str, str]]:
    """The person's registration for an event (it goes with the account)."""
    event = EventFactory(organisation=seed.organisation, registration_enabled=True)
    registration_register(user=seed.person, event=event)
    return set()


def admin_scope_objects(town: Any, project: Any) -> list[Any]:
    event = EventFactory(
        organisation=town.organisation, district=town.districts[0], projects=[project]
    )
    registration = Registration.objects.create(
        event=event,
        user=town.resident,
        status=RegistrationStatus.CONFIRMED,
        queued_at=timezone.now(),
    )
    return [event, registration]
