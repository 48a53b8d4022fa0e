"""Logging helpers referenced from ``LOGGING`` in the settings."""

from __future__ import annotations

import logging


class ForbiddenWithoutTraceback(logging.Filter):
    """A 403 is an expected answer, not a fault: log its one line, without a traceback.

    Django logs every ``PermissionDenied`` on ``django.request`` with the exception's
    traceback; for staff clicking around the admin that buried real errors.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
