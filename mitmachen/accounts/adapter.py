"""allauth adapter: account mail names the configured site and goes through the task queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.utils.encoding import force_str

from mitmachen.core.mail import enqueue_email
from mitmachen.core.rate_limit import client_ip


class QueuedEmail:
    """Stands in for a rendered message: ``send()`` enqueues it instead of sending."""

    def __init__(self, message: EmailMessage) -> None:
        self.message = message

    def send(self, fail_silently: bool = False) -> int:
        enqueue_email(self.message)
        return 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self.message, name)


@dataclass(frozen=True)
class ConfiguredSite:
    """What allauth's mail templates read from ``current_site``, taken from the settings.

    The sites framework's row is only synchronised when migrations run, and the host of
    the request may be an internal name behind the proxy; ``SITE_URL`` and
    ``PLATFORM_NAME`` are what residents know the platform by.
    """

    name: str
    domain: str


def configured_site() -> ConfiguredSite:
    return ConfiguredSite(
        name=settings.PLATFORM_NAME, domain=urlsplit(settings.SITE_URL).netloc or "localhost"
    )


def on_site(url: str) -> str:
    """``url`` (absolute or a path) as a link under ``SITE_URL``."""
    bits = urlsplit(url)
    path = bits.path or "/"
    if bits.query:
        path += f"?{bits.query}"
    if bits.fragment:
        path += f"#{bits.fragment}"
    return f"{settings.SITE_URL}{path}"


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # allauth builds links from the request's host and names the site from the
        # database row; both can differ from the address residents use.
        context = {
            **context,
            **{
                key: on_site(value)
                for key, value in context.items()
                if key.endswith("_url") and isinstance(value, str)
            },
            "current_site": configured_site(),
        }
        super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.PLATFORM_NAME}] {force_str(subject)}"

    def get_client_ip(self, request: HttpRequest) -> str:
        # The one notion of "the visitor's address" (behind the proxy: the address it
        # reports), so allauth's "ip" rate limits do not count the whole town as one.
        return client_ip(request)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # The "key" of the login_failed rate limit: the account *and* the address the
        # attempts come from. Wrong passwords from one address slow down that address
        # for that account only; the owner signing in from elsewhere is not locked out
        # (settings.ACCOUNT_RATE_LIMITS, docs/operations.md).
        login = credentials.get("email", credentials.get("username", "")).lower()
        return f"{login}|{self.get_client_ip(request)}"

    def render_mail(self, *args: Any, **kwargs: Any) -> Any:
        # allauth renders; we only change how the result is delivered.
        return QueuedEmail(super().render_mail(*args, **kwargs))
