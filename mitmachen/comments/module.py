"""Comments as a participation module (``projects.modules``): the discussion at the end
of a project, of a proposal and of a debate, and the CSV export on the staff start page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mitmachen.comments.models import COMMENT, NEW_COMMENT
from mitmachen.comments.selectors import thread_for_request
from mitmachen.core.sections import Section
from mitmachen.projects.models import Project
from mitmachen.projects.modules import CachedModel, ParticipationModule, PhaseAction


def project_thread(request: HttpRequest, project: Project) -> dict[str, Any]:
    return {"thread": thread_for_request(request, project=project)}


def proposal_thread(request: HttpRequest, proposal: Any) -> dict[str, Any]:
    return {"thread": thread_for_request(request, project=proposal.project, proposal=proposal)}


def debate_thread(request: HttpRequest, debate: Any) -> dict[str, Any]:
    return {"thread": thread_for_request(request, project=debate.project, debate=debate)}


def export_link(request: HttpRequest, project: Project) -> dict[str, Any]:
    return {}


THREAD = "comments/sections/thread.html"

MODULE = ParticipationModule(
    label="comments",
    urls="mitmachen.comments.urls",
    phase_actions=(PhaseAction(COMMENT, _("Kommentieren"), order=10),),
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
)
