"""Text drafts in a process template (``projects.modules.TemplatePart``): each draft's
title, address, introduction and the text of its current version as chapters and
paragraphs. No votes, suggestions or comments, and no earlier versions: the imported
draft starts as version 1 of that text."""

from __future__ import annotations

from typing import Annotated, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field, model_validator

from mitmachen.drafts.importer import ParsedChapter, ParsedDraft
from mitmachen.drafts.models import (
    PARAGRAPH_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Chapter,
    Draft,
    Paragraph,
    Suggestion,
    Version,
)
from mitmachen.drafts.services import _store_text
from mitmachen.processtemplates.schema import Item
from mitmachen.projects.modules import TemplatePart

Paragraph_ = Annotated[str, Field(min_length=1, max_length=PARAGRAPH_MAX_LENGTH)]


class ChapterEntry(Item):
    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX_LENGTH)]
    paragraphs: Annotated[list[Paragraph_], Field(min_length=1, max_length=1000)]


class DraftEntry(Item):
    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX_LENGTH)]
    slug: Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
    intro: Annotated[str, Field(max_length=5000)] = ""
    published: bool = False
    chapters: Annotated[list[ChapterEntry], Field(min_length=1, max_length=200)]

    @model_validator(mode="after")
    def _size(self) -> DraftEntry:
        if sum(len(c.paragraphs) for c in self.chapters) > 1000:
            raise ValueError(_("Ein Textentwurf hat höchstens 1.000 Absätze."))
        return self


def export(project: Any, phase_index: dict[int, int]) -> list[dict[str, Any]]:
    drafts = list(Draft.objects.filter(project=project).order_by("title", "pk"))
    chapters = Chapter.objects.filter(draft__in=drafts).order_by("position", "pk")
    paragraphs = Paragraph.objects.filter(draft__in=drafts).order_by("number", "pk")
    by_chapter: dict[int, list[str]] = {}
    for paragraph in paragraphs:
        by_chapter.setdefault(paragraph.chapter_id, []).append(paragraph.text)
    entries = []
    for draft in drafts:
        current = [c for c in chapters if c.draft_id == draft.pk and c.version == draft.version]
        text = [
            {"title": c.title, "paragraphs": by_chapter[c.pk]}
            for c in current
            if c.pk in by_chapter
        ]
        if text:
            entries.append(
                {
                    "title": draft.title,
                    "slug": draft.slug,
                    "intro": draft.intro,
                    "published": draft.is_public,
                    "chapters": text,
                }
            )
    return entries


def check(entries: list[Any], phases: list[Any]) -> list[str]:
    slugs = [e.slug for e in entries]
    if len(set(slugs)) != len(slugs):
        return [_("Zwei Textentwürfe haben dieselbe Adresse („slug“).")]
    return []


@transaction.atomic
def create(*, user: Any, project: Any, entries: list[Any], phases: list[Any]) -> int:
    """The drafts of a new draft project, each as version 1 (the importer's transaction)."""
    rows = 0
    for entry in entries:
        draft = Draft(
            project=project,
            title=entry.title,
            slug=entry.slug,
            intro=entry.intro,
            is_public=entry.published,
        )
        draft.full_clean()
        draft.save()
        Version.objects.create(draft=draft, number=1)
        parsed = ParsedDraft([ParsedChapter(c.title, list(c.paragraphs)) for c in entry.chapters])
        _store_text(draft, 1, parsed, keys=None)
        rows += 2 + len(entry.chapters) + parsed.paragraph_count
    return rows


def describe(entry: Any) -> str:
    return _("%(title)s (%(chapters)s Kapitel, %(paragraphs)s Absätze)") % {
        "title": entry.title,
        "chapters": len(entry.chapters),
        "paragraphs": sum(len(c.paragraphs) for c in entry.chapters),
    }


def results(project: Any) -> dict[str, int]:
    return {_("Änderungsvorschläge zu Texten"): Suggestion.objects.filter(project=project).count()}


TEMPLATE_PART = TemplatePart(
    key="drafts",
    label=gettext_lazy("Textentwürfe"),
    item=DraftEntry,
    export=export,
    check=check,
    create=create,
    describe=describe,
    results=results,
)
