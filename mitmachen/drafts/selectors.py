"""Reads of drafts shared by views and sections (no writes here)."""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import F, QuerySet
from django.http import Http404

from mitmachen.drafts.models import Chapter, Draft, Paragraph, ParagraphVote, Suggestion
from mitmachen.drafts.permissions import manages
from mitmachen.projects.models import Project
from mitmachen.projects.selectors import visible_project_or_404


def visible_draft_or_404(user: Any, project_slug: str, draft_slug: str) -> Draft:
    project = visible_project_or_404(user, project_slug)
    draft = Draft.objects.filter(project=project, slug=draft_slug).first()
    if draft is None:
        raise Http404
    draft.project = project
    if not rules.has_perm("drafts.view_draft", user, draft):
        raise Http404
    return draft


def drafts_of(user: Any, project: Project) -> QuerySet[Draft]:
    """The project's drafts this person may read: published ones; staff see all."""
    drafts = Draft.objects.filter(project=project)
    probe = Draft(project=project)
    if not manages(user, probe):
        drafts = drafts.filter(is_public=True)
    return drafts.order_by("title")


def chapters_with_paragraphs(draft: Draft) -> list[Chapter]:
    """The chapters, each with ``paragraph_list``: two queries whatever the length."""
    chapters = list(Chapter.objects.filter(draft=draft).order_by("position"))
    by_chapter: dict[int, list[Paragraph]] = {c.pk: [] for c in chapters}
    for paragraph in Paragraph.objects.filter(draft=draft).order_by("number"):
        paragraph.draft = draft
        by_chapter[paragraph.chapter_id].append(paragraph)
    for chapter in chapters:
        chapter.paragraph_list = by_chapter[chapter.pk]  # type: ignore[attr-defined]
    return chapters


def most_discussed(draft: Draft, limit: int = 30) -> list[Paragraph]:
    """Paragraphs with any response, most responses first."""
    paragraphs: list[Paragraph] = list(
        Paragraph.objects.filter(draft=draft)
        .annotate(responses=F("agree_count") + F("disagree_count") + F("suggestion_count"))
        .filter(responses__gt=0)
        .select_related("chapter")
        .order_by("-responses", "number")[:limit]
    )
    for paragraph in paragraphs:
        paragraph.draft = draft
    return paragraphs


def votes_of(user: Any, draft: Draft) -> dict[int, int]:
    """The person's votes on the draft's paragraphs: paragraph id → 1 or -1 (one query)."""
    if not user.is_authenticated:
        return {}
    return dict(
        ParagraphVote.objects.filter(user=user, paragraph__draft=draft).values_list(
            "paragraph_id", "value"
        )
    )


def suggestions_of(paragraph: Paragraph, *, staff: bool) -> QuerySet[Suggestion]:
    suggestions = Suggestion.objects.filter(paragraph=paragraph).select_related(
        "author", "weighed_by"
    )
    if not staff:
        suggestions = suggestions.filter(hidden_at__isnull=True)
    return suggestions.order_by("created_at", "pk")
