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
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

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
