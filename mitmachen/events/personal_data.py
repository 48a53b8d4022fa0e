"""Contribution of the events app to "Meine Daten": the person's registrations and their
answers to the events' questions.

Registrations with the account belong to it (``CASCADE``): deleting the account deletes
them. Registrations as a guest with one of the account's e-mail addresses are deleted
with the account too (the eraser below): the person asked for everything to go.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Q

from mitmachen.core.registry import register, register_eraser
from mitmachen.events.models import Registration


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
