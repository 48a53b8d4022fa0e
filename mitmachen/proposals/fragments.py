"""The results of the proposal list, rendered once for everyone who sees them alike, with
each person's own supports filled in per request.

The 20 cards of a list page were most of its time, rendered anew for every signed-in
request, although only one thing on them is the person's own: "von Ihnen unterstützt".
The cards are rendered once per data version (``core.page_cache.fragment_key``: the
project's writes, everything global, the language and the address with its filters,
order and page) and per viewer class (staff see hidden proposals, everyone else does not),
with a marker where that note goes; each request puts the note at the proposals the
person supports (one query) and removes the other markers. The markers carry a random
nonce drawn for each rendering, which no title can contain (and titles are escaped).

The random order (``?sortierung=zufall``) is per visitor (its seed is in a cookie) and is
rendered for each request.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from mitmachen.core import page_cache
from mitmachen.projects.models import Project
from mitmachen.proposals.models import Support


@dataclass
class Results:
    """The list's results rendered for a viewer class (what the cache stores)."""

    nonce: str
    parts: list[str]  # text, proposal id, text, proposal id, …, text
    mark: str  # the note on a card the viewer supports
    channel_counts: list[dict[str, Any]]


def render(
    request: HttpRequest, context: dict[str, Any], channel_counts: list[dict[str, Any]]
) -> Results:
    """The results part of ``proposals/proposal_list.html`` with a marker on each card."""
    nonce = secrets.token_hex(12)
    html = render_to_string(
        "proposals/proposal_list.html#results",
        {**context, "supported": set(), "card_holes": nonce},
        request,
    )
    mark = render_to_string("proposals/partials/supported_mark.html", {}, request)
    parts = re.split(f"<!--{nonce}:(\\d+)-->", html)
    counts = [{**row, "label": str(row["label"])} for row in channel_counts]
    return Results(nonce=nonce, parts=parts, mark=mark, channel_counts=counts)


def assemble(request: HttpRequest, results: Results) -> str:
    """The results with the note on the cards of the proposals this person supports."""
    parts = results.parts
    ids = [int(parts[i]) for i in range(1, len(parts), 2)]
    supported: set[int] = set()
    if request.user.is_authenticated and ids:
        supported = set(
            Support.objects.filter(user=request.user, proposal__in=ids).values_list(
                "proposal_id", flat=True
            )
        )
    out = [parts[0]]
    for i in range(1, len(parts), 2):
        out.append(results.mark if int(parts[i]) in supported else "")
        out.append(parts[i + 1])
    return "".join(out)


def results_for(
    request: HttpRequest,
    project: Project,
    *,
    staff: bool,
    cached: bool,
    build: Callable[[], Results],
) -> Results:
    """The rendered results, from the cache unless ``cached`` is false (random order)."""
    if not cached:
        return build()
    name = f"proposal-results:{'staff' if staff else 'all'}"
    return page_cache.fragment(request, page_cache.fragment_key(request, project.pk, name), build)
