"""Deployment check: mails and absolute links need the platform's public address."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register

LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1", "[::1]"}


@register(deploy=True)
def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    bits = urlsplit(settings.SITE_URL)
    if bits.scheme != "https" or (bits.hostname or "") in LOCAL_HOSTS:
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: confirmation and password-reset mails "
                "would link there.",
                hint="Set SITE_URL to the public address, e.g. https://beteiligung.example.org.",
                id="accounts.W001",
            )
        ]
    return []
