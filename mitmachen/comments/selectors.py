"""Reads for comment threads, in a bounded number of queries whatever the thread's size.

``thread_for`` builds everything ``comments/partials/thread.html`` needs: one page
of top-level comments (10), the first two replies of each (one query with a
window function), the person's own ratings of the comments shown, what they may do
with each, the forms and the sort options; on a target that takes stances (a debate,
see ``comments.targets``) also the stance filter, with the counts it keeps. A
proposal with 2,000 comments loads as fast as one with 10; the rest of a long thread
is on its own page (``thread_of``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Field, Q, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mitmachen.comments import targets
from mitmachen.comments.forms import NEW_COMMENT_ID, CommentForm, StanceCommentForm
from mitmachen.comments.models import STANCE_SLUGS, Comment, CommentRating, Stance
from mitmachen.comments.permissions import Discussion, comment_permissions, may_enter_offline
from mitmachen.comments.targets import Commentable, Commented
from mitmachen.core.channels import Channel
from mitmachen.core.permissions import decide
from mitmachen.projects.models import Project
from mitmachen.projects.permissions import is_blocked_in, moderates, sees_hidden
from mitmachen.proposals.models import Proposal

# Top-level comments per page and replies shown under each: at most 30 comments, about
# 90 KB of HTML – light enough for old phones on a rural connection; the rest is a click
# away ("alle Antworten anzeigen", next page).
PAGE_SIZE = 10
REPLIES_SHOWN = 2
THREAD_PAGE_SIZE = 100  # replies per page on the page of one whole thread
SORTS = {"neueste": _("Neueste zuerst"), "beste": _("Meiste Zustimmung zuerst")}
DEFAULT_SORT = "neueste"
# Query-string parameters; the pages that include the thread use their own for other things.
SORT_PARAM, PAGE_PARAM, REPLY_PAGE_PARAM = "kommentare", "kseite", "aseite"
STANCE_PARAM = "haltung"  # debates: show the comments of one stance (``?haltung=dafuer``)


@dataclass
class Entry:
    """One comment as shown, with what the viewer may do with it."""

    comment: Comment
    rating: int = 0  # the viewer's own rating: 1, -1 or 0
    can_change: bool = False
    can_delete: bool = False
    can_rate: bool = False
    can_report: bool = False
    can_moderate: bool = False
    show_hidden: bool = False  # staff see a hidden comment's text, marked as hidden
    replies: list[Entry] = field(default_factory=list)
    is_new: bool = False  # just posted by the viewer: shown even beyond the first replies, focused
    hidden_replies: int = 0  # replies not shown in the list ("alle N Antworten anzeigen")
    # The viewer may reply here: the reply form is shown. It is written out as plain HTML
    # (``comments.templatetags.comment_boxes.reply_box``), so no form instance is built per comment;
    # ``reply_form`` is set only to a submitted form with errors, shown expanded.
    can_reply: bool = False
    reply_form: CommentForm | None = None
    reply_open: bool = False  # the reply form is shown expanded (after an error)
    post_url: str = ""  # where a reply to this comment is posted
    in_list: bool = True  # in the thread list (htmx swaps the list) or on a thread's own page
    # What the target's module shows under the comment (``CommentTarget.comment_notes``).
    note: Any = None
    note_template: str = ""
    # The cached thread (``comments.fragments``): markers where the viewer's rating box and
    # actions go, instead of rendering them (None: render them).
    holes: tuple[str, str] | None = None


@dataclass
class Thread:
    """Everything ``comments/partials/thread.html`` needs."""

    project: Project
    proposal: Proposal | None
    target: Commented | None  # a registered target (a debate), with its registration
    sort: str
    sorts: list[dict[str, Any]]
    page: Page[Comment]
    entries: list[Entry]
    comment_count: int  # visible comments, replies included
    can_comment: bool
    refusal: str  # why the viewer may not comment (German), empty when they may
    form: CommentForm | None
    post_url: str  # where new comments and replies are posted
    page_url: str  # the standalone page of this thread list (also the htmx fragment URL)
    return_url: str = ""  # where forms lead back; the partial falls back to the current page
    single: Entry | None = None  # set on the page of one whole thread
    anchor_prefix: str = "kommentar-"
    stance: str = ""  # debates: the stance shown (a ``Stance`` value), empty for all
    stance_filters: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.entries

    @property
    def takes_stances(self) -> bool:
        return self.target is not None and self.target.kind.takes_stances

    @property
    def target_closed(self) -> bool:
        """The registered target takes no comments from anybody (signing in would not help)."""
        return self.target is not None and bool(self.target.refusal)

    def entry(self, comment_id: int | None) -> Entry | None:
        for entry in self.entries:
            if entry.comment.pk == comment_id:
                return entry
            for reply in entry.replies:
                if reply.comment.pk == comment_id:
                    return reply
        return None


def target_url(
    project: Project, proposal: Proposal | None, debate: Commentable | None = None
) -> str:
    target = targets.commented_object(debate)
    if target is not None:
        return reverse(f"comments:{target.kind.field}", args=[target.obj.pk])
    if proposal is not None:
        return reverse("comments:proposal", args=[proposal.pk])
    return reverse("comments:project", args=[project.slug])


def clean_sort(sort: str | None) -> str:
    return sort if sort in SORTS else DEFAULT_SORT


class Facts:
    """What holds for the viewer in the whole thread, worked out at most once."""

    def __init__(
        self,
        user: Any,
        project: Project,
        proposal: Proposal | None,
        debate: Commentable | None = None,
        *,
        in_list: bool = True,
    ) -> None:
        self.user, self.project, self.in_list = user, project, in_list
        self.post_url = target_url(project, proposal, debate)
        # Whether the viewer may comment here, and why not (``comments.write_comment``).
        self.commenting = decide(
            user, "comments.write_comment", Discussion(project, proposal, debate)
        )
        self.commenting_open = self.commenting.allowed
        self._manages: bool | None = None
        self.staff = sees_hidden(user, project)
        self.moderates = moderates(user, project.organisation_id)
        self.may_report = user.is_authenticated and not is_blocked_in(user, project.organisation_id)

    def manages(self, comment: Comment) -> bool:
        return self.manages_channel(comment.channel)

    def manages_channel(self, channel: str) -> bool:
        """May the viewer delete a comment that came in over ``channel`` as staff?"""
        # Only offline comments need it; most threads have none, so no query then.
        if channel == Channel.ONLINE or not self.user.is_authenticated:
            return False
        if self._manages is None:
            self._manages = may_enter_offline(self.user, self.project)
        return self._manages

    def entry(self, comment: Comment, ratings: dict[int, int], with_form: bool) -> Entry:
        allowed = comment_permissions(
            self.user,
            comment,
            commenting_open=self.commenting_open,
            manages_project=self.manages(comment),
        )
        shown = not comment.is_deleted and not comment.is_hidden
        return Entry(
            comment=comment,
            rating=ratings.get(comment.pk, 0),
            can_change=allowed["change"],
            can_delete=allowed["delete"],
            can_rate=allowed["rate"],
            can_report=self.may_report and shown and comment.author_id != self.user.pk,
            can_moderate=self.moderates,
            show_hidden=self.staff,
            can_reply=with_form and self.commenting_open and shown,
            post_url=self.post_url,
            in_list=self.in_list,
        )


def _add_notes(user: Any, target: Commented | None, entries: list[Entry], staff: bool) -> None:
    """The target module's notes under the comments shown in full (one call per page)."""
    if target is None or target.kind.comment_notes is None:
        return
    shown = [
        entry
        for top in entries
        for entry in (top, *top.replies)
        if not entry.comment.is_deleted and (staff or not entry.comment.is_hidden)
    ]
    if not shown:
        return
    notes = target.kind.comment_notes(user, target.obj, [entry.comment for entry in shown])
    for entry in shown:
        if entry.comment.pk in notes:
            entry.note, entry.note_template = notes[entry.comment.pk], target.kind.note_template


