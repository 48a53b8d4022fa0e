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
  of each comment go. Each request chooses by the permissions of ``comments.permissions``
  and the person's ratings (one query): the variants most viewers need (not their own
  comment, not rated by them) are rendered with the list; those of the person's own
  comments and of the ones they rated – a few – are rendered for the request.
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

import rules
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from mitmachen.comments import selectors, targets
from mitmachen.comments.models import Comment
from mitmachen.comments.permissions import permissions_of_comment
from mitmachen.comments.targets import Commentable
from mitmachen.core import page_cache
from mitmachen.core.channels import Channel
from mitmachen.projects.models import Project
from mitmachen.proposals.models import Proposal

RATING, ACTIONS = "r", "a"


@dataclass
class Rendered:
    """A thread list rendered for a viewer class (what the cache stores)."""

    nonce: str
    parts: list[str]  # text, kind, pk, text, kind, pk, …, text (``re.split`` of the markers)
    entries: dict[int, selectors.Entry]  # the comments shown (without forms and replies)
    # The rating boxes and actions as most viewers see them: not their own comment,
    # not rated by them. The others are rendered when a viewer needs them.
    variants: dict[tuple[str, int], dict[tuple[bool, ...], str]]
    return_url: str


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


def _choice(comment: Comment, facts: selectors.Facts, own: bool, manages: bool) -> dict[str, Any]:
    """What a viewer of this class may do with ``comment``, having written it or not."""
    allowed = permissions_of_comment(
        comment, own=own, commenting_open=facts.commenting_open, manages_project=manages
    )
    alive = not comment.is_deleted and not comment.is_hidden
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


def _variants(
    request: HttpRequest, rendered: Rendered, wanted: list[tuple[str, selectors.Entry]]
) -> list[str]:
    """The rating boxes (``RATING``) or actions of ``wanted`` entries, in one rendering."""
    if not wanted:
        return []
    separator = f"<!--{rendered.nonce}-->"
    html = render_to_string(
        "comments/partials/comment_variants.html",
        {
            "pieces": [{"rating": kind == RATING, "entry": entry} for kind, entry in wanted],
            "separator": mark_safe(separator),  # noqa: S308 - our own marker
            "return_url": rendered.return_url,
            "csrf_token": f"csrf{rendered.nonce}",
        },
        request,
    )
    return html.split(separator)[: len(wanted)]


def _render(request: HttpRequest, thread: selectors.Thread, facts: selectors.Facts) -> Rendered:
    nonce = secrets.token_hex(12)
    rendered = Rendered(nonce, [], {}, {}, thread.return_url)
    wanted: list[tuple[str, int, tuple[bool, ...], selectors.Entry]] = []
    authenticated = facts.user.is_authenticated
    for entry in [e for top in thread.entries for e in (top, *top.replies)]:
        comment = entry.comment
        rendered.entries[comment.pk] = replace(entry, replies=[], reply_form=None, holes=None)
        entry.holes = (
            mark_safe(f"<!--{nonce}:{RATING}:{comment.pk}-->"),  # noqa: S308 - our own marker
            mark_safe(f"<!--{nonce}:{ACTIONS}:{comment.pk}-->"),  # noqa: S308
        )
        # Not the viewer's own comment, not rated by them; as staff who manage the project
        # or not (only offline comments differ).
        offline = authenticated and comment.channel != Channel.ONLINE
        for manages in (False, True) if offline else (False,):
            choice = _choice(comment, facts, own=False, manages=manages)
            variant = replace(rendered.entries[comment.pk], rating=0, **choice)
            wanted.append((ACTIONS, comment.pk, _actions_key(choice), variant))
            wanted.append((RATING, comment.pk, _rating_key(choice, 0), variant))
    html = _variants(request, rendered, [(kind, e) for kind, _pk, _key, e in wanted])
    for (kind, pk, key, _entry), variant_html in zip(wanted, html, strict=True):
        rendered.variants.setdefault((kind, pk), {})[key] = variant_html
    context = {"thread": thread, "status_message": None, "csrf_token": f"csrf{nonce}"}
    skeleton = render_to_string("comments/partials/thread_body.html", context, request)
    rendered.parts = re.split(f"<!--{nonce}:([{RATING}{ACTIONS}]):(\\d+)-->", skeleton)
    return rendered


def _assemble(
    request: HttpRequest,
    rendered: Rendered,
    facts: selectors.Facts,
    ratings: dict[int, int] | None = None,
) -> str:
    """The rendering with this person's rating boxes, actions and CSRF token (``ratings``:
    theirs, when the thread was just loaded for them). The variants of their own comments
    and of those they rated are rendered now (a few, in one rendering)."""
    user = facts.user
    if ratings is None:
        ratings = {}
        if user.is_authenticated and rendered.entries:
            ratings = selectors.ratings_of(user, list(rendered.entries))
    parts = rendered.parts
    out = [parts[0]]
    missing: list[tuple[int, str, selectors.Entry]] = []  # (position in out, kind, entry)
    for i in range(1, len(parts), 3):
        kind, pk = parts[i], int(parts[i + 1])
        entry = rendered.entries[pk]
        comment = entry.comment
        own = user.is_authenticated and comment.author_id == user.pk
        manages = facts.manages_channel(comment.channel)
        choice = _choice(comment, facts, own, manages)
        rating = ratings.get(pk, 0) if choice["can_rate"] else 0
        key = _rating_key(choice, rating) if kind == RATING else _actions_key(choice)
        found = rendered.variants[(kind, pk)].get(key)
        if found is None:
            missing.append((len(out), kind, replace(entry, rating=rating, **choice)))
            found = ""
        out.append(found)
        out.append(parts[i + 2])
    extra = _variants(request, rendered, [(kind, entry) for _at, kind, entry in missing])
    for (at, _kind, _entry), variant_html in zip(missing, extra, strict=True):
        out[at] = variant_html
    html = "".join(out)
    placeholder = f'value="csrf{rendered.nonce}"'
    if placeholder in html:
        html = html.replace(placeholder, f'value="{get_token(request)}"')
    return html


def _viewer_class(facts: selectors.Facts, *, with_notes: bool = False) -> str:
    """What holds for the viewer in the whole thread (the part of the key per person).
    ``with_notes``: the target adds notes under the comments, which differ for staff who
    manage the project (e.g. the link to weigh), so managing is a class of its own there."""
    user = facts.user
    parts = [
        "auth" if user.is_authenticated else "anon",
        "open" if facts.commenting_open else "closed",
        "staff" if facts.staff else "",
        "manages"
        if with_notes
        and facts.staff
        and rules.has_perm("projects.change_project", user, facts.project)
        else "",
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
    commented = targets.commented_object(debate)
    notes = commented is not None and commented.kind.comment_notes is not None
    key = page_cache.fragment_key(
        request,
        project.pk,
        f"comments:{kind}:{target}:{_viewer_class(facts, with_notes=notes)}:{where}",
        # A proposal's thread shows no supports: other proposals' leave it current.
        ("proposals.proposal", proposal.pk) if proposal is not None and debate is None else None,
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
