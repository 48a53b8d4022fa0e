"""Uploads for the page in German Sign Language (DGS): video and WebVTT captions.

The files are served from this host (``MEDIA_URL``), never from a video platform.
The checks look at the bytes, not only at the file name, so a renamed file of
another kind is refused with a German message before anything is stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_VIDEO_BYTES = 200 * 1024 * 1024
MAX_CAPTIONS_BYTES = 1024 * 1024
VIDEO_EXTENSIONS = (".mp4", ".webm")
EBML_MAGIC = b"\x1a\x45\xdf\xa3"


def _is_new_upload(value: Any) -> bool:
    # A stored file was checked when it was uploaded; re-reading it on every save of
    # the municipality would fetch the whole video from the storage again.
    return bool(value) and not getattr(value, "_committed", False)


def _head(value: Any, size: int) -> bytes:
    value.seek(0)
    head = value.read(size)
    value.seek(0)
    return head


def video_kind(head: bytes) -> str | None:
    """``"mp4"`` or ``"webm"`` from the first bytes of a file, or ``None``."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(EBML_MAGIC) and b"webm" in head[:64]:
        return "webm"
    return None


def validate_sign_language_video(value: Any) -> None:
    """An MP4 or WebM video of at most 200 MB whose content matches its file ending."""
    if not _is_new_upload(value):
        return
    if value.size is not None and value.size > MAX_VIDEO_BYTES:
        raise ValidationError(_("Das Video ist größer als 200 MB."))
    suffix = Path(value.name or "").suffix.lower()
    if suffix not in VIDEO_EXTENSIONS:
        raise ValidationError(_("Bitte ein Video im Format MP4 oder WebM hochladen."))
    kind = video_kind(_head(value, 64))
    if kind is None or f".{kind}" != suffix:
        raise ValidationError(
            _("Die Datei ist kein Video im Format MP4 oder WebM (oder die Endung passt nicht).")
        )


def validate_captions(value: Any) -> None:
    """A WebVTT file (UTF-8, starting with ``WEBVTT``) of at most 1 MB."""
    if not _is_new_upload(value):
        return
    if value.size is not None and value.size > MAX_CAPTIONS_BYTES:
        raise ValidationError(_("Die Untertitel-Datei ist größer als 1 MB."))
    if Path(value.name or "").suffix.lower() != ".vtt":
        raise ValidationError(_("Bitte die Untertitel als WebVTT-Datei (.vtt) hochladen."))
    value.seek(0)
    data = value.read(MAX_CAPTIONS_BYTES + 1)
    value.seek(0)
    if len(data) > MAX_CAPTIONS_BYTES:
        raise ValidationError(_("Die Untertitel-Datei ist größer als 1 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(_("Die Untertitel-Datei muss in UTF-8 gespeichert sein.")) from error
    # WebVTT: the file starts with "WEBVTT", then a space, a tab, a line break or nothing.
    if not text.startswith("WEBVTT") or text[6:7] not in ("", " ", "\t", "\n", "\r"):
        raise ValidationError(
            _("Die Untertitel-Datei ist keine WebVTT-Datei: Sie muss mit „WEBVTT“ beginnen.")
        )
