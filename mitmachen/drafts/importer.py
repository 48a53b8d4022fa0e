"""Read a draft's text from Markdown or Word: headings become chapters, blocks paragraphs.

Staff write in Markdown or paste it; ``parse_markdown`` gives the chapters with their
paragraphs for a preview, or a ``ValidationError`` with a German reason, and
``drafts.services.draft_import`` stores it. A block is what blank lines separate: a
paragraph of prose, a list, a table, a quotation. Text before the first heading goes
into a first chapter "Vorbemerkung". A Word file (``parse_docx``) is checked and turned
into that Markdown first.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import mammoth
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mitmachen.drafts.models import PARAGRAPH_MAX_LENGTH, TITLE_MAX_LENGTH

MAX_IMPORT_CHARACTERS = 2_000_000
MAX_PARAGRAPHS = 1_000
MAX_CHAPTERS = 200
# A closing sequence of hashes needs a space before it: "# C#" is the title "C#".
HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
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


# --- Word (.docx) --------------------------------------------------------------------
#
# A .docx file is a zip archive of XML parts. ``parse_docx`` looks at the archive's
# directory before anything is unpacked and refuses what is not a plain Word document
# or could exhaust the server; then mammoth turns Word's styles into simple HTML
# (Heading 1/2 → <h1>/<h2>, lists, bold, italic, links, tables), and ``_Markdown`` writes
# that as the Markdown the text import reads. The result goes through ``parse_markdown``
# and the same preview, and is rendered through the same sanitiser, as pasted Markdown.

MAX_DOCX_BYTES = 20 * 1024 * 1024  # the uploaded file
MAX_DOCX_UNPACKED = 100 * 1024 * 1024  # all parts together, as the archive declares them
MAX_DOCUMENT_XML = 10 * 1024 * 1024  # word/document.xml: mammoth holds it as a DOM
MAX_DOCX_ENTRIES = 1_000
MAX_RATIO = 100  # uncompressed : compressed, for a part larger than RATIO_GRACE
RATIO_GRACE = 100 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc, or an encrypted .docx
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CHAPTER_TAGS = {"h1", "h2"}
SMALL_HEADING_TAGS = {"h3", "h4", "h5", "h6"}
LINK_SCHEMES = ("http://", "https://", "mailto:")


@dataclass
class ParsedDocx:
    """The Markdown read from a Word file, and what of the file it leaves out."""

    markdown: str
    images: int = 0


def _refuse(message: str) -> ValidationError:
    return ValidationError(message)


def parse_docx(data: bytes) -> ParsedDocx:
    """The text of a Word file as Markdown; a ``ValidationError`` with a German reason
    for a file that is not a plain .docx, has macros, is encrypted, too big, a zip
    bomb or empty. Nothing is unpacked before the archive's directory was checked."""
    if len(data) > MAX_DOCX_BYTES:
        raise _refuse(_("Die Word-Datei ist zu groß (höchstens 20 MB)."))
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_PACKAGE in data:
            raise _refuse(_(ENCRYPTED))
        raise _refuse(_(OLD_WORD))
    if not data.startswith(ZIP_MAGIC):
        raise _refuse(_(NOT_DOCX))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise _refuse(_(NOT_DOCX)) from None
    with archive:
        _check_directory(infos)
        names = {info.filename.lower(): info for info in infos}
        if any(name.rsplit("/", 1)[-1] == "vbaproject.bin" for name in names):
            raise _refuse(_(MACROS))
        types = names.get("[content_types].xml")
        document = names.get("word/document.xml")
        if types is None or document is None:
            raise _refuse(_(NOT_DOCX))
        if document.file_size > MAX_DOCUMENT_XML:
            raise _refuse(
                _("Der Text der Word-Datei ist zu umfangreich (höchstens 10 MB entpackt).")
            )
        try:
            content_types = archive.read(types).decode("utf-8", "replace")
            if "macroenabled" in content_types.lower():
                raise _refuse(_(MACROS))
            if DOCUMENT_TYPE not in content_types:
                raise _refuse(_(NOT_DOCX))
            # Word writes no DTD; one could declare entities that expand without end.
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels")):
                    part = archive.read(info)
                    if b"<!DOCTYPE" in part or b"<!ENTITY" in part:
                        raise _refuse(_(NOT_DOCX))
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError):
            raise _refuse(_(DAMAGED)) from None  # a bad CRC or packed data
    images = 0

    def drop_image(image: Any) -> list[Any]:
        nonlocal images
        images += 1  # not opened: its bytes are never read
        return []

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            include_embedded_style_map=False,  # the file must not choose its own mapping
            external_file_access=False,
            convert_image=drop_image,
        )
    except Exception:  # mammoth raises anything on malformed parts
        raise _refuse(_(DAMAGED)) from None
    markdown = _Markdown(result.value).text()
    if not markdown.strip():
        raise _refuse(_("Die Word-Datei enthält keinen Text."))
    return ParsedDocx(markdown=markdown, images=images)


