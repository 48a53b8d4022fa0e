"""Where uploaded files are stored: under random names, never the uploader's file name.

A phone photo called ``IMG_Familie_Mueller.jpg`` would otherwise appear in a public
URL (``/media/proposals/images/2026/12/IMG_Familie_Mueller.jpg``). Every
``FileField``/``ImageField`` uses ``RandomName`` as its ``upload_to``; where staff need
the original name (a PDF's title), the model keeps it in a field of its own.
"""

from __future__ import annotations

import re
import uuid
from pathlib import PurePath
from typing import Any

from django.utils import timezone
from django.utils.deconstruct import deconstructible

_EXTENSION = re.compile(r"\.[a-z0-9]{1,5}")


@deconstructible
class RandomName:
    """``upload_to`` callable: ``directory`` (strftime codes allowed) + a random hex name.

    Only a short alphanumeric extension of the original name survives (".jpg",
    ".pdf"); the sanitisers in ``images.py`` and ``documents.py`` have already set it
    to match the content.
    """

    def __init__(self, directory: str) -> None:
        self.directory = directory if directory.endswith("/") else f"{directory}/"

    def __call__(self, instance: Any, filename: str) -> str:
        extension = PurePath(filename or "").suffix.lower()
        if not _EXTENSION.fullmatch(extension):
            extension = ""
        return f"{timezone.now().strftime(self.directory)}{uuid.uuid4().hex}{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.directory == self.directory

    def __hash__(self) -> int:
        return hash(self.directory)
