"""Images and PDF attachments of a resident's contribution (a proposal, a budget idea),
checked all together before anything is stored.

``prepare_media`` cleans every upload (``core.images.sanitise_image``: metadata removed,
resized; ``core.documents.validate_pdf``: readable, unencrypted) and raises one German
``ValidationError`` whose keys are the form fields (``image_1``, ``image_1_alt``,
``attachment_1`` …); the caller stores what it returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from mitmachen.core.documents import validate_pdf
from mitmachen.core.images import sanitise_image

MAX_IMAGES = 3
MAX_ATTACHMENTS = 3


@dataclass(frozen=True)
class ImageUpload:
    """An uploaded image with its description (or marked decorative)."""

    file: UploadedFile
    alt_text: str = ""
    decorative: bool = False


@dataclass(frozen=True)
class AttachmentUpload:
    """An uploaded PDF with the title shown as its link text."""

    file: UploadedFile
    title: str = ""


@dataclass
class PreparedMedia:
    images: list[tuple[ContentFile[bytes], str, bool]]
    attachments: list[tuple[ContentFile[bytes], str, int, int]]


def prepare_media(
    *,
    images: Sequence[ImageUpload],
    attachments: Sequence[AttachmentUpload],
    existing_images: int = 0,
    existing_attachments: int = 0,
) -> PreparedMedia:
    """Validate and clean all uploads before anything is stored (all or nothing).

    Images lose their metadata and are resized; PDFs must be readable and unencrypted.
    Error keys match the form fields (image_1, image_1_alt, attachment_1 …).
    """
    errors: dict[str, list[str]] = {}
    if existing_images + len(images) > MAX_IMAGES:
        errors["__all__"] = [_("Höchstens %(n)s Bilder pro Vorschlag.") % {"n": MAX_IMAGES}]
    if existing_attachments + len(attachments) > MAX_ATTACHMENTS:
        errors.setdefault("__all__", []).append(
            _("Höchstens %(n)s PDF-Dateien pro Vorschlag.") % {"n": MAX_ATTACHMENTS}
        )
    prepared = PreparedMedia(images=[], attachments=[])
    for number, upload in enumerate(images, start=1):
        alt_text = upload.alt_text.strip()[:250]
        if not alt_text and not upload.decorative:
            errors[f"image_{number}_alt"] = [
                _(
                    "Bitte beschreiben Sie, was auf dem Bild zu sehen ist, oder markieren Sie es "
                    "als nur schmückend."
                )
            ]
        try:
            prepared.images.append((sanitise_image(upload.file), alt_text, upload.decorative))
        except ValidationError as error:
            errors[f"image_{number}"] = error.messages
    for number, attachment in enumerate(attachments, start=1):
        try:
            content, pages = validate_pdf(attachment.file)
        except ValidationError as error:
            errors[f"attachment_{number}"] = error.messages
            continue
        title = (
            attachment.title.strip()[:200] or Path(attachment.file.name or "").stem[:200] or "PDF"
        )
        prepared.attachments.append((content, title, len(content), pages))
    if errors:
        raise ValidationError(errors)
    return prepared
