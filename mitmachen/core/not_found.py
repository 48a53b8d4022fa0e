"""The German "Seite nicht gefunden" page in development too.

With ``DEBUG`` on, Django answers every 404 with its English technical page; people
trying the platform under ``make run`` (staff, testers, translators) should see what
residents see. ``DEBUG_TECHNICAL_404=1`` brings the technical page back for developers
who want the list of URL patterns. In production (``DEBUG`` off) this does nothing:
Django itself renders ``handler404``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.handlers.exception import get_exception_response
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import get_resolver, get_urlconf


def _active() -> bool:
    return settings.DEBUG and not getattr(settings, "DEBUG_TECHNICAL_404", False)


def _not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # The same handler404 production uses (config.urls).
    return get_exception_response(request, get_resolver(get_urlconf()), 404, exception)


class NotFoundPageMiddleware:
    """Innermost middleware, so CommonMiddleware still adds a missing trailing slash."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 404 and request.resolver_match is None and _active():
            # No URL pattern matched: Django has already rendered (and logged) its
            # technical page; ours replaces it without a second log line.
            german = _not_found(request, Http404())
            german._has_been_logged = True  # type: ignore[attr-defined]
            return german
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404) and _active():
            return _not_found(request, exception)
        return None
