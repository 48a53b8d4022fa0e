"""PDF uploads: accept only real, readable, unencrypted PDFs of sensible size, and store
a rewritten copy without active content.

A PDF can carry JavaScript (run when it opens: ``/OpenAction``, ``/AA``, ``/Names``
``/JavaScript``), launch programs (``/Launch``), embed other files (``/EmbeddedFiles``,
file-attachment annotations), and bytes appended after its end (a "polyglot" that is
also an HTML page). ``validate_pdf`` stores only the pages, rewritten with pypdf:
the document catalog (open actions, names, forms, outlines, metadata) is not copied,
trailing bytes are gone, and ``_scrub`` removes every remaining action other than a
link within the document or to a web or mail address.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

MAX_PDF_BYTES = 10 * 1024 * 1024
MAX_PAGES = 300

# Keys whose values are scripts, automatic actions or embedded files: always dropped.
_DROP_KEYS = {
    "/OpenAction",
    "/AA",
    "/JS",
    "/JavaScript",
    "/EmbeddedFiles",
    "/EF",
    "/XFA",
    "/RichMediaContent",
}
# Actions that stay: jumps within the document and links to web or mail addresses.
_SAFE_ACTIONS = {"/GoTo", "/URI", "/Named"}
_SAFE_URI_SCHEMES = ("http://", "https://", "mailto:")
# Annotations that play, run or embed something are removed from the page.
_UNSAFE_ANNOTATIONS = {"/FileAttachment", "/Screen", "/Movie", "/Sound", "/RichMedia", "/3D"}


def validate_pdf(upload: UploadedFile) -> tuple[ContentFile[bytes], int]:
    """Return the PDF as a file to store and its page count, or raise with a German message."""
    if upload.size and upload.size > MAX_PDF_BYTES:
        raise ValidationError(_("Die PDF-Datei ist größer als 10 MB."))
    upload.seek(0)
    data = upload.read(MAX_PDF_BYTES + 1)
    if len(data) > MAX_PDF_BYTES:
        raise ValidationError(_("Die PDF-Datei ist größer als 10 MB."))
    if not data.startswith(b"%PDF-"):
        raise ValidationError(_("Die Datei ist keine PDF-Datei."))
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(_("Verschlüsselte PDF-Dateien können wir nicht annehmen."))
        pages = len(reader.pages)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError, OSError) as error:
        raise ValidationError(_("Die PDF-Datei ist beschädigt oder nicht lesbar.")) from error
    if pages < 1:
        raise ValidationError(_("Die PDF-Datei hat keine Seiten."))
    if pages > MAX_PAGES:
        raise ValidationError(_("Die PDF-Datei hat mehr als 300 Seiten."))
    try:
        clean = _rewrite(reader)
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError, OSError) as error:
        raise ValidationError(_("Die PDF-Datei ist beschädigt oder nicht lesbar.")) from error
    name = get_valid_filename(Path(upload.name or "dokument").stem)[:80] or "dokument"
    return ContentFile(clean, name=f"{name}.pdf"), pages


def _rewrite(reader: PdfReader) -> bytes:
    """The pages of ``reader`` as a new PDF without scripts, embedded files or extra bytes."""
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    _scrub(writer._root_object)
    # Objects cut loose above (an embedded file, a script) must not be written either.
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _resolve(value: PdfObject) -> PdfObject | None:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _is_unsafe_action(value: PdfObject) -> bool:
    action = _resolve(value)
    if not isinstance(action, DictionaryObject):
        return False
    kind = action.get("/S")
    if kind not in _SAFE_ACTIONS:
        return True
    if kind == "/URI":
        uri = str(action.get("/URI", "")).strip().lower()
        return not uri.startswith(_SAFE_URI_SCHEMES)
    return False


def _is_unsafe_annotation(value: PdfObject) -> bool:
    annotation = _resolve(value)
    return isinstance(annotation, DictionaryObject) and (
        annotation.get("/Subtype") in _UNSAFE_ANNOTATIONS
    )


def _scrub(root: PdfObject) -> None:
    """Walk every object reachable from ``root`` and remove active content in place."""
    seen: set[int] = set()
    stack: list[PdfObject] = [root]
    while stack:
        value: PdfObject | None = stack.pop()
        if isinstance(value, IndirectObject):
            if value.idnum in seen:
                continue
            seen.add(value.idnum)
            value = value.get_object()
        if isinstance(value, DictionaryObject):
            for key in list(value.keys()):
                if key in _DROP_KEYS or (
                    key in ("/A", "/Next", "/PA") and _is_unsafe_action(value[key])
                ):
                    del value[key]
                elif key == "/Next" and isinstance(chain := _resolve(value[key]), ArrayObject):
                    chain[:] = [a for a in chain if not _is_unsafe_action(a)]
            annotations = _resolve(value.get("/Annots", ArrayObject()))
            if isinstance(annotations, ArrayObject):
                annotations[:] = [a for a in annotations if not _is_unsafe_annotation(a)]
            # Dictionaries and arrays inside streams' dictionaries are walked too.
            stack.extend(value.values())
        elif isinstance(value, ArrayObject):
            stack.extend(value)
