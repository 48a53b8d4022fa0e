"""Recording a meeting after it took place ("Vergangene Veranstaltung nachtragen")."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mitmachen.core.permissions import decide
from mitmachen.events.models import Event
from mitmachen.events.services.documentation import documentation_save, summary_errors
from mitmachen.events.services.events import event_save
from mitmachen.projects.models import Project

MAX_YEARS_BACK = 10  # a typo in the year ("2016" for "2026") is caught, real records are not

# What a recorded meeting never has: it is over, so nobody registers for it.
CLOSED = {
    "registration_enabled": False,
    "capacity": None,
    "online_url_registered_only": False,
    "is_published": True,
}


@transaction.atomic
def past_event_record(
    *,
    user: Any,
    organisation: Any,
    summary: str,
    participants: int | None = None,
    projects: Iterable[Project] = (),
    **fields: Any,
) -> Event:
    """Enter a meeting of ``organisation`` that has already taken place, with what came out
    of it: the event (``fields`` as for ``event_create``: kind, title, starts_at, ends_at,
    place …), published, without registration, and its documentation (``summary``,
    ``participants``; photos and the protocol are added afterwards with
    ``documentation_save``).

    This is the one path by which a new event may start in the past
    (``Event.recorded_afterwards``). The whole meeting must be over, and not more than
    ten years ago. Only the municipality's administration and project managers may
    (``events.record_past``, the same people as ``event_save``). Every check runs before
    anything is written: bad input raises one ``ValidationError`` with all German
    messages by field and stores nothing. Followers of the event's projects hear of the
    documentation as for any event (``documentation_save``)."""
    decide(user, "events.record_past", organisation).raise_if_refused()
    event = Event(organisation=organisation, **{**fields, **CLOSED})
    event.recorded_afterwards = True
    errors: dict[str, Any] = {}
    try:
        event.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    now = timezone.now()
    if event.starts_at and event.starts_at >= now:
        errors.setdefault("starts_at", []).append(
            _(
                "Nachtragen lässt sich nur eine Veranstaltung, die schon stattgefunden hat. "
                "Künftige Termine legen Sie als neue Veranstaltung an."
            )
        )
    elif event.ends_at and event.ends_at >= now:
        errors.setdefault("ends_at", []).append(
            _("Die Veranstaltung ist noch nicht zu Ende; tragen Sie sie danach nach.")
        )
    if event.starts_at and event.starts_at < now - timedelta(days=365 * MAX_YEARS_BACK):
        errors.setdefault("starts_at", []).append(
            _("Das Datum liegt mehr als %(years)s Jahre zurück. Bitte prüfen Sie das Jahr.")
            % {"years": MAX_YEARS_BACK}
        )
    project_list = list(projects)
    if any(p.organisation_id != organisation.pk for p in project_list):
        errors["projects"] = [_("Diese Beteiligungsprozesse gehören zu einer anderen Kommune.")]
    summary = (summary or "").strip()
    errors.update(summary_errors(summary, participants))
    if errors:
        raise ValidationError(errors)
    event = event_save(user=user, event=event, projects=project_list)
    documentation_save(user=user, event=event, summary=summary, participants=participants)
    return event
