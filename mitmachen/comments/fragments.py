"""The comment thread of a page, rendered once for everyone who sees it alike, with each
person's own bits filled in per request.

Loading and rendering a thread list (10 comments with up to 2 replies each, their rating
and reply forms) was most of the time of a signed-in proposal page. Most of it is the same
for every person. What differs, and how:

- **What the viewer may do in the whole thread** (comment – and if not, the reason they
  read –, see hidden comments as staff, moderate, report): the *viewer class*, part of the
  cache key. People of the same class share one rendering.
- **Per comment**, whether the viewer wrote it (edit and delete, but not rate or report;
  for comments entered from offline formats, whether they may delete them as staff) and
  their own rating. The shared rendering has a marker where the rating box and the actions
  of each comment go; the variants of both are rendered with it, one for each combination
  a viewer of that class can have, and each request picks its own by the permissions of
  ``comments.permissions`` and the person's ratings (one query).
- **The CSRF token**: a random placeholder, replaced by the request's token.

The rendering is stored under ``core.page_cache.fragment_key``: it follows every write to
the project (comments and ratings are declared in the module contract) and everything
global (a changed display name), and includes the language, the address with its query
(sort, page, stance) and the address forms lead back to. The markers and the placeholder
carry a random nonce drawn for each rendering, which no text a person writes can contain
(and what they write is escaped anyway).

Only reading requests that show the thread as it is use it (the thread sections of the
proposal, project and debate pages, and the thread list page); the answers to a posted
comment or a form with errors are rendered as before.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from mitmachen.comments import selectors
from mitmachen.comments.permissions import permissions_of_comment
from mitmachen.comments.targets import Commentable
from mitmachen.core import page_cache
from mitmachen.core.channels import Channel
from mitmachen.projects.models import Project
from mitmachen.proposals.models import Proposal

RATING, ACTIONS = "r", "a"


@dataclass(frozen=True)
class Shown:
    """What the per-person choice needs of a comment in the cached rendering."""

    pk: int
    author_id: int | None
    channel: str
    is_deleted: bool
    is_hidden: bool


@dataclass
class Rendered:
    """A thread list rendered for a viewer class (what the cache stores)."""

    nonce: str
    parts: list[str]  # text, kind, pk, text, kind, pk, …, text (``re.split`` of the markers)
    comments: dict[int, Shown]
    variants: dict[tuple[str, int], dict[tuple[bool, ...], str]]


class CachedThread:
    """The thread list as HTML for ``comments/partials/thread_body.html`` (``body_html``).

    Everything else a ``selectors.Thread`` has (entries, page, form, …) is loaded the
    first time it is asked for – by callers and tests that inspect the thread; the page
    itself needs only the HTML.
    """

    def __init__(self, body_html: SafeString, load: Callable[[], selectors.Thread]) -> None:
        self.body_html = body_html
        self._load = load
        self._thread: selectors.Thread | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._thread is None:
            self._thread = self._load()
        return getattr(self._thread, name)


def _own_states(shown: Shown, facts: selectors.Facts) -> list[tuple[bool, bool]]:
    """The (own, manages) combinations a viewer of this class can have for a comment."""
    authenticated = facts.user.is_authenticated
    owns = (False, True) if authenticated and shown.author_id is not None else (False,)
    manages = (False, True) if authenticated and shown.channel != Channel.ONLINE else (False,)
    return [(own, manage) for own in owns for manage in manages]


def _choice(shown: Shown, facts: selectors.Facts, own: bool, manages: bool) -> dict[str, Any]:
    allowed = permissions_of_comment(
        shown, own=own, commenting_open=facts.commenting_open, manages_project=manages
    )
    alive = not shown.is_deleted and not shown.is_hidden
    return {
        "can_change": allowed["change"],
        "can_delete": allowed["delete"],
        "can_rate": allowed["rate"],
        "can_report": facts.may_report and alive and not own,
    }


def _actions_key(choice: dict[str, Any]) -> tuple[bool, ...]:
    return (choice["can_change"], choice["can_delete"], choice["can_report"])


def _rating_key(choice: dict[str, Any], rating: int) -> tuple[bool, ...]:
    return (choice["can_rate"], rating == 1, rating == -1)


def _render(request: HttpRequest, thread: selectors.Thread, facts: selectors.Facts) -> Rendered:
    nonce = secrets.token_hex(12)
    entries = [e for entry in thread.entries for e in (entry, *entry.replies)]
    comments: dict[int, Shown] = {}
    pieces: list[tuple[str, int, tuple[bool, ...], selectors.Entry]] = []
    for entry in entries:
        comment = entry.comment
        shown = Shown(comment.pk, comment.author_id, comment.channel, comment.is_deleted,
                      comment.is_hidden)  # fmt: skip
        comments[comment.pk] = shown
        entry.holes = (
            mark_safe(f"<!--{nonce}:{RATING}:{comment.pk}-->"),  # noqa: S308 - our own marker
            mark_safe(f"<!--{nonce}:{ACTIONS}:{comment.pk}-->"),  # noqa: S308
        )
        seen: set[tuple[str, tuple[bool, ...]]] = set()
        for own, manages in _own_states(shown, facts):
            choice = _choice(shown, facts, own, manages)
            variant = replace(entry, holes=None, **choice)
            wanted = [(ACTIONS, _actions_key(choice), variant)]
            for rating in (0, 1, -1) if choice["can_rate"] else (0,):
                rated = replace(variant, rating=rating)
                wanted.append((RATING, _rating_key(choice, rating), rated))
            for kind, key, variant_entry in wanted:
                if (kind, key) not in seen:
                    seen.add((kind, key))
                    pieces.append((kind, comment.pk, key, variant_entry))
    token = f"csrf{nonce}"
    context = {"thread": thread, "status_message": None, "csrf_token": token}
    skeleton = render_to_string("comments/partials/thread_body.html", context, request)
    separator = f"<!--{nonce}-->"
    variants_html = render_to_string(
        "comments/partials/comment_variants.html",
        {
            "pieces": [{"rating": kind == RATING, "entry": e} for kind, _pk, _key, e in pieces],
            "separator": mark_safe(separator),  # noqa: S308 - our own marker
            "return_url": thread.return_url,
            "csrf_token": token,
        },
        request,
    ).split(separator)
    variants: dict[tuple[str, int], dict[tuple[bool, ...], str]] = {}
    for (kind, pk, key, _entry), html in zip(pieces, variants_html, strict=False):
        variants.setdefault((kind, pk), {})[key] = html
    parts = re.split(f"<!--{nonce}:([{RATING}{ACTIONS}]):(\\d+)-->", skeleton)
    return Rendered(nonce=nonce, parts=parts, comments=comments, variants=variants)


def _assemble(
    request: HttpRequest,
    rendered: Rendered,
    facts: selectors.Facts,
    ratings: dict[int, int] | None = None,
) -> str:
    """The rendering with this person's rating boxes, actions and CSRF token (``ratings``:
    theirs, when the thread was just loaded for them)."""
    user = facts.user
    if ratings is None:
        ratings = {}
        if user.is_authenticated and rendered.comments:
            ratings = selectors.ratings_of(user, list(rendered.comments))
    parts = rendered.parts
    out = [parts[0]]
    for i in range(1, len(parts), 3):
        kind, pk = parts[i], int(parts[i + 1])
        shown = rendered.comments[pk]
        own = user.is_authenticated and shown.author_id == user.pk
        manages = shown.channel != Channel.ONLINE and facts.manages_channel(shown.channel)
        choice = _choice(shown, facts, own, manages)
        if kind == RATING:
            key = _rating_key(choice, ratings.get(pk, 0) if choice["can_rate"] else 0)
        else:
            key = _actions_key(choice)
        out.append(rendered.variants[(kind, pk)][key])
        out.append(parts[i + 2])
    html = "".join(out)
    placeholder = f'value="csrf{rendered.nonce}"'
    if placeholder in html:
        html = html.replace(placeholder, f'value="{get_token(request)}"')
    return html


def _viewer_class(facts: selectors.Facts) -> str:
    """What holds for the viewer in the whole thread (the part of the key per person)."""
    user = facts.user
    parts = [
        "auth" if user.is_authenticated else "anon",
        "open" if facts.commenting_open else "closed",
        "staff" if facts.staff else "",
        "moderates" if facts.moderates else "",
        "reports" if facts.may_report else "",
        str(facts.commenting.reason),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


def thread_for_request(
    request: HttpRequest,
    *,
    project: Project,
    proposal: Proposal | None = None,
    debate: Commentable | None = None,
    return_url: str = "",
) -> CachedThread:
    """``selectors.thread_for_request``, rendered: from the cache for the viewer's class,
    with their own rating boxes, actions and CSRF token. ``return_url`` is where the
    thread's forms lead back (default: the current page)."""
    return_url = return_url or request.get_full_path()
    facts = selectors.Facts(request.user, project, proposal, debate)
    target = debate.pk if debate is not None else proposal.pk if proposal is not None else 0
    kind = type(debate).__name__ if debate is not None else "proposal" if proposal else "project"
    where = hashlib.sha256(return_url.encode()).hexdigest()[:16]
    key = page_cache.fragment_key(
        request, project.pk, f"comments:{kind}:{target}:{_viewer_class(facts)}:{where}"
    )

    def load() -> selectors.Thread:
        thread = selectors.thread_for(
            user=request.user,
            project=project,
            proposal=proposal,
            debate=debate,
            sort=request.GET.get(selectors.SORT_PARAM),
            page=request.GET.get(selectors.PAGE_PARAM),
            stance=selectors.clean_stance(request.GET.get(selectors.STANCE_PARAM)),
            facts=facts,
        )
        thread.return_url = return_url
        return thread

    built: dict[int, int] | None = None  # the viewer's ratings, when built for them now

    def build() -> Rendered:
        nonlocal built
        thread = load()
        built = {e.comment.pk: e.rating for top in thread.entries for e in (top, *top.replies)}
        return _render(request, thread, facts)

    rendered = page_cache.fragment(request, key, build)
    html = _assemble(request, rendered, facts, built)
    return CachedThread(mark_safe(html), load)  # noqa: S308 - escaped when rendered
