"""allauth adapter: all account mail goes through the task queue."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter

from mitmachen.accounts.tasks import send_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        message = self.render_mail(template_prefix, email, context)
        html = None
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = str(content)
        send_email.enqueue(
            subject=str(message.subject),
            body=str(message.body),
            to=list(message.to),
            html=html,
            from_email=message.from_email,
        )
