from __future__ import annotations

import logging
import sys
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.i18n import set_language as django_set_language

from mitmachen.core.page_cache import anonymous_page, shared_cache
from mitmachen.core.redirects import local_path, next_path
from mitmachen.core.sections import draw

logger = logging.getLogger(__name__)


@require_http_methods(["GET"])
@anonymous_page()
def home(request: HttpRequest) -> HttpResponse:
    """The home page: what the apps register for it (core.sections), e.g. running
    projects (projects) and the map of the Ortsteile (organisations)."""
    return render(request, "core/home.html", {"sections": draw(request, "home")})


# Choosing a language needs no CSRF token: it changes nothing but the visitor's own
# language cookie, and pages without a token can be cached for everyone.
@csrf_exempt
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, with ``next`` checked like every other return address:
    junk goes back to the page the switch was used on (Referer) or the home page."""
    back = next_path(request, local_path(request, request.META.get("HTTP_REFERER")) or "/")
    for params in ("POST", "GET"):
        query = getattr(request, params).copy()
        query["next"] = back
        setattr(request, params, query)
    return django_set_language(request)


# A task waiting longer than this means no worker takes tasks (mails stay unsent).
TASK_QUEUE_STALE_SECONDS = 15 * 60


def _check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.warning("Health check: database unreachable: %s", error)
        return {"status": "down"}
    return {"status": "ok"}


def _check_cache() -> dict[str, Any]:
    try:
        ping = getattr(cache, "ping", None)
        if ping is not None:
            ping()  # Redis: raises when unreachable (the cache itself fails open)
        else:
            cache.set("mm:healthz", 1, 10)
    except Exception:
        logger.warning("Health check: cache unreachable", exc_info=True)
        return {"status": "down"}
    return {"status": "ok", "shared": shared_cache()}


def _check_tasks(database_ok: bool) -> dict[str, Any]:
    backend = settings.TASKS["default"]["BACKEND"]
    if "ImmediateBackend" in backend:
        return {"status": "ok", "backend": "immediate"}
    if not database_ok:
        return {"status": "down", "backend": "database"}  # the queue lives there
    from django_tasks_db.models import DBTaskResult

    try:
        waiting = DBTaskResult.objects.ready()
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        count = waiting.count()
    except DatabaseError:
        return {"status": "down", "backend": "database"}
    age = int((timezone.now() - oldest).total_seconds()) if oldest else 0
    return {
        "status": "degraded" if age > TASK_QUEUE_STALE_SECONDS else "ok",
        "backend": "database",
        "waiting": count,
        "oldest_waiting_seconds": age,
    }


@require_http_methods(["GET", "HEAD"])
def healthz(request: HttpRequest) -> JsonResponse:
    """The state of each dependency, for load balancers and monitoring.

    ``status`` is "ok", "degraded" (the site works, slower or without mail: the cache is
    down or no worker takes tasks) or "down" (the database is unreachable: answered with
    503, so a load balancer takes this server out).
    """
    database = _check_database()
    components = {
        "database": database,
        "cache": _check_cache(),
        "tasks": _check_tasks(database["status"] == "ok"),
    }
    if database["status"] != "ok":
        overall = "down"
    elif any(c["status"] != "ok" for c in components.values()):
        overall = "degraded"
    else:
        overall = "ok"
    response = JsonResponse(
        {"status": overall, "components": components}, status=503 if overall == "down" else 200
    )
    response["Cache-Control"] = "no-store"
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


# Seconds after which a client (or a load balancer) may try again when the database is
# unreachable.
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; a 503 with ``Retry-After`` when the database is unreachable.

    Django calls this while handling the exception, from any view or middleware, so
    ``sys.exc_info()`` says what went wrong. Rendered without a RequestContext and
    without touching the database: the error may come from a context processor, or
    the database may be down.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render({}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    template = loader.get_template("500.html")
    return HttpResponse(template.render({}), status=500)
