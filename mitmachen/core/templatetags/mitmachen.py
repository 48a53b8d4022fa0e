"""Template helpers shared by all apps."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.http import QueryDict
from django.utils import timezone
from django.utils.safestring import SafeString

from mitmachen.core.markdown import render_markdown
from mitmachen.core.sections import footer_html

register = template.Library()


@register.simple_tag(takes_context=True)
def site_footer(context: dict[str, Any]) -> SafeString:
    """What the modules add to the footer of every page (``core.sections.FOOTER``)."""
    return footer_html(context.get("request"))


@register.filter(name="markdown")
def markdown_filter(text: str | None, top: int | None = None) -> SafeString:
    """Render sanitised Markdown; ``text|markdown:2`` starts its headings at <h2>."""
    return render_markdown(text, top=int(top) if top else None)


@register.filter
def iso_datetime(value: date | datetime | str | None) -> str:
    """Machine-readable date or time for ``<time datetime="…">``.

    ISO 8601 in the current time zone, with its offset and in whole seconds: HTML allows
    at most three digits of a fraction of a second, Python's ``isoformat()`` (and the
    ``date:"c"`` filter) write six. A date without a time stays a date.
    """
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return ""


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **kwargs: Any) -> str:
    """Return the current query string with some parameters replaced (for pagination links)."""
    request = context["request"]
    query: QueryDict = request.GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], key: str, value: Any) -> str:
    """``query_replace`` for a parameter whose name is itself a variable."""
    return query_replace(context, **{key: value})


@register.filter
def kern_widget(field: Any) -> SafeString:
    """Render a form widget with KERN classes and ARIA links to its hint and error."""
    from django.forms import CheckboxInput, RadioSelect, Select, SelectMultiple

    widget = field.field.widget
    attrs: dict[str, str] = {}
    if isinstance(widget, CheckboxInput):
        css = "kern-form-check__checkbox"
    elif isinstance(widget, RadioSelect):
        css = "kern-form-check__radio"
    elif isinstance(widget, Select | SelectMultiple):
        css = "kern-form-input__select"
    else:
        css = "kern-form-input__input"
    attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        described.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
        attrs["class"] += f" {css}--error"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
