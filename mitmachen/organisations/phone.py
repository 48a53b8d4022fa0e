"""Telephone numbers as ``tel:`` links. Plain Python, so the demo data can use it too."""

from __future__ import annotations

import re


def tel_uri(number: str | None) -> str:
    """A ``tel:`` URI (RFC 3966, international form) for a German telephone number.

    "033841 0123-45" becomes "tel:+4933841012345"; "+49 33841 …" and "0049 …" keep
    their country code, "+49 (0)331" drops the bracketed zero. Text without digits
    gives "", so a page shows the number as plain text instead of a broken link.
    """
    # "+49 (0)331 …": the bracketed trunk zero is not dialled from abroad.
    text = (number or "").strip().replace("(0)", "")
    digits = re.sub(r"\D", "", text)
    if not digits:
        return ""
    if text.startswith("+"):
        return f"tel:+{digits}"
    if digits.startswith("00"):
        return f"tel:+{digits[2:]}"
    if digits.startswith("0"):
        return f"tel:+49{digits[1:]}"
    return f"tel:{digits}"
