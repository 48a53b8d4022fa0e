"""What a notification is about: kinds that the apps sending notifications declare.

Notifications sit below the apps that send them, so they know no kind of their own but
``OTHER``. A participation module declares its kinds in its ``ParticipationModule``
(``notification_kinds``, e.g. proposals' "status_changed"); projects declares what
followers hear. The list at /benachrichtigungen/ shows each kind's label, and
``services.notify`` refuses a kind nobody declared.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

OTHER = "other"

_kinds: dict[str, Any] = {OTHER: _("Hinweis")}


def register(key: str, label: Any) -> None:
    if key in _kinds and _kinds[key] != label:
        raise ValueError(f"Notification kind {key!r} declared twice.")
    _kinds[key] = label


def known(key: str) -> bool:
    return key in _kinds


def choices() -> list[tuple[str, Any]]:
    """The choices of ``Notification.kind`` (a callable, so kinds added by apps count)."""
    return list(_kinds.items())
