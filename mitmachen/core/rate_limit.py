"""Fixed-window rate limits in the shared cache (Redis when configured).

Used where a request needs no account and could be repeated by a script: guest
answers to polls. The counter lives in the cache, so with Redis every app server
counts together; with the local memory cache each process counts on its own.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's address; behind a proxy (``BEHIND_PROXY``) the one it reports.

    The last entry of X-Forwarded-For is the one the own proxy added; earlier ones
    come from the client and could be forged.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, who: str, *, limit: int, window: int) -> bool:
    """Count one request of ``who`` in ``scope``; False once ``limit`` is exceeded.

    ``window`` is in seconds; the count starts again in each new window.
    """
    bucket = int(time.time() // window)
    key = f"mm:rl:{scope}:{who}:{bucket}"
    if cache.add(key, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        return True
    return count <= limit
