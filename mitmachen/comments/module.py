"""Comments as a participation module (``projects.modules``): the discussion at the end
of a project, of a proposal and of a debate, and the CSV export on the staff start page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mitmachen.comments import statistics as comments_statistics
from mitmachen.comments import targets
from mitmachen.comments.collected import COLLECTED
from mitmachen.comments.fragments import thread_for_request
from mitmachen.comments.models import COMMENT, NEW_COMMENT, Comment
from mitmachen.comments.services import comments_set_hidden
from mitmachen.core.sections import Section
from mitmachen.projects.models import Project
from mitmachen.projects.modules import (
    CachedModel,
    Gender,
    ModerationTarget,
    ParticipationModule,
    PhaseAction,
)
from mitmachen.projects.origins import OriginKind


def project_thread(request: HttpRequest, project: Project) -> dict[str, Any]:
    return {"thread": thread_for_request(request, project=project)}


def proposal_thread(request: HttpRequest, proposal: Any) -> dict[str, Any]:
    return {"thread": thread_for_request(request, project=proposal.project, proposal=proposal)}


def debate_thread(request: HttpRequest, debate: Any) -> dict[str, Any]:
    return {"thread": thread_for_request(request, project=debate.project, debate=debate)}


def export_link(request: HttpRequest, project: Project) -> dict[str, Any]:
    return {}


THREAD = "comments/sections/thread.html"


# Moderation: what the moderation app shows and does with a comment.


def _excerpt(comment: Comment, length: int) -> str:
    text = (comment.text or "").replace("\n", " ")
    return text if len(text) <= length else text[: length - 1] + "…"


def moderation_subject(comment: Comment) -> str:
    return gettext("Kommentar „%(text)s“") % {"text": _excerpt(comment, 120)}


def moderation_yours(comment: Comment) -> str:
    return gettext("Ihr Kommentar")


def moderation_headline(comment: Comment) -> str:
    return gettext("(gelöscht)") if comment.is_deleted else _excerpt(comment, 100)


def moderation_context(comment: Comment) -> str:
    """What the comment belongs to: its proposal, its registered target, its project."""
    if comment.proposal_id is not None:
        return str(comment.proposal.title)  # type: ignore[union-attr]
    on = targets.of_comment(comment)
    return on.title if on is not None else str(comment.project.title)


def hidden_with_target(comment: Comment) -> bool:
    """A comment of a hidden debate is hidden with it."""
    on = targets.of_comment(comment)
    return on is not None and on.kind.hidden(on.obj)


MODERATION_TARGET = ModerationTarget(
    model="comments.Comment",
    key="comment",
    slug="kommentar",
    staff_slug="kommentare",
    label=_("Kommentar"),
    label_plural=_("Kommentare"),
    gender=Gender.MASCULINE,
    subject=moderation_subject,
    yours=moderation_yours,
    headline=moderation_headline,
    context=moderation_context,
    template="comments/moderation/target.html",
    select_related=("project__organisation", "proposal", *targets.KEYS, "author"),
    # Hiding and showing move the proposal's or debate's counters (``comments_set_hidden``);
    # comments lock first (the lock order of ``comments.services``).
    set_hidden=comments_set_hidden,
    lock_order=10,
    hidden_with=hidden_with_target,
)


def _visible_comments(user: Any, rows: Any) -> Any:
    """Comments whose thread the person may open (``views._visible_comment``): neither
    deleted nor hidden, in a project they may see, not hidden with their proposal,
    debate or unpublished draft."""
    return (
        rows.visible()
        .filter(project__in=Project.objects.visible_to(user))
        .exclude(proposal__hidden_at__isnull=False)
        .exclude(debate__hidden_at__isnull=False)
        .exclude(paragraph__draft__is_public=False)
    )


def _comment_people(comment: Comment) -> Any:
    from django.contrib.auth import get_user_model

    # The author (none for a comment entered offline, or after the account was deleted).
    return get_user_model().objects.filter(pk__in=[comment.author_id] if comment.author_id else [])


# A comment opening a thread can become a measure ("Daraus wurde die Maßnahme …" on its
# thread page, ``comment.footer``); a reply is part of its thread.
ORIGIN = OriginKind(
    key="kommentar",
    model="comments.Comment",
    label=_("Kommentar"),
    visible=_visible_comments,
    title=lambda comment: _excerpt(comment, 100),
    text=lambda comment: str(comment.text),
    footer="comment.footer",
    ready=lambda comment: comment.parent_id is None and not comment.is_deleted,
    people=_comment_people,
)


MODULE = ParticipationModule(
    label="comments",
    collected_offline=(COLLECTED,),
    urls="mitmachen.comments.urls",
    phase_actions=(
        PhaseAction(
            COMMENT,
            _("Kommentieren"),
            order=10,
            explanation=_("Teilnehmende schreiben Kommentare zu Vorschlägen und Debatten."),
        ),
    ),
    sections=(
        Section("project.discussion", "comments", THREAD, project_thread),
        Section("proposal.discussion", "comments", THREAD, proposal_thread),
        Section("debate.discussion", "comments", THREAD, debate_thread),
        Section("dashboard.project", "comments", "comments/sections/export_link.html", export_link),
    ),
    page_cache=(
        CachedModel("comments.Comment"),
        CachedModel("comments.CommentRating", "comment.project_id"),
    ),
    notification_kinds=((NEW_COMMENT, _("Neuer Kommentar")),),
    moderation_targets=(MODERATION_TARGET,),
    statistics=comments_statistics.statistics,
    origins=(ORIGIN,),
)