def ratings_of(user: Any, comments: list[Comment] | list[int]) -> dict[int, int]:
    """The viewer's own ratings of ``comments`` (or their ids), in one query."""
    if not user.is_authenticated or not comments:
        return {}
    ids = [c if isinstance(c, int) else c.pk for c in comments]
    # Written out: Django building and compiling the ORM query with its 30 ids was about
    # half the CPU of the cached thread's per-request part (issue 16, docs/performance.md).
    meta = CommentRating._meta
    comment, value, user_column = (
        connection.ops.quote_name(str(cast("Field[Any, Any]", meta.get_field(name)).column))
        for name in ("comment", "value", "user")
    )
    table = connection.ops.quote_name(meta.db_table)
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT {comment}, {value} FROM {table} "  # noqa: S608 - names from the model
        f"WHERE {user_column} = %s AND {comment} IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, *ids])
        return dict(cursor.fetchall())


def _first_replies(top_level: list[Comment]) -> list[Comment]:
    """The first replies of each top-level comment, in one query."""
    ids = [c.pk for c in top_level if c.reply_count]
    if not ids:
        return []
    return list(
        Comment.objects.filter(parent_id__in=ids)
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("parent_id")],
                order_by=[F("created_at").asc(), F("pk").asc()],
            )
        )
        .filter(position__lte=REPLIES_SHOWN)
        .for_display()
        .order_by("parent_id", "created_at", "pk")
    )


