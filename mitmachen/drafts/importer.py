"""Read a draft's text from Markdown: headings become chapters, blocks paragraphs.

Staff write in Markdown or paste it; ``parse_markdown`` gives the chapters with their
paragraphs for a preview, or a ``ValidationError`` with a German reason, and
``drafts.services.draft_import`` stores it. A block is what blank lines separate: a
paragraph of prose, a list, a table, a quotation. Text before the first heading goes
into a first chapter "Vorbemerkung".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mitmachen.drafts.models import PARAGRAPH_MAX_LENGTH, TITLE_MAX_LENGTH

MAX_IMPORT_CHARACTERS = 2_000_000
MAX_PARAGRAPHS = 1_000
MAX_CHAPTERS = 200
HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
FENCE = re.compile(r"^(```|~~~)")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class ParsedChapter:
    title: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class ParsedDraft:
    chapters: list[ParsedChapter]

    @property
    def paragraph_count(self) -> int:
        return sum(len(c.paragraphs) for c in self.chapters)


def parse_markdown(text: str) -> ParsedDraft:
    """The chapters and paragraphs of ``text``; refuses what cannot be a draft."""
    if len(text) > MAX_IMPORT_CHARACTERS:
        raise ValidationError(
            _("Der Text ist zu lang (höchstens %(max)s Zeichen).")
            % {"max": f"{MAX_IMPORT_CHARACTERS:,}".replace(",", ".")}
        )
    text = CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    chapters: list[ParsedChapter] = []
    block: list[str] = []
    in_fence = False

    def current() -> ParsedChapter:
        if not chapters:
            chapters.append(ParsedChapter(_("Vorbemerkung")))
        return chapters[-1]

    def end_block() -> None:
        paragraph = "\n".join(block).strip()
        block.clear()
        if paragraph:
            current().paragraphs.append(paragraph)

    for line in text.split("\n"):
        if FENCE.match(line.strip()):
            in_fence = not in_fence
            block.append(line)
            continue
        heading = None if in_fence else HEADING.match(line.strip())
        if heading:
            end_block()
            title = heading.group(2).strip()
            if len(title) > TITLE_MAX_LENGTH:
                raise ValidationError(
                    _("Die Überschrift „%(title)s…“ ist zu lang (höchstens %(max)d Zeichen).")
                    % {"title": title[:40], "max": TITLE_MAX_LENGTH}
                )
            chapters.append(ParsedChapter(title))
        elif not line.strip() and not in_fence:
            end_block()
        else:
            block.append(line)
    end_block()

    chapters = [c for c in chapters if c.paragraphs]
    parsed = ParsedDraft(chapters)
    if not parsed.paragraph_count:
        raise ValidationError(_("Der Text enthält keinen Absatz."))
    if len(chapters) > MAX_CHAPTERS:
        raise ValidationError(
            _("Der Text hat zu viele Kapitel (höchstens %(max)d).") % {"max": MAX_CHAPTERS}
        )
    if parsed.paragraph_count > MAX_PARAGRAPHS:
        raise ValidationError(
            _("Der Text hat zu viele Absätze (höchstens %(max)d).") % {"max": MAX_PARAGRAPHS}
        )
    number = 0
    for chapter in chapters:
        for paragraph in chapter.paragraphs:
            number += 1
            if len(paragraph) > PARAGRAPH_MAX_LENGTH:
                raise ValidationError(
                    _("Absatz %(number)d ist zu lang (höchstens %(max)s Zeichen).")
                    % {"number": number, "max": f"{PARAGRAPH_MAX_LENGTH:,}".replace(",", ".")}
                )
    return parsed
