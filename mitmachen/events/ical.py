"""iCalendar (RFC 5545) feeds of events, made with the ``icalendar`` library.

Times are written with their time zone (``TZID=Europe/Berlin`` and its VTIMEZONE), so
calendar apps keep the local time across the daylight-saving change.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from mitmachen.events.models import Event, Status

LOCAL = ZoneInfo(settings.TIME_ZONE)


def _location(event: Event) -> str:
    return ", ".join(part for part in (event.place_name, event.address) if part)


def _vevent(request: HttpRequest, event: Event) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", f"veranstaltung-{event.pk}@{request.get_host()}")
    item.add("dtstamp", event.updated_at)
    item.add("last-modified", event.updated_at)
    item.add("dtstart", timezone.localtime(event.starts_at, LOCAL))
    item.add("dtend", timezone.localtime(event.ends_at, LOCAL))
    item.add("summary", event.title)
    item.add("url", request.build_absolute_uri(event.get_absolute_url()))
    description = event.description
    if event.status != Status.PLANNED:
        description = f"{event.get_status_display().upper()}: {event.status_note}\n\n{description}"
    if event.online_url and not event.online_url_registered_only:
        description = f"{description}\n\nOnline: {event.online_url}"
    if description.strip():
        item.add("description", description.strip())
    if event.is_in_person and _location(event):
        item.add("location", _location(event))
    elif event.online_url and not event.online_url_registered_only:
        item.add("location", event.online_url)
    if event.lat is not None and event.lon is not None:
        item.add("geo", (event.lat, event.lon))
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    item.add("categories", [event.get_kind_display()])
    return item


def calendar_response(
    request: HttpRequest, events: Iterable[Event], *, name: str, filename: str
) -> HttpResponse:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Mitmachen//Veranstaltungen//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    rows = list(events)
    for event in rows:
        calendar.add_component(_vevent(request, event))
    if rows:
        # The VTIMEZONE covers the feed's dates (its transitions, not 70 years of them).
        first = min(e.starts_at for e in rows).date() - timedelta(days=366)
        last = max(e.ends_at for e in rows).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