def clean_stance(slug: str | None) -> str:
    """The ``Stance`` value for an address's ``haltung`` (``dafuer``), empty if none or unknown."""
    return str(STANCE_SLUGS.get(slug or "", ""))


def _stance_filters(target: Commented, current: str) -> list[dict[str, Any]]:
    """The filter links of a target with stances: all comments, then each stance with its
    count (the counts its registration keeps)."""
    assert target.kind.stance_counts is not None
    counts = target.kind.stance_counts(target.obj)
    filters: list[dict[str, Any]] = [
        {"slug": "", "label": _("alle"), "count": sum(counts.values()), "current": not current}
    ]
    for slug, stance in STANCE_SLUGS.items():
        filters.append(
            {
                "slug": slug,
                "value": stance.value,
                "label": stance.label,
                "count": counts[stance.value],
                "current": current == stance.value,
            }
        )
    return filters


def thread_for(
    *,
    user: Any,
    project: Project,
    proposal: Proposal | None = None,
    debate: Commentable | None = None,
    target: Commentable | None = None,
    sort: str | None = DEFAULT_SORT,
    page: int | str | None = 1,
    stance: str | None = "",
    new_reply: Comment | None = None,
    facts: Facts | None = None,
) -> Thread:
    """The comment thread of ``proposal`` or a registered ``target`` (a debate, a draft
    paragraph; ``debate`` is its older name), or of ``project`` itself (neither).

    ``sort`` is "neueste" or "beste" (anything else: "neueste"); ``page`` may be any
    string from a query string (out-of-range or invalid values give the nearest page).
    In a debate, ``stance`` (a ``Stance`` value) shows only the top-level comments
    with that stance; anything else shows all. ``new_reply``, a reply just posted,
    is shown under its comment (if that is on the page) even when it is not among
    the first replies, and marked ``is_new``. The caller has checked that ``user``
    may see the project. ``facts`` are the viewer's, if the caller worked them out already.
    """
    sort = clean_sort(sort)
    debate = target if target is not None else debate  # the registered target (any kind)
    commented = targets.commented_object(debate)
    takes_stances = commented is not None and commented.kind.takes_stances
    stance = stance if takes_stances and stance in Stance.values else ""
    if facts is None:
        facts = Facts(user, project, proposal, debate)
    top_level = Comment.objects.on(project=project, proposal=proposal, debate=debate).top_level()
    if stance:
        top_level = top_level.filter(stance=stance)
    paginated = Paginator(top_level.for_display().sorted_by(sort), PAGE_SIZE).get_page(page)
    tops = list(paginated.object_list)
    replies = _first_replies(tops)
    ratings = ratings_of(user, tops + replies)
    entries = []
    by_parent: dict[int, list[Comment]] = {}
    for reply in replies:
        by_parent.setdefault(reply.parent_id, []).append(reply)  # type: ignore[arg-type]
    if new_reply is not None and any(c.pk == new_reply.parent_id for c in tops):
        # Where the person who wrote it looks for it: under the comment, after the first replies.
        siblings = by_parent.setdefault(new_reply.parent_id, [])  # type: ignore[arg-type]
        if all(r.pk != new_reply.pk for r in siblings):
            siblings.append(new_reply)
    for comment in tops:
        entry = facts.entry(comment, ratings, with_form=True)
        shown = by_parent.get(comment.pk, [])
        entry.replies = [facts.entry(r, ratings, with_form=True) for r in shown]
        entry.hidden_replies = max(0, comment.reply_count - len(shown))
        for reply_entry in entry.replies:
            reply_entry.is_new = new_reply is not None and reply_entry.comment.pk == new_reply.pk
        entries.append(entry)
    _add_notes(user, commented, entries, facts.staff)
    if commented is not None:
        count = commented.kind.comment_count(commented.obj)
    elif proposal is not None:
        count = proposal.comment_count
    else:
        count = Comment.objects.on(project=project).visible().count()
    url = target_url(project, proposal, debate)
    form: CommentForm | None = None
    if facts.commenting_open:
        form_class = StanceCommentForm if takes_stances else CommentForm
        form = form_class(auto_id=NEW_COMMENT_ID)
    return Thread(
        project=project,
        proposal=proposal,
        target=commented,
        sort=sort,
        sorts=[
            {"key": key, "label": label, "current": key == sort} for key, label in SORTS.items()
        ],
        page=paginated,
        entries=entries,
        comment_count=count,
        can_comment=facts.commenting_open,
        refusal=facts.commenting.reason,
        form=form,
        post_url=url,
        page_url=url,
        stance=stance,
        stance_filters=_stance_filters(commented, stance)
        if commented is not None and takes_stances
        else [],
    )


