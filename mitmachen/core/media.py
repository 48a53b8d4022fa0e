"""Headers for uploaded files (``/media/``), the same in development and behind a proxy.

Uploads come from residents, so a browser must never guess a type (``nosniff``), and
anything that is not a re-encoded image is offered as a download instead of opening
in the site's origin (``Content-Disposition: attachment``) – a PDF viewer in the
browser would otherwise run it there. In production the reverse proxy serves
``MEDIA_ROOT`` and sets these headers (docs/operations.md has nginx and Caddy rules);
in development ``serve_media`` does.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.views.static import serve

# Images are decoded and re-encoded before they are stored (core.images): shown inline.
INLINE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".webp"})


def media_headers(path: str) -> dict[str, str]:
    """The headers every response for the uploaded file at ``path`` carries."""
    inline = PurePosixPath(path).suffix.lower() in INLINE_EXTENSIONS
    return {
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": "inline" if inline else "attachment",
    }


def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Development only (``DEBUG``): serve ``MEDIA_ROOT`` with ``media_headers``."""
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    for name, value in media_headers(path).items():
        response.headers[name] = value
    return response
