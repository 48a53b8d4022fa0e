"""Contact data as links: e-mail addresses open the mail program, numbers can be dialled."""

from __future__ import annotations

from django import template

from mitmachen.organisations import phone

register = template.Library()


@register.filter
def tel_uri(number: str | None) -> str:
    """``{{ organisation.contact_phone|tel_uri }}``: see ``mitmachen.organisations.phone``."""
    return phone.tel_uri(number)
