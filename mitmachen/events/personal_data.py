"""Contribution of the events app to "Meine Daten": the person's registrations and their
answers to the events' questions, and – for staff – the contributions they linked to an
event ("Was hier eingebracht wurde").

Registrations with the account belong to it (``CASCADE``): deleting the account deletes
them. Registrations as a guest with one of the account's e-mail addresses are deleted
with the account too (the eraser below): the person asked for everything to go. A link of
a contribution to an event keeps the event and the contribution but forgets who made it
(``EventContribution.linked_by``, ``SET_NULL``).
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Q

from mitmachen.core.registry import register, register_eraser
from mitmachen.events.models import EventContribution, Registration


@register("veranstaltungen")
def export_registrations(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "veranstaltung": r.event.title,
            "beginn": r.event.starts_at.isoformat(),
            "status": r.get_status_display(),
            "angemeldet_am": r.queued_at.isoformat() if r.queued_at else None,
            "anwesend_seit": r.checked_in_at.isoformat() if r.checked_in_at else None,
            "antworten": [{"frage": a.question.text, "antwort": a.value} for a in r.answers.all()],
        }
        for r in Registration.objects.filter(user=user)
        .select_related("event")
        .prefetch_related("answers__question")
    ]


@register("veranstaltungen_verknuepfte_beitraege")
def export_contribution_links(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "veranstaltung": link.event.title,
            "beginn": link.event.starts_at.isoformat(),
            "art": link.content_type.model,
            "nummer": link.object_id,
            "verknuepft_am": link.linked_at.isoformat(),
        }
        for link in EventContribution.objects.filter(linked_by=user).select_related(
            "event", "content_type"
        )
    ]


@register_eraser("veranstaltungen")
def erase_guest_registrations(user: Any) -> None:
    addresses = {
        user.email,
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    }
    matches = Q()
    for address in filter(None, addresses):
        matches |= Q(guest_email__iexact=address)
    if matches:
        Registration.objects.filter(matches, user__isnull=True).delete()
