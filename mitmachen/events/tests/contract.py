"""The events module's rows in the platform-wide tests (``core/tests/module_contracts.py``)."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from mitmachen.core.channels import Channel
from mitmachen.events.models import (
    Closure,
    EventContribution,
    Frequency,
    Kind,
    Office,
    OpeningHours,
    Question,
    Registration,
    RegistrationStatus,
    Series,
    Tour,
)
from mitmachen.events.services import answer_key, guest_register, registration_register
from mitmachen.events.tests.factories import EventFactory
from mitmachen.projects.tests.factories import ProjectFactory
from mitmachen.proposals.tests.factories import ProposalFactory


def deletion_seed(seed: Any) -> set[tuple[str, str]]:
    """The person's registration for an event with an answer (both go with the account),
    and a guest registration with one of the account's addresses and an answer (erased
    with the account)."""
    event = EventFactory(organisation=seed.organisation, registration_enabled=True)
    question = Question.objects.create(event=event, text="Anmerkungen")
    registration_register(
        user=seed.person, event=event, answers={answer_key(question): f"{seed.marker} vegan"}
    )
    as_guest = EventFactory(organisation=seed.organisation, registration_enabled=True)
    guest_question = Question.objects.create(event=as_guest, text="Anmerkungen")
    guest_register(
        event=as_guest,
        name=f"{seed.marker} als Gast",
        email=seed.person.email,
        site_url="https://mitmachen.example/",
        answers={answer_key(guest_question): f"{seed.marker} Rollstuhl"},
    )
    # A link of a contribution to an event that the person made as staff ("Meine Daten";
    # the account's deletion empties ``linked_by``).
    meeting = EventFactory(organisation=seed.organisation)
    proposal = ProposalFactory(
        project=ProjectFactory(organisation=seed.organisation),
        author=None,
        channel=Channel.WORKSHOP,
        submitted_on=timezone.localdate(),
    )
    EventContribution.objects.create(
        event=meeting,
        content_type=ContentType.objects.get_for_model(proposal),
        object_id=proposal.pk,
        linked_by=seed.person,
    )
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
    series = Series.objects.create(
        organisation=town.organisation,
        title=event.title,
        frequency=Frequency.WEEKLY,
        until=timezone.localdate(event.starts_at),
    )
    event.series = series
    event.save(update_fields=["series"])
    Question.objects.create(event=event, text="Essen?")
    tour = Tour.objects.create(organisation=town.organisation, title=f"Tour {event.title}")
    EventFactory(
        organisation=town.organisation,
        district=town.districts[0],
        kind=Kind.VAN_STOP,
        tour=tour,
        lat=52.0,
        lon=12.0,
    )
    office = Office.objects.create(
        organisation=town.organisation,
        district=town.districts[0],
        name=f"Projektbüro {event.title}",
        address="Marktplatz 1",
        phone="0",
    )
    OpeningHours.objects.create(office=office, weekday=1, opens=time(10), closes=time(12))
    Closure.objects.create(
        office=office, starts_on=date(2099, 1, 1), ends_on=date(2099, 1, 1), reason="Feiertag"
    )
    return [event, registration, series, tour, office]
