"""Where a form may send the person back to: the one check for ``next`` and similar URLs.

Every view that reads a return address from the request (``next``, the htmx current
URL) goes through :func:`local_path`, so junk – a bare word, another host
(``//evil.example``), ``javascript:``, control characters, a very long value – falls
back to a known page instead of ending in an open redirect or a 500.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit, urlunsplit

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

# Longer return addresses are not ones this site generates.
MAX_LENGTH = 2000


def local_path(request: HttpRequest, url: str | None, *, fragment: bool = False) -> str:
    """``url`` as a path on this site (with its query; with its fragment when
    ``fragment``, for callers that do not add an anchor of their own), else ''.

    Accepts "/vorschlaege/5/?seite=2" and full URLs of this host; rejects everything
    Django's ``url_has_allowed_host_and_scheme`` rejects, relative paths and bare
    words (``redirect("abc")`` would try to reverse a URL name), and any control
    character (a newline in a Location header is an error).
    """
    if not url or len(url) > MAX_LENGTH:
        return ""
    if any(unicodedata.category(char).startswith("C") for char in url):
        return ""
    if not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(url)
    if not parts.path.startswith("/") or parts.path.startswith(("//", "/\\")):
        return ""
    return urlunsplit(("", "", parts.path, parts.query, parts.fragment if fragment else ""))


def next_path(request: HttpRequest, fallback: str, *, fragment: bool = False) -> str:
    """The ``next`` of the form (POST) or link (GET) if it is a path on this site, else
    ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next")
    return local_path(request, target, fragment=fragment) or fallback
