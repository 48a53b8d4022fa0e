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


def _shift_headings(html: str, top: int | None = None) -> str:
    # The page owns the single <h1>; Markdown headings start at <h2>. With ``top``,
    # the text's highest heading becomes <h{top}> whatever level its author wrote
    # ("## Kontakt" directly under the page's <h1> must not skip a level).
    levels = [level for level in range(1, 7) if f"<h{level}>" in html]
    if not levels:
        return html
    shift = 1 if top is None else top - levels[0]
    if shift == 0:
        return html
    order = range(6, 0, -1) if shift > 0 else range(1, 7)
    for level in order:
        new = min(max(level + shift, 1), 6)
        html = html.replace(f"<h{level}>", f"<h{new}>").replace(f"</h{level}>", f"</h{new}>")
    return html


def render_markdown(text: str | None, top: int | None = None) -> SafeString:
    """Render Markdown to sanitised HTML that is safe to output unescaped.

    Headings move down one level (``#`` becomes ``<h2>``). With ``top`` (2–4), the
    highest heading in the text becomes ``<h{top}>`` and the others keep their
    distance to it, so the text fits under the page's own heading without a gap.
    """
    if not text:
        return mark_safe("")
    return mark_safe(_render(text, top))  # noqa: S308 - sanitised by nh3 in _render


@lru_cache(maxsize=4096)
def _render(text: str, top: int | None = None) -> str:
    # Pages show the same texts again and again (a thread of 80 comments on every
    # visit); rendering is pure, so each process remembers the last few thousand.
    html = md.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = _shift_headings(html, top)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
