"""Word-level differences between two texts (a paragraph and a suggested wording).

Texts are split into tokens – words, runs of whitespace, single punctuation marks – and
compared with ``difflib.SequenceMatcher``. The result is a list of operations that turns
the old text into the new one exactly (``apply``); the page renders them as ``<del>``
and ``<ins>`` with words for screen readers, never colour alone.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

# A word (letters, digits, umlauts, inner hyphens/apostrophes), whitespace, or one other
# character (punctuation, Markdown marks).
TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|\s+|[^\w\s]", re.UNICODE)

Op = Literal["equal", "delete", "insert"]


@dataclass(frozen=True)
class Piece:
    op: Op
    text: str


def tokens(text: str) -> list[str]:
    found = TOKEN.findall(text)
    assert "".join(found) == text  # every character belongs to exactly one token
    return found


def word_diff(old: str, new: str) -> list[Piece]:
    """The pieces that turn ``old`` into ``new``: kept, deleted and inserted text.

    A replacement becomes a deletion followed by an insertion; neighbouring pieces of the
    same kind are merged.
    """
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    pieces: list[Piece] = []

    def add(op: Op, text: str) -> None:
        if not text:
            return
        if pieces and pieces[-1].op == op:
            pieces[-1] = Piece(op, pieces[-1].text + text)
        else:
            pieces.append(Piece(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", "".join(a[i1:i2]))
        else:
            add("delete", "".join(a[i1:i2]))
            add("insert", "".join(b[j1:j2]))
    return pieces


def old_text(pieces: list[Piece]) -> str:
    return "".join(p.text for p in pieces if p.op != "insert")


def apply(pieces: list[Piece]) -> str:
    """The new text: what is kept and inserted."""
    return "".join(p.text for p in pieces if p.op != "delete")


def changed_words(pieces: list[Piece]) -> int:
    """How many words were deleted or inserted (for a short summary)."""
    return sum(
        len([t for t in tokens(p.text) if not t.isspace()]) for p in pieces if p.op != "equal"
    )


def render(pieces: list[Piece]) -> SafeString:
    """HTML of the difference: ``<del>``/``<ins>`` with the change named for screen
    readers (a hidden "gestrichen:"/"eingefügt:" before, "Ende" after)."""
    deleted, inserted, end = _("gestrichen:"), _("eingefügt:"), _("Ende der Änderung")
    parts: list[tuple[str, ...]] = []
    for piece in pieces:
        if piece.op == "equal":
            parts.append(("{}", piece.text))
        elif piece.op == "delete":
            parts.append(
                (
                    '<del><span class="kern-sr-only">{} </span>{}'
                    '<span class="kern-sr-only"> ({})</span></del>',
                    deleted,
                    piece.text,
                    end,
                )
            )
        else:
            parts.append(
                (
                    '<ins><span class="kern-sr-only">{} </span>{}'
                    '<span class="kern-sr-only"> ({})</span></ins>',
                    inserted,
                    piece.text,
                    end,
                )
            )
    return format_html_join("", "{}", ((format_html(fmt, *args),) for fmt, *args in parts))
