"""Draft texts as a participation module (``projects.modules``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mitmachen.core.sections import Section
from mitmachen.drafts.demo import seed_demo
from mitmachen.drafts.models import COMMENT_TEXT, SUGGESTION_WEIGHED
from mitmachen.drafts.selectors import drafts_of
from mitmachen.projects.models import Project
from mitmachen.projects.modules import CachedModel, ParticipationModule, PhaseAction


def project_section(request: HttpRequest, project: Project) -> dict[str, Any] | None:
    """The project's drafts with their size and responses (one query); nothing without."""
    drafts = list(
        drafts_of(request.user, project).annotate(
            paragraph_total=Count("paragraphs"),
            responses=Sum("paragraphs__agree_count")
            + Sum("paragraphs__disagree_count")
            + Sum("paragraphs__suggestion_count"),
            suggestion_total=Sum(
                "paragraphs__suggestion_count", filter=Q(paragraphs__suggestion_count__gt=0)
            ),
        )
    )
    if not drafts:
        return None
    for draft in drafts:
        draft.project = project
    return {"drafts": drafts}


MODULE = ParticipationModule(
    label="drafts",
    urls="mitmachen.drafts.urls",
    phase_actions=(PhaseAction(COMMENT_TEXT, _("Textentwurf kommentieren"), order=15),),
    sections=(Section("project", "drafts", "drafts/sections/project.html", project_section, 15),),
    page_cache=(
        CachedModel("drafts.Draft"),
        CachedModel("drafts.Chapter", "draft.project_id"),
        CachedModel("drafts.Paragraph", "draft.project_id"),
        CachedModel("drafts.Suggestion"),
    ),
    not_on_public_pages=(
        # A person's own vote shows only on their signed-in pages (never cached); the
        # counts on the paragraph change with it, and drafts.services calls changed().
        "drafts.ParagraphVote",
    ),
    notification_kinds=((SUGGESTION_WEIGHED, _("Änderungsvorschlag abgewogen")),),
    demo=seed_demo,
)
