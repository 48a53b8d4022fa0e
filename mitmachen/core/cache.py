"""The Redis cache, failing open: an outage of Redis slows the site down, never breaks it.

Everything Mitmachen keeps in the cache can be recomputed or done without: whole pages
for anonymous visitors and their versions (``core.page_cache``), template fragments,
survey results, rate-limit counters (``core.rate_limit``, allauth) and a copy of each
session (sessions are ``cached_db``: the database has them all). So when Redis cannot
be reached, each call answers as if the cache were empty – reads miss, writes are
dropped, ``add`` and ``incr`` let the request through (rate limits fail open) – and a
warning is logged at most once per ``WARNING_INTERVAL`` seconds per process.

``ping()`` is the one call that raises: the health check (``/healthz/``) uses it to
report the cache as down.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("mitmachen.cache")

WARNING_INTERVAL = 60.0
# After a failed call the cache counts as unreachable this long (see ``unreachable``).
FAILURE_MEMORY = 5.0
_last_warning = 0.0
_last_failure = 0.0
_warning_lock = threading.Lock()

T = TypeVar("T")


def _errors() -> tuple[type[BaseException], ...]:
    import redis

    # OSError: sockets; RedisError: connection refused, timeouts, a server going away.
    return (redis.exceptions.RedisError, OSError)


def _warn(error: BaseException) -> None:
    global _last_warning, _last_failure
    with _warning_lock:
        now = time.monotonic()
        _last_failure = now
        if _last_warning and now - _last_warning < WARNING_INTERVAL:
            return
        _last_warning = now
    logger.warning("Cache unreachable, serving without it: %s", error)


def unreachable() -> bool:
    """Did a cache call fail in the last ``FAILURE_MEMORY`` seconds (in this process)?

    The whole-page cache asks before storing a page: with versions it could not read,
    the page would be kept under versions that no write can change."""
    return bool(_last_failure) and time.monotonic() - _last_failure < FAILURE_MEMORY


def reset_warning() -> None:
    """Forget when the last warning was logged and the last call failed (tests)."""
    global _last_warning, _last_failure
    with _warning_lock:
        _last_warning = _last_failure = 0.0


class _ClientPerPool(RedisCacheClient):
    """Django's client maker, keeping one ``redis.Redis`` per connection pool.

    Django makes a new ``redis.Redis`` for every cache call, and each one builds its
    table of about a thousand response callbacks: 6–8 calls per signed-in request cost
    0.5–1 ms of CPU that way (``bench/profile_pages.py``). A ``redis.Redis`` holds no
    connection of its own – each command borrows one from the pool – so one instance
    serves every call and thread (redis-py documents it as thread-safe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django picks the pool (a replica at random for reads) and keeps it for good, so
        # the pool itself is the key. Both are Django's private helpers, not in its stubs.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[id(pool)] = client
        return client


class FailOpenRedisCache(RedisCache):
    """Django's ``RedisCache`` whose calls answer like an empty cache while Redis is down."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _ClientPerPool

    def _safely(self, call: Callable[[], T], fallback: T) -> T:
        try:
            return call()
        except _errors() as error:
            _warn(error)
            return fallback

    def ping(self) -> bool:
        """Ask Redis directly; raises when it cannot be reached (for the health check)."""
        return bool(self._cache.get_client(write=True).ping())

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self._safely(
            lambda: super(FailOpenRedisCache, self).add(key, value, timeout, version), True
        )

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._safely(
            lambda: super(FailOpenRedisCache, self).get(key, default, version), default
        )

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self._safely(
            lambda: super(FailOpenRedisCache, self).set(key, value, timeout, version), None
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self._safely(
            lambda: super(FailOpenRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._safely(lambda: super(FailOpenRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        return self._safely(lambda: super(FailOpenRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._safely(lambda: super(FailOpenRedisCache, self).has_key(key, version), False)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        # As if the counter had just started: a rate limit lets the request through.
        return self._safely(
            lambda: super(FailOpenRedisCache, self).incr(key, delta, version), delta
        )

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list[Any]:
        return self._safely(
            lambda: super(FailOpenRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys: Any, version: Any = None) -> None:
        self._safely(lambda: super(FailOpenRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> None:
        self._safely(lambda: super(FailOpenRedisCache, self).clear(), None)