NOT_DOCX = gettext_noop(
    "Die Datei ist keine Word-Datei (.docx). Bitte speichern Sie das Dokument in Word als "
    "„Word-Dokument (.docx)“."
)
OLD_WORD = gettext_noop(
    "Die Datei ist im alten Word-Format (.doc). Bitte speichern Sie sie in Word als "
    "„Word-Dokument (.docx)“."
)
DAMAGED = gettext_noop("Die Word-Datei ist beschädigt und kann nicht gelesen werden.")
MACROS = gettext_noop(
    "Die Word-Datei enthält Makros (.docm). Bitte speichern Sie sie als "
    "„Word-Dokument (.docx)“ ohne Makros."
)
ENCRYPTED = gettext_noop(
    "Die Word-Datei ist mit einem Kennwort geschützt. Bitte speichern Sie sie ohne Kennwort."
)
ZIP_BOMB = gettext_noop(
    "Die Word-Datei würde entpackt zu groß (mehr als 100 MB oder ungewöhnlich stark "
    "gepackt). Sie wird aus Sicherheitsgründen nicht geöffnet."
)


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse by the archive's directory alone: what it declares bounds what unpacking
    yields (``zipfile`` stops at the declared size and fails on a wrong checksum)."""
    if len(infos) > MAX_DOCX_ENTRIES:
        raise _refuse(_(ZIP_BOMB))
    if any(info.flag_bits & 0x1 for info in infos):
        raise _refuse(_(ENCRYPTED))
    if sum(info.file_size for info in infos) > MAX_DOCX_UNPACKED:
        raise _refuse(_(ZIP_BOMB))
    for info in infos:
        if info.file_size > RATIO_GRACE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(_(ZIP_BOMB))


# --- mammoth's HTML as Markdown ---------------------------------------------------------

LINE_START = re.compile(r"^(#|>|-|\+|=+\s*$|~)")
NUMBERED = re.compile(r"^(\d+)\.(\s|$)")
ENTITY_LIKE = re.compile(r"&(?=#?\w)")  # also "&#0" and "&amp" without ";": HTML reads them too
TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
INLINE_SPECIAL = re.compile(r"([\\`*_\[\]|])")
WHITESPACE = re.compile(r"[ \t\u00a0]+")


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """mammoth writes well-formed HTML with closing tags; a tree of it."""

    VOID = frozenset({"br", "img", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def escape_text(text: str) -> str:
    """Word's text as Markdown that renders to the same characters."""
    text = INLINE_SPECIAL.sub(r"\\\1", text)
    text = ENTITY_LIKE.sub("&amp;", text)
    return TAG_LIKE.sub("&lt;", text)


def _line(line: str) -> str:
    """One line of a block: whitespace collapsed, and what would start a heading, a
    quotation, a list, a rule or a fence escaped."""
    line = WHITESPACE.sub(" ", line).strip()
    if NUMBERED.match(line):
        return NUMBERED.sub(r"\1\\.\2", line, count=1)
    match = LINE_START.match(line)
    if match:
        first = line[0]
        return ("&#61;" if first == "=" else "&#126;" if first == "~" else "\\" + first) + line[1:]
    return line


def _wrap(marker: str, inner: str) -> str:
    """``**inner**`` with the spaces around ``inner`` outside the markers (Markdown
    ignores emphasis that starts or ends with a space)."""
    stripped = inner.strip(" \t\n")
    if not stripped:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip(" \t\n"))]
    trail = inner[len(inner.rstrip(" \t\n")) :]
    return f"{lead}{marker}{stripped}{marker}{trail}"


