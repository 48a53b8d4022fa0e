"""Scheduled tasks (management commands, see docs/events.md): reminders the day before
and deleting old guest registrations."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mitmachen.events.models import (
    Registration,
    RegistrationStatus,
    Status,
)
from mitmachen.events.services.common import EVENT_REMINDER, LOCAL, _mail_guest, _site_url
from mitmachen.notifications.services import notify


def reminders_send(*, now: datetime | None = None) -> int:
    """Remind everyone with a place in a published, not cancelled event that starts
    tomorrow (Berlin date): accounts in-app and by mail, guests by mail. Returns the
    number of reminders sent.

    Each registration is reminded exactly once, also when runs overlap: a reminder is
    claimed by setting ``reminded_at`` only where it is still empty (one ``UPDATE``); a
    run that finds it set sends nothing. Safe to run every hour.
    """
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time.min), LOCAL)
    end = timezone.make_aware(datetime.combine(tomorrow + timedelta(days=1), time.min), LOCAL)
    due = (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            reminded_at__isnull=True,
            event__is_published=True,
            event__starts_at__gte=start,
            event__starts_at__lt=end,
        )
        .exclude(event__status=Status.CANCELLED)
        .select_related("event", "user")
        .order_by("pk")
    )
    site_url = _site_url()
    sent = 0
    for registration in due.iterator(chunk_size=200):
        if _remind(registration, now=now, site_url=site_url):
            sent += 1
    return sent


def _remind(registration: Registration, *, now: datetime, site_url: str) -> bool:
    """Claim and send one reminder; False when another run claimed it first."""
    with transaction.atomic():
        claimed = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(
            reminded_at=now
        )
        if not claimed:
            return False
        event = registration.event
        if registration.is_guest:
            _mail_guest(registration, "events/email/guest_reminder.txt", site_url)
            return True
        when = timezone.localtime(event.starts_at).strftime("%d.%m.%Y, %H:%M")
        title = _("Morgen: %(title)s") % {"title": event.title}
        where = ", ".join(p for p in (event.place_name, event.address) if p) or _("online")
        text = _("Wir erinnern Sie an Ihre Anmeldung: %(when)s Uhr, %(where)s.") % {
            "when": when,
            "where": where,
        }
        notify(
            recipients=[registration.user],
            kind=EVENT_REMINDER,
            title=title,
            url=event.get_absolute_url(),
            text=text,
            mail_subject=title,
            mail_body=text,
        )
        return True


def guests_delete(*, now: datetime | None = None, days: int | None = None) -> int:
    """Delete the guest registrations (name, address, answers) of events that ended more
    than ``days`` days ago (default: the setting ``EVENTS_GUEST_RETENTION_DAYS``, 30).
    Returns the number of registrations deleted."""
    now = now or timezone.now()
    if days is None:
        days = settings.EVENTS_GUEST_RETENTION_DAYS
    old = Registration.objects.filter(
        user__isnull=True, event__ends_at__lt=now - timedelta(days=days)
    )
    _total, per_model = old.delete()  # with their answers
    return per_model.get(Registration._meta.label, 0)
