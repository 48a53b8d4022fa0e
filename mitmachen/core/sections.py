"""Parts of a page that other apps draw: the one way a lower layer shows a higher one.

The project page shows surveys, proposals and debates; a municipality's page lists its
projects; the staff start page links each module's tools. The app that owns the page
does not import the apps that fill it. It asks for the sections registered under the
page's name and draws them in order::

    {% for s in sections %}{% include s.template with section=s.data %}{% endfor %}

A section is registered by the app that owns the data, for projects' modules through
their ``ParticipationModule`` (``projects.modules``). ``load(request, obj)`` returns the
template's data, or ``None`` when the section has nothing to show for ``obj``; it loads
that data in a fixed number of queries, however much there is.

Page names are plain strings, owned by the app whose view draws the page (e.g.
``"project"`` by projects, ``"municipality"`` by organisations).

The site footer (``FOOTER``) is drawn on every page by ``base.html`` (``{% site_footer %}``)
and is the same for every visitor: its sections' loaders must not look at the person,
and the drawn footer is cached (``footer_html``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

Loader = Callable[[HttpRequest, Any], Mapping[str, Any] | None]


@dataclass(frozen=True)
class Section:
    page: str
    key: str
    template: str
    load: Loader
    order: int = 100


@dataclass(frozen=True)
class Drawn:
    """A section ready to include: its template and the data ``load`` returned."""

    key: str
    template: str
    data: Mapping[str, Any]


_sections: dict[str, dict[str, Section]] = {}


def register(section: Section) -> Section:
    known = _sections.setdefault(section.page, {})
    if section.key in known and known[section.key] != section:
        raise ValueError(f"Section {section.key!r} of page {section.page!r} registered twice.")
    known[section.key] = section
    return section


def sections(page: str) -> list[Section]:
    return sorted(_sections.get(page, {}).values(), key=lambda s: (s.order, s.key))


def draw(request: HttpRequest, page: str, obj: Any = None) -> list[Drawn]:
    """The sections of ``page`` that have something to show for ``obj``, in order."""
    drawn = []
    for section in sections(page):
        data = section.load(request, obj)
        if data is not None:
            drawn.append(Drawn(section.key, section.template, data))
    return drawn


FOOTER = "footer"


def footer_html(request: HttpRequest | None = None) -> SafeString:
    """The footer's sections, rendered; the same for everyone, so cached.

    The key holds the page cache's global version (a declared ``stale_everywhere`` model
    bumps it, so a changed office shows at once), the language and the local date (a
    section may say what holds today). With the page cache off (``PAGE_CACHE_SECONDS``
    0: tests, development) it is drawn on every page, in its sections' fixed queries.
    The templates are rendered without the request, with the site's settings only
    (``context_processors.site``): nothing of the person can slip in.
    """
    from mitmachen.core import page_cache

    if not sections(FOOTER):
        return mark_safe("")
    key = ""
    if page_cache.ttl():
        key = ":".join(
            (
                "mm:footer",
                page_cache.everything_version(request),
                translation.get_language() or "",
                timezone.localdate().isoformat(),
            )
        )
        found = cache.get(key)
        if found is not None:
            return mark_safe(found)  # noqa: S308 - our own rendered templates
    from mitmachen.core.context_processors import site

    shared = site(request)  # type: ignore[arg-type]  # reads the settings only
    html = "".join(
        render_to_string(drawn.template, {**shared, "section": drawn.data})
        for drawn in draw(request, FOOTER)  # type: ignore[arg-type]
    )
    if key:
        cache.set(key, html, page_cache.ttl())
    return mark_safe(html)  # noqa: S308 - our own rendered templates
