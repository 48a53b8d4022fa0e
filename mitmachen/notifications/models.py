"""In-app notifications: short messages to one person, with a link into the platform."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from mitmachen.core.models import TimeStampedModel
from mitmachen.notifications import kinds

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 1000
URL_MAX_LENGTH = 500
# Stands in a stored title for the name of the person who caused the notification; the
# name itself is looked up when the notification is shown (see ``Notification.actor``).
ACTOR = "{actor}"


def is_site_path(url: str) -> bool:
    """Whether ``url`` is a path on this site ("/vorschlaege/5/"), never another host.

    Rejects "//host", "/\\host" (browsers read both as another host), schemes and
    control characters, so a stored link can be followed or redirected to safely.
    """
    return (
        bool(url)
        and url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=set())
    )


def validate_site_path(value: str) -> None:
    if not is_site_path(value):
        raise ValidationError(
            _("Bitte geben Sie einen Pfad auf dieser Website an, z. B. „/vorschlaege/5/“."),
            code="not_site_path",
        )


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: Any) -> NotificationQuerySet:
        """The person's notifications, newest first (served by the recipient/created index)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user).select_related("actor").order_by("-created_at", "-pk")

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(TimeStampedModel):
    """A message to one person in the platform ("Benachrichtigungen"), e.g. a status change.

    Written only by ``services.notify``, read in the list at /benachrichtigungen/ and
    counted in the header. ``title`` and ``text`` are stored as plain text in the
    language they were written in; ``url`` is a path on this site that the
    notification leads to. Unread while ``read_at`` is empty. Deleted with the account.

    Another person's name is never stored in the text: a title that names who caused
    the notification holds the placeholder ``{actor}`` (``names_actor``) and
    ``display_title`` fills in ``actor``'s public name when shown, "gelöschtes Konto"
    once that account is deleted (``actor`` becomes NULL).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("Art"), max_length=32, choices=kinds.choices, default=kinds.OTHER)
    title = models.CharField(_("Titel"), max_length=TITLE_MAX_LENGTH)
    text = models.TextField(_("Text"), max_length=TEXT_MAX_LENGTH, blank=True)
    url = models.CharField(
        _("Link"),
        max_length=URL_MAX_LENGTH,
        validators=[validate_site_path],
        help_text=_("Pfad auf dieser Website, z. B. „/vorschlaege/5/“."),
    )
    read_at = models.DateTimeField(_("gelesen am"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ausgelöst von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    names_actor = models.BooleanField(_("nennt die auslösende Person"), default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The list: one person's notifications, newest first.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list_idx"),
            # The header count and "mark all read": WHERE recipient = … AND read_at IS NULL.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    @admin.display(description=_("Titel"))
    def display_title(self) -> str:
        """The title as shown: with the actor's current public name filled in."""
        if not self.names_actor:
            return self.title
        from mitmachen.accounts.models import public_name

        title = self.title.replace(ACTOR, public_name(self.actor))
        if self.actor_id is None and self.title.startswith(ACTOR):
            title = title[:1].upper() + title[1:]  # "Gelöschtes Konto hat …"
        return title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def safe_url(self) -> str:
        """``url`` if it is a path on this site, else '' (rows written around validation)."""
        return self.url if is_site_path(self.url) else ""
