"""What was said at a meeting can become a measure (``projects.origins``): events are an
origin kind.

The measures module sits above events in the layers, so events import none of it. The
declaration lets staff turn an event that took place (a Werkstatttreffen, a city walk)
into a measure of its municipality ("Maßnahme daraus machen" in the box under the event,
drawn on ``event.footer``); the measure takes the event's title and what its
documentation says came out of it ("Was dabei herauskam"), else its description. The
people told are those whose registration was confirmed, as far as they have an account.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitmachen.events.models import Documentation, Event, RegistrationStatus, Status
from mitmachen.projects.origins import OriginKind


def _text(event: Event) -> str:
    summary = Documentation.objects.filter(event=event).values_list("summary", flat=True).first()
    return str(summary or event.description)


def took_place(event: Event) -> bool:
    """Only an event that is over and was not cancelled can be where a measure came from."""
    return event.status != Status.CANCELLED and event.ends_at < timezone.now()


def _visible(user: Any, rows: Any) -> Any:
    return rows.filter(pk__in=Event.objects.visible_to(user).values("pk"))


def _people(event: Event) -> Any:
    return get_user_model().objects.filter(
        event_registrations__event=event,
        event_registrations__status=RegistrationStatus.CONFIRMED,
    )


ORIGIN = OriginKind(
    key="veranstaltung",  # in addresses (/massnahmen/aus/veranstaltung/<id>/): keep it
    model="events.Event",
    label=_("Veranstaltung"),
    visible=_visible,
    title=lambda event: str(event.title),
    text=_text,
    organisation="organisation_id",
    project="",  # an event may belong to several projects or none
    select_related=("organisation",),
    footer="event.footer",
    ready=took_place,
    people=_people,
)
