"""Template filters of drafts: ``{% load drafts %}``."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from mitmachen.drafts import diff

register = template.Library()


@register.filter
def word_diff_html(pieces: list[diff.Piece]) -> SafeString:
    """The word difference as ``<del>``/``<ins>`` (see ``drafts.diff.render``)."""
    return diff.render(pieces)
