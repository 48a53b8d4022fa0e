"""allauth adapter: all account mail goes through the task queue."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.mail import EmailMessage

from mitmachen.accounts.tasks import enqueue_email


class QueuedEmail:
    """Stands in for a rendered message: ``send()`` enqueues it instead of sending."""

    def __init__(self, message: EmailMessage) -> None:
        self.message = message

    def send(self, fail_silently: bool = False) -> int:
        enqueue_email(self.message)
        return 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self.message, name)


class AccountAdapter(DefaultAccountAdapter):
    def render_mail(self, *args: Any, **kwargs: Any) -> Any:
        # allauth fills the context (site, e-mail, links) and renders; we only change
        # how the result is delivered.
        return QueuedEmail(super().render_mail(*args, **kwargs))
