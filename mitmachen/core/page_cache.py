"""Whole-page cache for anonymous visitors, invalidated on every write.

Most visits are anonymous reads of the same few pages (a project, its proposals, a
proposal with its discussion), and a town's busiest hour is the last one before a
vote closes. Those pages are cached whole for visitors without a session or a
pending message, in the language they chose, for at most ``PAGE_CACHE_SECONDS``.

Correctness comes from versions, not from the TTL. Every write bumps the version of
its project, or the global one, once its transaction commits – by one mechanism, the
module contract (``projects.modules``, see docs/architecture.md "The page cache"):

- each participation module declares the models whose rows appear on public pages
  (``ParticipationModule.page_cache``); their save and delete signals bump the
  project's version, whoever writes (services, admin, imports, cascades);
- writes that send no signal (``QuerySet.update``, ``bulk_create``, counters) call
  ``projects.modules.changed()``;
- projects, phases, topics, Ortsteile, municipalities and accounts bump the global
  version (``projects.signals``).

Only ``projects.modules`` calls ``touch_project_on_commit`` and
``touch_everything_on_commit`` here; modules never do.

A cached page is stored under a key that contains both versions, so after a write the
next visitor gets a fresh page.

Per-object writes: some rows change only one object's page and the project's pages that
list many objects (a support changes its proposal's count – on its page, in the lists,
on the map, in the statistics – and nothing else). Their model is declared with
``CachedModel(…, page_of="proposal")``; its writes bump the project's *lists* version and
that object's version instead of the project's. A page reads the project's version and,
by default, the lists version, so it is stale after every write as before; a page that
shows one object and no other object's per-object rows names that object
(``anonymous_page(object_of=…)``, ``data_version(…, obj=…)``, ``fragment_key(…, obj=…)``)
and reads its version instead of the lists one: it stays cached when another object of
the project gets a support. The versions live in the shared cache (Redis), or,
when every process has its own memory cache, in the database (``PageVersion``, one
small query per page) – so a write in one process invalidates the copies of all.
The TTL only bounds what no write announces: a phase that starts at midnight.

Pages for signed-in people, POSTs, responses that set cookies or hold a CSRF token,
and streaming responses are never cached.

When Redis is unreachable the cache fails open (``core.cache``): versions read as
missing, and pages are served uncached until Redis answers again. Writes during the
outage cannot bump versions; copies stored before it expire with the TTL at the latest.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from mitmachen.core.cache import unreachable as cache_unreachable

GLOBAL_KEY = "mm:v:global"
PREFIX = "mm:page"
CACHED_HEADERS = ("Content-Type", "Vary", "Content-Language")
STATE_HEADER = "X-Mitmachen-Cache"
# Query parameters of the cached pages (filters, sorting, search, pages of lists and
# comment threads); a request with any other is answered uncached.
QUERY_PARAMETERS = frozenset(
    {"q", "thema", "ortsteil", "status", "kanal", "sortierung", "seite"}
    | {"kommentare", "kseite", "aseite", "haltung", "nach"}
)


def _project_key(project_id: int) -> str:
    return f"mm:v:project:{project_id}"


def _lists_key(project_id: int) -> str:
    """Bumped by every per-object write in the project (``touch_object``)."""
    return f"mm:v:project:{project_id}:lists"


def _object_key(obj: tuple[str, int]) -> str:
    """Bumped by the per-object writes of one object (``("proposals.proposal", pk)``)."""
    label, pk = obj
    return f"mm:v:object:{label}:{pk}"


# An object a page shows: its model's ``_meta.label_lower`` and its primary key.
PageObject = tuple[str, int]


def _project_keys(project_id: int, obj: PageObject | None = None) -> list[str]:
    """The version keys of a project's page: the project's own, and the project's lists
    (every per-object write) – or, for a page of one object, that object's instead."""
    return [_project_key(project_id), _lists_key(project_id) if obj is None else _object_key(obj)]


def page_object(label: str) -> Callable[..., PageObject]:
    """``object_of`` for ``anonymous_page``: the page shows the ``label`` row whose primary
    key is the URL's ``pk`` (e.g. ``page_object("proposals.proposal")``)."""

    def object_of(pk: int, **_kwargs: Any) -> PageObject:
        return (label, int(pk))

    return object_of


def shared_cache() -> bool:
    """Is the cache shared by all app processes (Redis), or local to each (memory)?"""
    return "locmem" not in str(settings.CACHES["default"]["BACKEND"]).lower()


def _versions(keys: list[str], request: HttpRequest | None = None) -> list[int]:
    """Current versions: from the shared cache, or from the database when each process
    has its own memory cache (so a write in one process reaches all of them). Read once
    per request."""
    memo: dict[str, int] = {}
    if request is not None:
        # Per key: the person's versions (``core.person_cache``) include the global one,
        # which the page's and the footer's then need not read again.
        memo = request.__dict__.setdefault("_mm_page_versions", {})
        if all(k in memo for k in keys):
            return [memo[k] for k in keys]
    if shared_cache():
        found = cache.get_many(keys)
    else:
        from mitmachen.core.models import PageVersion

        found = dict(PageVersion.objects.filter(key__in=keys).values_list("key", "value"))
    versions = [found.get(k, 0) for k in keys]
    memo.update(zip(keys, versions, strict=True))
    return versions


