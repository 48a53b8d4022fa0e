"""Writes for notifications. Other apps call ``notify``; the views call ``mark_read``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import Truncator

from mitmachen.core import person_cache
from mitmachen.core.mail import send_email
from mitmachen.notifications import kinds
from mitmachen.notifications.models import (
    ACTOR,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    URL_MAX_LENGTH,
    Notification,
    is_site_path,
)

if TYPE_CHECKING:
    from mitmachen.accounts.models import User


# Seeding demo data or importing: in-app notifications are written, but no e-mail leaves.
_mail_off: ContextVar[bool] = ContextVar("mitmachen_notification_mail_off", default=False)


@contextmanager
def without_mail() -> Iterator[None]:
    """Within this block ``notify`` writes notifications but queues no e-mails."""
    token = _mail_off.set(True)
    try:
        yield
    finally:
        _mail_off.reset(token)


def _plain(value: Any, limit: int) -> str:
    # Lazy strings (gettext_lazy) become the site language, not the language of whoever
    # caused the notification: the recipient did not choose the actor's language.
    with translation.override(settings.LANGUAGE_CODE):
        text = str(value).strip()
    return Truncator(text).chars(limit)


def notify(
    *,
    recipients: Iterable[User | None],
    kind: str,
    title: str,
    url: str,
    text: str = "",
    mail_subject: str | None = None,
    mail_body: str | None = None,
    exclude: User | None = None,
    actor: User | None = None,
) -> int:
    """Give each distinct active recipient one notification (see ``notify_rows``).

    Returns the number of notifications created.
    """
    return len(
        notify_rows(
            recipients=recipients,
            kind=kind,
            title=title,
            url=url,
            text=text,
            mail_subject=mail_subject,
            mail_body=mail_body,
            exclude=exclude,
            actor=actor,
        )
    )


@transaction.atomic
def notify_rows(
    *,
    recipients: Iterable[User | None],
    kind: str,
    title: str,
    url: str,
    text: str = "",
    mail_subject: str | None = None,
    mail_body: str | None = None,
    exclude: User | None = None,
    actor: User | None = None,
) -> list[Notification]:
    """Give each distinct active recipient one notification; optionally queue a mail each.

    ``recipients`` may be a list or a queryset (read once); ``None`` entries, inactive
    accounts and ``exclude`` (usually the person who caused the event) are skipped.
    ``url`` must be a path on this site ("/vorschlaege/5/"), ``kind`` one that an app
    declared (``notifications.kinds``); both are programming errors otherwise (``ValueError``).
    ``title`` and ``text`` are plain text, cut to 200 and 1,000 characters.
    A title that names the person who caused the event must not contain the name:
    pass ``actor`` and write ``{actor}`` (``models.ACTOR``) where the name goes; it is
    filled in when shown, so deleting that account removes the name ("gelöschtes Konto").

    With ``mail_subject`` and ``mail_body``, one e-mail per recipient with an address
    is queued through the mail task, only once the surrounding transaction commits
    (a rolled-back event sends nothing). Returns the notifications created, with their
    primary keys (for callers that link them, e.g. the weekly digest of followed
    projects). Costs one query to read a queryset of recipients and one INSERT.
    """
    if not kinds.known(kind):
        raise ValueError(f"Unknown notification kind {kind!r}.")
    if not is_site_path(url) or len(url) > URL_MAX_LENGTH:
        raise ValueError(f"Notification url must be a path on this site, not {url!r}.")
    title = _plain(title, TITLE_MAX_LENGTH)
    if not title:
        raise ValueError("A notification needs a title.")
    text = _plain(text, TEXT_MAX_LENGTH)
    if actor is not None and ACTOR not in title:
        raise ValueError(f"A notification with an actor needs {ACTOR} in its title.")

    excluded_pk = exclude.pk if exclude is not None else None
    people: dict[int, User] = {}
    for person in recipients:
        if person is None or not person.is_active or person.pk == excluded_pk:
            continue
        people.setdefault(person.pk, person)
    if not people:
        return []

    created = Notification.objects.bulk_create(
        Notification(
            recipient=person,
            kind=kind,
            title=title,
            text=text,
            url=url,
            actor=actor,
            names_actor=actor is not None,
        )
        for person in people.values()
    )
    # The unread count in their header (``core.person_cache``).
    person_cache.touch_on_commit(people)

    if mail_subject and mail_body and not _mail_off.get():
        subject = _plain(mail_subject, 998)  # RFC 5322 line limit; subjects are short anyway
        with translation.override(settings.LANGUAGE_CODE):
            body = str(mail_body)
        for address in sorted({p.email for p in people.values() if p.email}):
            # One callback per person: robust, so one failed enqueue does not stop the rest.
            transaction.on_commit(
                partial(send_email.enqueue, subject=subject, body=body, to=[address]),
                robust=True,
            )
    return created


def mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    """Mark the person's unread notifications as read: all, or those in ``notification_ids``.

    Ids of other people's notifications are ignored. One UPDATE; returns how many
    notifications changed (already read ones do not count).
    """
    if notification_ids is not None and not notification_ids:
        return 0
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    changed = unread.update(read_at=timezone.now())
    if changed:
        person_cache.touch_on_commit([user.pk])
    return changed


def unread_count(user: Any) -> int:
    """How many unread notifications the person has (0 for anonymous visitors, no query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