class _Markdown:
    def __init__(self, html: str) -> None:
        builder = _TreeBuilder()
        builder.feed(html)
        builder.close()
        self.root = builder.root

    def text(self) -> str:
        blocks: list[str] = []
        for child in self.root.children:
            if isinstance(child, str):
                block = self._paragraph([child])
            elif child.tag in CHAPTER_TAGS:
                title = WHITESPACE.sub(" ", self._plain(child).replace("\n", " ")).strip()
                # A title that ends in "#" gets a closing "#" that keeps it.
                block = f"# {title}{' #' if title.endswith('#') else ''}" if title else ""
            elif child.tag in SMALL_HEADING_TAGS:
                block = self._paragraph([_Node("strong", children=child.children)])
            elif child.tag in ("ul", "ol"):
                notes = child.children and all(
                    isinstance(li, _Node)
                    and li.attrs.get("id", "").startswith(("footnote-", "endnote-"))
                    for li in child.children
                )
                block = "\n".join(self._list(child, 0))
                if notes and block:
                    notes_title = _("Anmerkungen")  # Word's footnotes and endnotes
                    block = f"# {notes_title}\n\n{block}"
            elif child.tag == "table":
                block = self._table(child)
            else:
                block = self._paragraph(child.children)
            if block:
                blocks.append(block)
        return "\n\n".join(blocks) + "\n"

    def _plain(self, node: _Node) -> str:
        return "".join(c if isinstance(c, str) else self._plain(c) for c in node.children)

    def _inline(self, children: list[_Node | str]) -> str:
        out = []
        for child in children:
            if isinstance(child, str):
                out.append(escape_text(child))
            elif child.tag == "br":
                out.append("\n")
            elif child.tag in ("strong", "b"):
                out.append(_wrap("**", self._inline(child.children)))
            elif child.tag in ("em", "i"):
                out.append(_wrap("*", self._inline(child.children)))
            elif child.tag == "a":
                out.append(self._link(child))
            elif child.tag == "img":
                continue
            elif child.tag in ("ul", "ol", "table"):
                continue  # lists inside list items are written by ``_list``
            else:  # p in a list item or cell, u, s, sup, sub, span: the text
                inner = self._inline(child.children)
                out.append(f"{inner}\n" if child.tag == "p" else inner)
        return "".join(out)

    def _link(self, node: _Node) -> str:
        inner = self._inline(node.children)
        href = node.attrs.get("href", "")
        if href.startswith("#"):
            # Footnote references keep their "[1]"; the way back ("↑") is dropped.
            return "" if self._plain(node).strip() == "↑" else inner
        if not href.lower().startswith(LINK_SCHEMES) or not inner.strip():
            return inner
        target = "".join(f"%{ord(c):02X}" if c in " ()<>\n" else c for c in href)
        return _wrap("", f"[{inner.strip()}]({target})")

    def _paragraph(self, children: list[_Node | str]) -> str:
        lines = [_line(line) for line in self._inline(children).split("\n")]
        return "\n".join(line for line in lines if line)

    def _list(self, node: _Node, depth: int) -> list[str]:
        lines = []
        number = 0
        for item in node.children:
            if not isinstance(item, _Node) or item.tag != "li":
                continue
            number += 1
            text = " ".join(
                filter(None, (_line(line) for line in self._inline(item.children).split("\n")))
            )
            marker = f"{number}. " if node.tag == "ol" else "- "
            lines.append("    " * depth + marker + text)
            for child in item.children:
                if isinstance(child, _Node) and child.tag in ("ul", "ol"):
                    lines.extend(self._list(child, depth + 1))
        return lines

    def _table(self, node: _Node) -> str:
        rows: list[list[str]] = []

        def collect(current: _Node) -> None:
            for child in current.children:
                if not isinstance(child, _Node):
                    continue
                if child.tag == "tr":
                    rows.append(
                        [
                            " ".join(
                                filter(
                                    None,
                                    (
                                        WHITESPACE.sub(" ", line).strip()
                                        for line in self._inline(cell.children).split("\n")
                                    ),
                                )
                            )
                            for cell in child.children
                            if isinstance(cell, _Node) and cell.tag in ("td", "th")
                        ]
                    )
                elif child.tag in ("thead", "tbody", "tfoot"):
                    collect(child)

        collect(node)
        rows = [row for row in rows if any(row)]
        if not rows:
            return ""
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        lines = ["| " + " | ".join(row) + " |" for row in rows]
        lines.insert(1, "|" + " --- |" * width)
        return "\n".join(lines)
