"""Image uploads: validate, strip metadata (EXIF/GPS), limit size.

Every uploaded image goes through ``sanitise_image`` before it is stored, so no
location or camera data from a phone photo ends up on the public site.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuses decompression bombs long before memory runs out
MAX_EDGE = 2400
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def sanitise_image(upload: UploadedFile, *, max_edge: int = MAX_EDGE) -> ContentFile[bytes]:
    """Return a re-encoded copy of ``upload`` without metadata, at most ``max_edge`` px.

    Raises ValidationError with a German message for anything that is not a JPEG,
    PNG or WebP image of sensible size.
    """
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("Das Bild ist größer als 10 MB."))
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in FORMATS:
                raise ValidationError(_("Bitte ein Bild im Format JPEG, PNG oder WebP hochladen."))
            if width * height > MAX_PIXELS:
                raise ValidationError(_("Das Bild hat zu viele Bildpunkte."))
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as original:
            original.load()
            # Apply the EXIF orientation to the pixels, then drop all metadata:
            # Pillow writes EXIF, ICC or text chunks only when they are passed on.
            clean = ImageOps.exif_transpose(original)
            clean.thumbnail((max_edge, max_edge))
            clean.info = {}
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("Die Datei ist kein lesbares Bild.")) from error

    buffer = io.BytesIO()
    if image_format == "JPEG":
        clean.convert("RGB").save(buffer, format="JPEG", quality=85, optimize=True)
    elif image_format == "PNG":
        clean.save(buffer, format="PNG", optimize=True)
    else:
        clean.save(buffer, format="WEBP", quality=85)
    name = f"{Path(upload.name or 'bild').stem[:80]}.{FORMATS[image_format]}"
    return ContentFile(buffer.getvalue(), name=name)


class SanitisedImagesMixin:
    """For ModelForms: run newly uploaded files of ``sanitised_image_fields`` through
    ``sanitise_image`` so metadata never reaches storage."""

    sanitised_image_fields: tuple[str, ...] = ()

    def _post_clean(self) -> None:
        for name in self.sanitised_image_fields:
            value = self.cleaned_data.get(name)  # type: ignore[attr-defined]
            if isinstance(value, UploadedFile):
                try:
                    self.cleaned_data[name] = sanitise_image(value)  # type: ignore[attr-defined]
                except ValidationError as error:
                    self.add_error(name, error)  # type: ignore[attr-defined]
        super()._post_clean()  # type: ignore[misc]
