"""Template filters about people: ``{% load people %}``."""

from __future__ import annotations

from typing import Any

from django import template

from mitmachen.accounts.models import public_name

register = template.Library()


@register.filter
def author_name(user: Any) -> str:
    """Public name of a contributor; deleted accounts show as 'gelöschtes Konto'."""
    return public_name(user)
