"""Template filters of the polls pages."""

from __future__ import annotations

from typing import Any

from django import template

from mitmachen.accounts.models import DELETED_ACCOUNT_NAME

register = template.Library()


@register.filter
def staff_name(user: Any) -> str:
    """Who entered, checked or corrected paper: the name, else the e-mail address, else
    "gelöschtes Konto" (the account was deleted; its entries stay)."""
    if user is None:
        return str(DELETED_ACCOUNT_NAME)
    return user.display_name or user.email