def thread_for_request(
    request: HttpRequest,
    *,
    project: Project,
    proposal: Proposal | None = None,
    debate: Commentable | None = None,
    target: Commentable | None = None,
) -> Thread:
    """``thread_for`` with sort, page (and in a debate the stance) from the query string.

    ``?kommentare=beste&kseite=2``, in debates also ``&haltung=dafuer``.
    """
    return thread_for(
        user=request.user,
        project=project,
        proposal=proposal,
        debate=target if target is not None else debate,
        sort=request.GET.get(SORT_PARAM),
        page=request.GET.get(PAGE_PARAM),
        stance=clean_stance(request.GET.get(STANCE_PARAM)),
    )


def thread_of(*, user: Any, comment: Comment, page: int | str | None = 1) -> Thread:
    """One whole thread: the top-level comment of ``comment`` and all its replies (paginated)."""
    top = comment.parent if comment.parent_id else comment
    assert top is not None
    on = targets.of_comment(top)
    project, proposal, debate = top.project, top.proposal, on.obj if on else None
    facts = Facts(user, project, proposal, debate, in_list=False)
    replies = Paginator(
        top.replies.for_display().order_by("created_at", "pk"), THREAD_PAGE_SIZE
    ).get_page(page)
    shown = list(replies.object_list)
    ratings = ratings_of(user, [top, *shown])
    entry = facts.entry(top, ratings, with_form=True)
    entry.replies = [facts.entry(r, ratings, with_form=True) for r in shown]
    _add_notes(user, on, [entry], facts.staff)
    url = target_url(project, proposal, debate)
    return Thread(
        project=project,
        proposal=proposal,
        target=targets.commented_object(debate),
        sort=DEFAULT_SORT,
        sorts=[],
        page=replies,
        entries=[entry],
        comment_count=top.reply_count,
        can_comment=facts.commenting_open,
        refusal=facts.commenting.reason,
        form=None,
        post_url=url,
        page_url=reverse("comments:thread", args=[top.pk]),
        single=entry,
    )


def entry_for(*, user: Any, comment: Comment, in_list: bool = True) -> Entry:
    """One comment with the viewer's rating and permissions (htmx answers)."""
    on = targets.of_comment(comment)
    facts = Facts(user, comment.project, comment.proposal, on.obj if on else None, in_list=in_list)
    entry = facts.entry(comment, ratings_of(user, [comment]), with_form=True)
    _add_notes(user, on, [entry], facts.staff)
    return entry


def reply_rank(reply: Comment) -> int:
    """1-based position of a reply in its thread (oldest first), in one query."""
    return (
        Comment.objects.filter(parent_id=reply.parent_id)
        .filter(
            Q(created_at__lt=reply.created_at) | Q(created_at=reply.created_at, pk__lte=reply.pk)
        )
        .count()
    )


def reply_page_number(rank: int) -> int:
    """On which page of its whole thread the reply at ``rank`` appears."""
    return (max(rank, 1) - 1) // THREAD_PAGE_SIZE + 1