def _bump(key: str) -> None:
    if not shared_cache():
        from django.db import IntegrityError, transaction
        from django.db.models import F

        from mitmachen.core.models import PageVersion

        if not PageVersion.objects.filter(key=key).update(value=F("value") + 1):
            try:
                with transaction.atomic():
                    PageVersion.objects.create(key=key, value=time.time_ns())
            except IntegrityError:  # created in parallel: count on it
                PageVersion.objects.filter(key=key).update(value=F("value") + 1)
        return
    try:
        cache.incr(key)
    except ValueError:
        # Not there (yet, or evicted): start from the clock, so the new version never
        # equals one that pages were cached under before.
        cache.set(key, time.time_ns(), None)


def _bump_many(keys: list[str]) -> None:
    """``_bump`` for many keys (a notification to all followers of a project): in the
    database two or three queries for all of them instead of one or two each."""
    if shared_cache() or len(keys) < 2:
        for key in keys:
            _bump(key)
        return
    from django.db.models import F

    from mitmachen.core.models import PageVersion

    PageVersion.objects.filter(key__in=keys).update(value=F("value") + 1)
    present = set(PageVersion.objects.filter(key__in=keys).values_list("key", flat=True))
    start = time.time_ns()
    # A row created in parallel by another bump is as new as one created here.
    PageVersion.objects.bulk_create(
        [PageVersion(key=key, value=start) for key in keys if key not in present],
        ignore_conflicts=True,
    )


# A small copy in each process of the pages it served last. Safe without invalidation:
# keys contain the versions (read from the shared cache on every request), so a changed
# page has a new key; entries also expire with the TTL. Saves a Redis round trip and the
# unpickling of up to 100 KB per hit.
_LOCAL: OrderedDict[str, tuple[float, Any]] = OrderedDict()
_LOCAL_LOCK = threading.Lock()
LOCAL_ENTRIES = 200


def _local_get(key: str) -> Any:
    with _LOCAL_LOCK:
        found = _LOCAL.get(key)
        if found is None:
            return None
        expires, value = found
        if expires < time.monotonic():
            del _LOCAL[key]
            return None
        _LOCAL.move_to_end(key)
        return value


def _local_put(key: str, value: Any) -> None:
    with _LOCAL_LOCK:
        _LOCAL[key] = (time.monotonic() + ttl(), value)
        _LOCAL.move_to_end(key)
        while len(_LOCAL) > LOCAL_ENTRIES:
            _LOCAL.popitem(last=False)


def clear_local() -> None:
    """Forget this process's copies (tests, after the shared cache was cleared)."""
    with _LOCAL_LOCK:
        _LOCAL.clear()


def data_version(
    project_id: int, request: HttpRequest | None = None, obj: PageObject | None = None
) -> str:
    """The current version of everything a project's pages show, for keys of other
    caches that must follow every write (e.g. computed survey results). ``obj``: what is
    cached shows this one object of the project and no per-object rows of others (the
    proposal page's rows): per-object writes to other objects leave it current."""
    versions = _versions([GLOBAL_KEY, *_project_keys(project_id, obj)], request)
    return "-".join(str(v) for v in versions)


def data_versions(project_ids: list[int], request: HttpRequest | None = None) -> str:
    """``data_version`` of several projects at once (a municipality's statistics): the
    global version and every project's, read in one round trip and given as a short
    digest that changes whenever any of them does. The caller keys by the projects too."""
    keys = [GLOBAL_KEY, *(k for p in sorted(set(project_ids)) for k in _project_keys(p))]
    versions = "-".join(str(v) for v in _versions(keys, request))
    return hashlib.sha256(versions.encode()).hexdigest()[:32]


def everything_version(request: HttpRequest | None = None) -> str:
    """The current global version, for keys of caches that must follow every write
    that makes all pages stale (e.g. the site footer, ``core.sections.footer_html``)."""
    return str(_versions([GLOBAL_KEY], request)[0])


def touch_project(project_id: int) -> None:
    """Pages of this project change: cached copies are no longer used."""
    _bump(_project_key(project_id))


def touch_object(project_id: int, obj: PageObject) -> None:
    """A per-object write: the object's page and the project's lists change; the project's
    pages of other objects do not."""
    _bump(_lists_key(project_id))
    _bump(_object_key(obj))


def touch_everything() -> None:
    _bump(GLOBAL_KEY)


def touch_project_on_commit(project_id: int) -> None:
    """``touch_project`` once the current transaction commits (or now, outside one)."""
    from django.db import transaction

    transaction.on_commit(lambda: touch_project(project_id))


def touch_object_on_commit(project_id: int, obj: PageObject) -> None:
    """``touch_object`` once the current transaction commits (or now, outside one)."""
    from django.db import transaction

    transaction.on_commit(lambda: touch_object(project_id, obj))


