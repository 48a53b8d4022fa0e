"""Mail sent in the background (a task of the Django Tasks API), for every app."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django_tasks import task


@task(queue_name="mail")
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str | None = None,
    from_email: str | None = None,
) -> int:
    """Send one e-mail. Arguments are plain strings so the task can be stored and retried."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email or settings.DEFAULT_FROM_EMAIL, to=to
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


def enqueue_email(message: EmailMessage) -> None:
    """Queue an already rendered message for sending."""
    html = next(
        (
            str(content)
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        None,
    )
    send_email.enqueue(
        subject=str(message.subject),
        body=str(message.body),
        to=list(message.to),
        html=html,
        from_email=message.from_email,
    )
