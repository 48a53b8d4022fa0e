"""Checks of what staff type into plain-text and Markdown fields (set-up forms of every app).

They tell the person what is wrong instead of silently changing their text: the Markdown
renderer would remove scripts anyway (nh3).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Markup that has no place in staff texts.
UNSAFE_MARKUP = re.compile(r"<\s*/?\s*(script|style|iframe|object|embed)\b|javascript\s*:", re.I)
TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def no_markup(value: str) -> None:
    """Plain-text fields (title, summary, phase name) take no HTML."""
    if TAG.search(value or ""):
        raise ValidationError(_("Bitte ohne HTML-Auszeichnungen (spitze Klammern) schreiben."))


def no_script(value: str) -> None:
    """Markdown fields take Markdown, no scripts."""
    if UNSAFE_MARKUP.search(value or ""):
        raise ValidationError(
            _("Skripte und eingebettete Inhalte sind nicht erlaubt. Bitte nur Markdown verwenden.")
        )
