"""Images and documents of updates: checked by their content, never by their name.

- Images go through ``core.images.sanitise_image``: Pillow must read them as JPEG, PNG
  or WebP; they are re-encoded without metadata (EXIF, GPS) and at most 2400 px.
- Documents are recognised by their first bytes and their structure: a PDF (``%PDF-``,
  readable, unencrypted; stored rewritten without scripts, ``core.documents``), an ODT
  (a ZIP whose first entry ``mimetype`` says ``application/vnd.oasis.opendocument.text``
  and which has ``content.xml``) or a DOCX (a ZIP with ``[Content_Types].xml`` naming a
  Word document and ``word/document.xml``). ZIP documents with macros are refused, and
  so are ZIPs that unpack to more than ``MAX_UNPACKED`` bytes (a "zip bomb").

``prepare`` checks every upload of an update before anything is stored: one bad file
stores nothing, and the errors name the form field of the file.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from mitmachen.core.documents import validate_pdf
from mitmachen.core.images import sanitise_image
from mitmachen.measures.models import DocumentKind

MAX_IMAGES = 3
MAX_DOCUMENTS = 3
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024
ALT_MAX_LENGTH = 250
TITLE_MAX_LENGTH = 200

ODT_MIME = b"application/vnd.oasis.opendocument.text"
DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@dataclass(frozen=True)
class ImageUpload:
    file: UploadedFile
    alt_text: str


@dataclass(frozen=True)
class DocumentUpload:
    file: UploadedFile
    title: str = ""


@dataclass
class Prepared:
    """What ``prepare`` checked: images as (file, alt text), documents as (file, title,
    kind, size)."""

    images: list[tuple[ContentFile[bytes], str]]
    documents: list[tuple[ContentFile[bytes], str, str, int]]


def document_kind(data: bytes) -> str:
    """The kind of a document by its content, or a ``ValidationError`` in German."""
    if data.startswith(b"%PDF-"):
        return DocumentKind.PDF
    if not data.startswith(b"PK\x03\x04"):
        raise ValidationError(
            _("Die Datei ist kein Dokument im Format PDF, ODT oder DOCX (geprüft wird der Inhalt).")
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if sum(e.file_size for e in entries) > MAX_UNPACKED:
                raise ValidationError(_("Das Dokument ist entpackt zu groß."))
            names = {e.filename for e in entries}
            if any(
                n.startswith(("Basic/", "Scripts/")) or n.lower().endswith("vbaproject.bin")
                for n in names
            ):
                raise ValidationError(
                    _("Dokumente mit Makros nehmen wir nicht an. Bitte speichern Sie ohne Makros.")
                )
            if entries and entries[0].filename == "mimetype" and "content.xml" in names:
                if archive.read("mimetype").strip() == ODT_MIME:
                    return DocumentKind.ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                types = archive.read("[Content_Types].xml")
                if DOCX_MAIN in types:
                    return DocumentKind.DOCX
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError) as error:
        raise ValidationError(_("Das Dokument ist beschädigt oder nicht lesbar.")) from error
    raise ValidationError(
        _("Die Datei ist kein Dokument im Format PDF, ODT oder DOCX (geprüft wird der Inhalt).")
    )


def clean_document(upload: UploadedFile) -> tuple[ContentFile[bytes], str]:
    """The document to store and its kind; a PDF rewritten without active content."""
    if upload.size and upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("Das Dokument ist größer als 10 MB."))
    upload.seek(0)
    data = upload.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("Das Dokument ist größer als 10 MB."))
    if not data:
        raise ValidationError(_("Die Datei ist leer."))
    kind = document_kind(data)
    if kind == DocumentKind.PDF:
        upload.seek(0)
        content, _pages = validate_pdf(upload)
        return content, kind
    stem = get_valid_filename(Path(upload.name or "dokument").stem)[:80] or "dokument"
    return ContentFile(data, name=f"{stem}.{kind}"), kind


def prepare(*, images: list[ImageUpload], documents: list[DocumentUpload]) -> Prepared:
    """Check and clean every upload (all or nothing). Error keys are the form's fields:
    ``image_1``, ``image_1_alt``, ``document_1`` …"""
    errors: dict[str, list[str]] = {}
    if len(images) > MAX_IMAGES:
        errors["__all__"] = [_("Höchstens %(n)d Bilder pro Neuigkeit.") % {"n": MAX_IMAGES}]
    if len(documents) > MAX_DOCUMENTS:
        errors.setdefault("__all__", []).append(
            _("Höchstens %(n)d Dokumente pro Neuigkeit.") % {"n": MAX_DOCUMENTS}
        )
    prepared = Prepared(images=[], documents=[])
    for number, upload in enumerate(images, start=1):
        alt_text = " ".join(upload.alt_text.split())
        if not alt_text:
            errors[f"image_{number}_alt"] = [
                _("Bitte beschreiben Sie, was auf Bild %(n)d zu sehen ist.") % {"n": number}
            ]
        elif len(alt_text) > ALT_MAX_LENGTH:
            errors[f"image_{number}_alt"] = [
                _("Die Bildbeschreibung ist zu lang (höchstens 250 Zeichen).")
            ]
        try:
            prepared.images.append((sanitise_image(upload.file), alt_text))
        except ValidationError as error:
            errors[f"image_{number}"] = error.messages
    for number, document in enumerate(documents, start=1):
        try:
            content, kind = clean_document(document.file)
        except ValidationError as error:
            errors[f"document_{number}"] = error.messages
            continue
        title = " ".join(document.title.split())[:TITLE_MAX_LENGTH]
        title = title or Path(document.file.name or "").stem[:TITLE_MAX_LENGTH] or kind.upper()
        prepared.documents.append((content, title, kind, len(content)))
    if errors:
        raise ValidationError(errors)
    return prepared
