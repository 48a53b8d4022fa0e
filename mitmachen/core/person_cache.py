"""What every signed-in request needs to know about its person, in one cached lookup.

Each signed-in request used to load the account (after the session), the person's staff
roles and moderation blocks, the projects they manage and their number of unread
notifications: three to four queries before the page itself, on every page. These facts
change rarely – a role given, a block, a new notification, a changed account – and each of
those writes says so. So they are kept together, one entry per person in the shared cache,
under a key with two versions of the data-version mechanism (``core.page_cache``):

- the person's own version (``mm:v:person:<id>``), bumped once the transaction of a write
  that changes their facts commits, and already when it is written (``touch_on_commit``):
  a saved or deleted account, a
  role (``organisations.Membership``), a project they manage or no longer manage, a
  notification for them or one they read;
- the global version, which blocking or unblocking an account bumps already (moderation
  hides their contributions everywhere with it), as do changes of projects, phases and
  municipalities.

A request reads both versions in one round trip (one query without Redis) and the entry in
one more; what it computes that is not in the entry yet (the roles on a page that asks for
them) is added and stored once the response is ready. An entry stored under old versions is
never read again, so a write is seen by the person's next request, in every process.

The entry holds the account as loaded by the authentication backend; the session's hash
is checked against it on every request as Django does, so a changed password (which also
bumps the version) still signs out other sessions. With the data-version caches switched
off (``PAGE_CACHE_SECONDS=0``), or while Redis is unreachable, everything is loaded per
request as before.

An entry is a copy of rows the database holds (nothing else is stored about the person)
and expires after ``10 × PAGE_CACHE_SECONDS``; a deleted account bumps its version, so its
entry is never read again and goes with its expiry.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from mitmachen.core import page_cache
from mitmachen.core.cache import unreachable as cache_unreachable

PREFIX = "mm:person"
ENTRY_ATTR = "_mm_person"
USER = "user"


def _version_key(user_id: int) -> str:
    return f"mm:v:person:{user_id}"


@dataclass
class Entry:
    """A person's cached facts (``values``), as read at the start of a request."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)
    dirty: bool = False


def enabled() -> bool:
    return bool(page_cache.ttl()) and not (page_cache.shared_cache() and cache_unreachable())


def _entry(request: HttpRequest, user_id: int) -> Entry | None:
    if not enabled():
        return None
    versions = page_cache._versions([page_cache.GLOBAL_KEY, _version_key(user_id)], request)
    key = f"{PREFIX}:{user_id}:{versions[0]}-{versions[1]}"
    found = cache.get(key)
    return Entry(key, found if isinstance(found, dict) else {})


def remember(user: Any, name: str, build: Callable[[], Any]) -> Any:
    """``build()``, kept in the person's entry until their facts change. For a user not
    signed in through this request's session (a test's object, a task), just ``build()``."""
    entry: Entry | None = getattr(user, ENTRY_ATTR, None)
    if entry is None:
        return build()
    if name not in entry.values:
        entry.values[name] = build()
        entry.dirty = True
    return entry.values[name]


def forget(user: Any, *names: str) -> None:
    """Drop ``names`` from the entry this request holds (after a write within it); the
    write's version bump renews the stored entry."""
    entry: Entry | None = getattr(user, ENTRY_ATTR, None)
    if entry is not None:
        for name in names:
            entry.values.pop(name, None)


def touch(user_ids: Iterable[int]) -> None:
    """These people's facts changed: their cached entries are no longer used."""
    page_cache._bump_many([_version_key(pk) for pk in sorted(set(user_ids))])


def touch_on_commit(user_ids: Iterable[int]) -> None:
    """``touch`` now and once the current transaction commits (or once, outside one).

    Now: the rest of a longer transaction, and whoever runs inside one without committing
    (a test, a management command's atomic block), reads the new facts. After the commit:
    an entry stored in between from the rows as they were before the commit is dropped."""
    from django.db import connection, transaction

    if not page_cache.ttl():
        return  # nothing is kept (entries stored before the cache was switched off expire)
    ids = [pk for pk in user_ids if pk is not None]
    if not ids:
        return
    if connection.in_atomic_block:
        touch(ids)
    transaction.on_commit(lambda: touch(ids))


def _user_for_request(request: HttpRequest) -> Any:
    """``django.contrib.auth.get_user`` through the person's entry."""
    try:
        user_id = auth.get_user_model()._meta.pk.to_python(request.session[SESSION_KEY])
        backend_path = request.session[BACKEND_SESSION_KEY]
    except (KeyError, ValueError):
        return auth.get_user(request)
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    entry = _entry(request, user_id)
    if entry is None:
        return auth.get_user(request)
    cached = entry.values.get(USER)
    if cached is not None:
        session_hash = request.session.get(HASH_SESSION_KEY)
        if session_hash and constant_time_compare(session_hash, cached.get_session_auth_hash()):
            user = copy.copy(cached)  # the entry keeps a clean copy for storing
            setattr(user, ENTRY_ATTR, entry)
            return user
        # Not verified: Django decides (older secrets, or the session is flushed).
    user = auth.get_user(request)
    if user.is_authenticated and user.pk == user_id:
        entry.values[USER] = copy.copy(user)
        entry.dirty = True
        setattr(user, ENTRY_ATTR, entry)
    return user


def _get_user(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        request._cached_user = _user_for_request(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's authentication middleware, with the account from the person's entry; stores
    the entry once the response is ready if the request added to it."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))  # type: ignore[assignment]

    def process_response(self, request: HttpRequest, response: Any) -> Any:
        user = getattr(request, "_cached_user", None)
        entry: Entry | None = getattr(user, ENTRY_ATTR, None)
        if entry is not None and entry.dirty:
            entry.dirty = False
            cache.set(entry.key, entry.values, 10 * page_cache.ttl())
        return response
