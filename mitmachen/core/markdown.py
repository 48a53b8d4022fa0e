"""Markdown rendering with HTML sanitising.

User- and staff-written Markdown is rendered with Python-Markdown and then
cleaned with nh3 (an allow-list sanitiser), so no script or event handler from
stored text ever reaches a browser.
"""

from __future__ import annotations

from functools import lru_cache

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "a",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _shift_headings(html: str) -> str:
    # The page owns the single <h1>; Markdown headings start at <h2>.
    for level in range(5, 0, -1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    return html


def render_markdown(text: str | None) -> SafeString:
    """Render Markdown to sanitised HTML that is safe to output unescaped."""
    if not text:
        return mark_safe("")
    return mark_safe(_render(text))  # noqa: S308 - sanitised by nh3 in _render


@lru_cache(maxsize=4096)
def _render(text: str) -> str:
    # Pages show the same texts again and again (a thread of 80 comments on every
    # visit); rendering is pure, so each process remembers the last few thousand.
    html = md.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = _shift_headings(html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
