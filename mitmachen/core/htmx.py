"""htmx helpers: one URL, a full page or a fragment."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """The type of a request that passed django-htmx's middleware, for views that read
    ``request.htmx`` (type annotations only; the middleware sets it on every request)."""

    htmx: HtmxDetails


def render_page_or_fragment(
    request: HttpRequest, page: str, fragment: str, context: dict[str, Any]
) -> HttpResponse:
    """Render ``fragment`` for htmx requests and ``page`` otherwise.

    A fragment that only this page shows is a ``{% partialdef %}`` of the page itself
    (django-template-partials), named ``"<page>#<partial>"``; a fragment several pages
    include (a comment thread) is its own template.

    Both answers share a URL, so the response varies on HX-Request: otherwise a
    browser's back button may show the cached fragment as if it were the page.
    History restores get the full page.
    """
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx and not htmx.boosted and not htmx.history_restore_request)
    response = render(request, fragment if partial else page, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
