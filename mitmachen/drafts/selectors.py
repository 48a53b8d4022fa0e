"""Reads of drafts shared by views and sections (no writes here)."""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import F, QuerySet
from django.http import Http404

from mitmachen.drafts.models import (
    Chapter,
    Draft,
    Paragraph,
    ParagraphVote,
    Suggestion,
    SuggestionSupport,
    Version,
    Weighing,
)
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


def requested_version(draft: Draft, value: str | None) -> int:
    """The version asked for by ``?fassung=<n>``: an existing one, else the current."""
    if value and value.isdigit() and 1 <= int(value) <= draft.version:
        return int(value)
    return draft.version


def versions_of(draft: Draft) -> list[Version]:
    return list(Version.objects.filter(draft=draft).order_by("number"))


def chapters_with_paragraphs(draft: Draft, version: int | None = None) -> list[Chapter]:
    """The chapters of ``version`` (the current one by default), each with
    ``paragraph_list``: two queries whatever the length."""
    version = draft.version if version is None else version
    chapters = list(Chapter.objects.filter(draft=draft, version=version).order_by("position"))
    by_chapter: dict[int, list[Paragraph]] = {c.pk: [] for c in chapters}
    for paragraph in Paragraph.objects.filter(draft=draft, version=version).order_by("number"):
        paragraph.draft = draft
        by_chapter[paragraph.chapter_id].append(paragraph)
    for chapter in chapters:
        chapter.paragraph_list = by_chapter[chapter.pk]  # type: ignore[attr-defined]
    return chapters


def most_discussed(draft: Draft, limit: int = 30) -> list[Paragraph]:
    """Paragraphs with any response, most responses first."""
    paragraphs: list[Paragraph] = list(
        Paragraph.objects.filter(draft=draft, version=draft.version)
        .annotate(
            responses=F("agree_count")
            + F("disagree_count")
            + F("suggestion_count")
            + F("comment_count")
        )
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


def supported_by(user: Any, suggestions: list[Suggestion]) -> set[int]:
    """Which of ``suggestions`` the person supports (one query)."""
    if not user.is_authenticated or not suggestions:
        return set()
    return set(
        SuggestionSupport.objects.filter(
            user=user, suggestion__in=[s.pk for s in suggestions]
        ).values_list("suggestion_id", flat=True)
    )


def suggestions_of(paragraph: Paragraph, *, staff: bool) -> QuerySet[Suggestion]:
    """The suggestions on this paragraph in its version and in the versions before (the
    same ``key``): those on an older version are shown "zu Fassung <n>"."""
    suggestions = Suggestion.objects.filter(
        paragraph__draft_id=paragraph.draft_id,
        paragraph__key=paragraph.key,
        paragraph__version__lte=paragraph.version,
    ).select_related("author", "weighed_by", "paragraph")
    if not staff:
        suggestions = suggestions.filter(hidden_at__isnull=True)
    return suggestions.order_by("created_at", "pk")


def earlier_comment_counts(paragraph: Paragraph) -> list[Paragraph]:
    """The same paragraph (its ``key``) in the versions before ``paragraph``'s that received
    comments, oldest first: their comments stay there, shown "zu Fassung <n>" (one query)."""
    earlier: list[Paragraph] = list(
        Paragraph.objects.filter(
            draft_id=paragraph.draft_id,
            key=paragraph.key,
            version__lt=paragraph.version,
            comment_count__gt=0,
        ).order_by("version")
    )
    for row in earlier:
        row.draft = paragraph.draft
    return earlier


def paragraphs_of_versions(
    draft: Draft, old: int, new: int
) -> tuple[list[Paragraph], list[Paragraph]]:
    """The paragraphs of two versions, each in order (one query)."""
    by_version: dict[int, list[Paragraph]] = {old: [], new: []}
    rows = (
        Paragraph.objects.filter(draft=draft, version__in=[old, new])
        .select_related("chapter")
        .order_by("version", "number")
    )
    for paragraph in rows:
        paragraph.draft = draft
        by_version[paragraph.version].append(paragraph)
    return by_version[old], by_version[new]


ADOPTED = (Weighing.ADOPTED, Weighing.PARTLY)


def adopted_suggestions(draft: Draft) -> list[Suggestion]:
    """The visible suggestions the administration adopted (fully or partly), each with
    ``next_paragraph``: the same paragraph in the version after the one it was made on
    (None when that version dropped it, or when there is no later version yet). Two
    queries whatever the number."""
    suggestions = list(
        Suggestion.objects.filter(
            paragraph__draft=draft, hidden_at__isnull=True, weighing__in=ADOPTED
        )
        .select_related("paragraph__chapter", "author__home_district")
        .order_by("paragraph__version", "paragraph__number", "created_at", "pk")
    )
    wanted = {(s.paragraph.version + 1, s.paragraph.key) for s in suggestions}
    later: dict[tuple[int, str], Paragraph] = {}
    versions = {version for version, _key in wanted if version <= draft.version}
    if versions:
        rows = Paragraph.objects.filter(
            draft=draft,
            version__in=versions,
            key__in={key for version, key in wanted if version in versions},
        )
        for paragraph in rows:
            later[(paragraph.version, paragraph.key)] = paragraph
    for suggestion in suggestions:
        suggestion.paragraph.draft = draft
        found = later.get((suggestion.paragraph.version + 1, suggestion.paragraph.key))
        if found is not None:
            found.draft = draft
        suggestion.next_paragraph = found  # type: ignore[attr-defined]
    return suggestions
