"""Helpers for concurrency tests against a live server (real threads and connections).

Each request runs in its own server thread with its own database connection and
transaction, as in production. SQLite serialises all writes, so these tests only
run on PostgreSQL: use the ``postgres_only`` fixture from the root conftest.
"""

from __future__ import annotations

import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.test import Client

WORKERS = 20  # requests in flight at once; stays below PostgreSQL's connection limit


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def session_cookie(user: Any) -> str:
    """A logged-in session for ``user``, to send as a cookie."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def post(url: str, session: str, data: dict[str, str]) -> int:
    """POST a form as the session's user (with a valid CSRF pair); returns the status."""
    csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(data).encode(),
        headers={
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        },
        method="POST",
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def in_parallel(calls: Iterable[Callable[[], Any]]) -> list[Any]:
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(lambda call: call(), calls))
