"""What the event services share: the notification kinds, the local time zone,
the guests' mails and the site's address for links in mails."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from mitmachen.core.mail import send_email
from mitmachen.events.models import (
    Registration,
)

EVENT_CHANGED = "event_changed"
EVENT_PROMOTED = "event_promoted"
EVENT_REMINDER = "event_reminder"
EVENT_DOCUMENTED = "event_documented"

LOCAL = ZoneInfo(settings.TIME_ZONE)


def _mail_guest(registration: Registration, template: str, site_url: str) -> None:
    context = {
        "registration": registration,
        "event": registration.event,
        "link": site_url.rstrip("/") + reverse("events:guest", args=[registration.token]),
        "event_link": site_url.rstrip("/") + registration.event.get_absolute_url(),
    }
    subject = render_to_string(template.replace(".txt", "_subject.txt"), context).strip()
    body = render_to_string(template, context)
    to = [registration.guest_email]
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=to))


def _site_url() -> str:
    """The site's address for links in mails written outside a request (the admin
    adding places, a command)."""
    from django.contrib.sites.models import Site

    return f"https://{Site.objects.get_current().domain}/"
