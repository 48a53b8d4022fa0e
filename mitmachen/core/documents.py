"""PDF uploads: accept only real, readable, unencrypted PDFs of sensible size."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

MAX_PDF_BYTES = 10 * 1024 * 1024
MAX_PAGES = 300


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
    name = get_valid_filename(Path(upload.name or "dokument").stem)[:80] or "dokument"
    return ContentFile(data, name=f"{name}.pdf"), pages