def touch_everything_on_commit() -> None:
    """``touch_everything`` once the current transaction commits (or now, outside one)."""
    from django.db import transaction

    transaction.on_commit(touch_everything)


def ttl() -> int:
    """Seconds a page may be reused (``PAGE_CACHE_SECONDS``; 0 switches the cache off)."""
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 60))


def cacheable(request: HttpRequest) -> bool:
    """Anonymous, without a pending message, reading: the page is the same for everyone."""
    if not ttl() or request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    # Only the parameters the pages read, once each: made-up ones (?x=<random>) would
    # fill the cache with copies of the same page.
    if any(key not in QUERY_PARAMETERS or len(request.GET.getlist(key)) > 1 for key in request.GET):
        return False
    # A random order is per visitor (its seed is in a cookie).
    return request.GET.get("sortierung") != "zufall"


def _partial(request: HttpRequest) -> bool:
    """The answer is an htmx fragment (as ``core.htmx.render_page_or_fragment`` decides)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx and not htmx.boosted and not htmx.history_restore_request)


def _key(request: HttpRequest, versions: list[Any]) -> str:
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    part = "fragment" if _partial(request) else "page"
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"{PREFIX}:{':'.join(str(v) for v in versions)}:{language}:{part}:{path}"


def anonymous_page(
    project_id_of: Callable[..., int | None] | None = None,
    *,
    object_of: Callable[..., PageObject] | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Cache a view's page for anonymous visitors.

    ``project_id_of(**view_kwargs)`` names the project whose writes invalidate the page
    (``None``: only the global version counts). It may return ``None`` when there is no
    such project; the view then runs uncached and answers (e.g. with a 404).
    ``object_of(**view_kwargs)`` (``page_object``): the page shows this one object of the
    project and no per-object rows of any other (a proposal's page, a survey's results),
    so it follows that object's per-object writes instead of the project's lists.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not cacheable(request):
                return view(request, *args, **kwargs)
            version_keys = [GLOBAL_KEY]
            if project_id_of is not None:
                project_id = project_id_of(**kwargs)
                if project_id is None:
                    return view(request, *args, **kwargs)
                obj = object_of(**kwargs) if object_of is not None else None
                version_keys.extend(_project_keys(project_id, obj))
            key = _key(request, _versions(version_keys, request))
            if shared_cache() and cache_unreachable():
                # Fail open: the versions could not be read, so neither a stored page
                # nor a page stored now is known to be current. Serve it uncached.
                return view(request, *args, **kwargs)
            hit = _local_get(key)
            if hit is None:
                hit = cache.get(key)
                if hit is not None:
                    _local_put(key, hit)
            if hit is not None:
                status, headers, content = hit
                response = HttpResponse(content, status=status)
                for name, value in headers.items():
                    response[name] = value
                response[STATE_HEADER] = "hit"
            else:
                response = view(request, *args, **kwargs)
                if (
                    response.status_code == 200
                    and not response.streaming
                    and not response.cookies
                    # The page holds a CSRF token: it belongs to this visitor alone.
                    and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                ):
                    headers = {h: response[h] for h in CACHED_HEADERS if h in response}
                    entry = (response.status_code, headers, response.content)
                    cache.set(key, entry, ttl())
                    _local_put(key, entry)
                    response[STATE_HEADER] = "miss"
            # Browsers and proxies must not keep it: the next write changes it.
            patch_cache_control(response, private=True, no_cache=True)
            return response

        return wrapper

    return decorator


def fragment_key(
    request: HttpRequest, project_id: int, name: str, obj: PageObject | None = None
) -> str:
    """A key for a part of a page that is the same for everyone (signed in or not) with
    the same query string and language, valid until the project or anything global
    changes – for ``{% cache %}`` in templates (e.g. a filter form with its options).
    ``obj``: the part shows nothing of the project's per-object rows but this object's
    (as ``data_version``)."""
    if not ttl():
        return name  # caching is off: {% cache 0 … %} stores nothing anyway
    versions = _versions([GLOBAL_KEY, *_project_keys(project_id, obj)], request)
    return f"{name}:{_key(request, versions)}"


def fragment(request: HttpRequest, key: str, build: Callable[[], Any]) -> Any:
    """A part of a page stored under ``key`` (from ``fragment_key``, so it follows every
    write), built by ``build()`` on a miss. For fragments that are the same for many
    people and too large or too dynamic for ``{% cache %}`` (the comment thread,
    ``comments.fragments``). A process keeps its own copy of the hot ones in front of the
    shared cache, as for pages. With the cache switched off (``PAGE_CACHE_SECONDS=0``), or
    while Redis is unreachable, every call builds."""
    if not ttl() or (shared_cache() and cache_unreachable()):
        return build()
    found = _local_get(key)
    if found is None:
        found = cache.get(key)
        if found is None:
            found = build()
            cache.set(key, found, ttl())
        _local_put(key, found)
    return found
