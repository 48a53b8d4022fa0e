"""Documentation after the event: "Was dabei herauskam", the protocol and the photos."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mitmachen.core.documents import validate_pdf
from mitmachen.core.images import sanitise_image
from mitmachen.core.permissions import decide
from mitmachen.events.models import (
    ALT_TEXT_MAX_LENGTH,
    MAX_DOCUMENTATION_IMAGES,
    MAX_PARTICIPANTS,
    SUMMARY_MAX_LENGTH,
    Documentation,
    DocumentationImage,
    Event,
)
from mitmachen.events.services.common import EVENT_DOCUMENTED
from mitmachen.notifications.services import notify

ALT_TEXT_REQUIRED = gettext_lazy(
    "Bitte beschreiben Sie, was auf dem Bild zu sehen ist (für Menschen, die es "
    "nicht sehen können)."
)
IMAGE_MISSING = gettext_lazy("Zur Bildbeschreibung fehlt das Bild.")


def _delete_file_on_commit(file: Any) -> None:
    """Remove a replaced or removed upload from storage once the change is committed (a
    rollback keeps it, as it keeps the row that names it)."""
    if file:
        storage, name = file.storage, file.name
        transaction.on_commit(lambda: storage.delete(name))


def _documented_recipients(event: Event) -> Any:
    """People registered with an account (a place or on the waitlist) and the followers
    of the event's projects: one query."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            Q(event_registrations__event=event) | Q(follows__project__in=event.projects.all())
        )
        .distinct()
    )


def summary_errors(summary: str, participants: int | None) -> dict[str, Any]:
    """The German messages for a bad summary (stripped) or number of participants, by
    field; empty when both are fine. ``past_event_record`` asks this too, before it
    creates the event."""
    errors: dict[str, Any] = {}
    if not summary:
        errors["summary"] = _("Bitte schreiben Sie, was bei der Veranstaltung herauskam.")
    elif len(summary) > SUMMARY_MAX_LENGTH:
        errors["summary"] = _("Höchstens 20.000 Zeichen, bitte.")
    if participants is not None and not 0 <= participants <= MAX_PARTICIPANTS:
        errors["participants"] = _("Bitte geben Sie eine Zahl von 0 bis 100.000 an.")
    return errors


@transaction.atomic
def documentation_save(
    *,
    user: Any,
    event: Event,
    summary: str,
    participants: int | None = None,
    protocol: Any = None,
    remove_protocol: bool = False,
    image: Any = None,
    alt_text: str = "",
    remove_images: Iterable[int] = (),
) -> Documentation:
    """Write "Was dabei herauskam" for an event that is over: the summary (Markdown), the
    number of participants (``None``: not counted), the
    protocol (a PDF, checked and rewritten by ``core.documents.validate_pdf``; replaced,
    kept or removed), one new photo with its required description (``sanitise_image``
    drops the metadata), and photos to remove.

    Everything is checked before anything is written: bad input raises ``ValidationError``
    with German messages and stores nothing. The event row is locked, so two staff saving
    at once make one documentation, and only the first save tells the people registered
    with an account and the project followers (in-app), once.
    """
    decide(user, "events.document", event).raise_if_refused()
    event = Event.objects.select_for_update().get(pk=event.pk)
    documentation = Documentation.objects.filter(event=event).first()
    summary = (summary or "").strip()
    errors = summary_errors(summary, participants)
    clean_protocol = None
    if protocol:
        try:
            clean_protocol = validate_pdf(protocol)
        except ValidationError as error:
            errors["protocol"] = error.messages
    existing = list(documentation.images.all()) if documentation else []
    removing = [i for i in existing if i.pk in set(remove_images)]
    alt_text = (alt_text or "").strip()
    clean_image = None
    if image:
        if not alt_text:
            errors["alt_text"] = ALT_TEXT_REQUIRED
        elif len(alt_text) > ALT_TEXT_MAX_LENGTH:
            errors["alt_text"] = _("Höchstens 250 Zeichen, bitte.")
        elif len(existing) - len(removing) >= MAX_DOCUMENTATION_IMAGES:
            errors["image"] = _("Höchstens %(n)s Bilder je Veranstaltung, bitte.") % {
                "n": MAX_DOCUMENTATION_IMAGES
            }
        try:
            clean_image = sanitise_image(image)
        except ValidationError as error:
            errors["image"] = error.messages
    elif alt_text:
        errors["image"] = IMAGE_MISSING
    if errors:
        raise ValidationError(errors)

    created = documentation is None
    if documentation is None:
        documentation = Documentation(event=event)
    documentation.summary = summary
    documentation.participants = participants
    if clean_protocol is not None or remove_protocol:
        _delete_file_on_commit(documentation.protocol)
        documentation.protocol = ""
        documentation.protocol_size = documentation.protocol_pages = None
    if clean_protocol is not None:
        content, pages = clean_protocol
        documentation.protocol.save(content.name or "protokoll.pdf", content, save=False)
        documentation.protocol_size, documentation.protocol_pages = content.size, pages
    documentation.full_clean(exclude=["event", "protocol"])
    documentation.save()
    for old in removing:
        _delete_file_on_commit(old.image)
        old.delete()
    if clean_image is not None:
        row = DocumentationImage(documentation=documentation, alt_text=alt_text)
        row.image.save(clean_image.name or "bild.jpg", clean_image, save=False)
        row.full_clean(exclude=["documentation", "image"])
        row.save()
    if created:
        title = _("Was herauskam: %(title)s") % {"title": event.title}
        notify(
            recipients=_documented_recipients(event),
            kind=EVENT_DOCUMENTED,
            title=title,
            url=event.get_absolute_url() + "#dokumentation",
            text=_("Die Dokumentation der Veranstaltung ist online."),
            exclude=user,
        )
    return documentation
