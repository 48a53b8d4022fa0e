"""Template context for the header: the signed-in person's number of unread notifications."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest

from mitmachen.core import person_cache
from mitmachen.notifications.services import unread_count

_CACHE_ATTR = "_notifications_unread_count"


def _count_once(request: HttpRequest) -> int:
    # Cached on the request: several templates rendered for one request cost one query;
    # and in the person's cached entry until a notification comes or is read
    # (``core.person_cache``, renewed by ``services``).
    if not hasattr(request, _CACHE_ATTR):
        user = getattr(request, "user", None)
        count = person_cache.remember(user, "unread", lambda: unread_count(user))
        setattr(request, _CACHE_ATTR, count)
    return getattr(request, _CACHE_ATTR)


def unread(request: HttpRequest) -> dict[str, Any]:
    """``notifications_unread``: a callable, so templates evaluate it only where they use it.

    Django's template engine calls callables when it resolves a variable, and the
    result is a plain ``int``. Anonymous visitors cost no query (``unread_count``
    answers 0 without the database); signed-in people one when it changed.
    """
    return {"notifications_unread": partial(_count_once, request)}
