"""The per-comment forms of a thread, written out in Python instead of template includes.

A thread list shows up to 30 comments, each with a rating box (two buttons and a CSRF
token) and a reply form. Rendered through ``{% include %}`` they were a large part of
rebuilding the list (``comments.fragments``), though each is the same few lines with the
comment's id, URLs and counts filled in. These tags write the same markup – byte for
byte what the templates ``rating.html`` and ``comment.html`` rendered before (compared
when they replaced them: every state of the box, both languages, bound and empty reply
forms; ``tests/test_comment_boxes.py`` holds the semantics) – and build no Django form
instance for an empty reply form. A reply form with errors is still rendered from the
bound form.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

register = template.Library()


def _csrf(context: template.Context) -> str:
    """What ``{% csrf_token %}`` writes for this context."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 - Django's marker, no secret
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def _button(pk: int, value: int, pressed: bool, slug: str, label: str, count: int) -> str:
    return format_html(
        '<button type="submit" name="wert" value="{}" id="bewertung-{}-{}" '
        'class="kern-btn kern-btn--small {}" aria-pressed="{}"><span class="kern-label">'
        "{} ({})</span></button>",
        0 if pressed else value,
        pk,
        slug,
        "kern-btn--primary" if pressed else "kern-btn--tertiary",
        "true" if pressed else "false",
        label,
        count,
    )


@register.simple_tag(takes_context=True)
def rating_box(context: template.Context, entry: Any) -> SafeString:
    """The agree/disagree buttons of one comment (``entry``: a ``selectors.Entry``) for the
    viewer, or its counts when they may not rate; ``return_url`` from the context."""
    comment = entry.comment
    pk = comment.pk
    if entry.can_rate:
        url = reverse("comments:rate", args=[pk])
        inner = format_html(
            '\n  <form method="post" action="{}" data-hx-post="{}" '
            'data-hx-target="#bewertung-{}" data-hx-swap="outerHTML" class="inline-form">\n'
            "    {}\n"
            '    <input type="hidden" name="next" value="{}">\n'
            "    {}\n    {}\n  </form>\n",
            url,
            url,
            pk,
            _csrf(context),
            context.get("return_url", ""),
            _button(pk, 1, entry.rating == 1, "zustimmen", gettext("Zustimmen"), comment.up_count),
            _button(
                pk, -1, entry.rating == -1, "ablehnen", gettext("Ablehnen"), comment.down_count
            ),
        )
    elif not comment.is_deleted:
        up = ngettext("%(counter)s Zustimmung", "%(counter)s Zustimmungen", comment.up_count)
        down = ngettext("%(counter)s Ablehnung", "%(counter)s Ablehnungen", comment.down_count)
        inner = format_html(
            '\n  <p class="kern-body kern-body--small">{} · {}</p>\n',
            up % {"counter": comment.up_count},
            down % {"counter": comment.down_count},
        )
    else:
        inner = SafeString()
    return format_html(
        '\n<div id="bewertung-{}" class="comment__rating">\n{}\n</div>\n\n', pk, inner
    )


@register.simple_tag(takes_context=True)
def reply_box(context: template.Context, entry: Any) -> SafeString:
    """The reply form under one comment, folded (``<details>``) unless it came back with
    errors; ``return_url`` from the context. Only for entries with ``can_reply``."""
    comment = entry.comment
    pk = comment.pk
    form = entry.reply_form  # set only to a submitted form with errors
    if form is not None:
        fields = render_to_string(
            "comments/partials/reply_bound_fields.html", {"form": form}, context.get("request")
        )
    else:
        fields = format_html(
            '<input type="hidden" name="reply_to" value="{}" id="antwort-{}-reply_to">\n'
            '<div class="kern-form-input">\n'
            '  <label class="kern-label" for="antwort-{}-text">{}</label>\n'
            '  <div class="kern-hint" id="antwort-{}-text_helptext">{}</div>\n'
            '  <textarea name="text" cols="40" rows="4" maxlength="2000" '
            'class="kern-form-input__input" aria-describedby="antwort-{}-text_helptext" '
            'required id="antwort-{}-text">\n</textarea>\n</div>\n',
            pk,
            pk,
            pk,
            gettext("Ihre Antwort"),
            pk,
            gettext("Höchstens 2.000 Zeichen. Absätze, **fett** und Listen mit - sind möglich."),
            pk,
            pk,
        )
    consent = comment.name_consent
    consent_html = ""
    if consent:
        consent_html = render_to_string(
            "comments/partials/name_consent_field.html",
            {
                "consent": consent,
                "prefix": "antwort-",
                "reply_pk": pk,
                "checked": form["name_in_report"].value() if form is not None else None,
            },
        )
    htmx = ""
    if entry.in_list:
        htmx = format_html(
            ' data-hx-post="{}" data-hx-target="#kommentare-inhalt" data-hx-swap="innerHTML"',
            entry.post_url,
        )
    return format_html(
        '<details class="comment__reply"{}>\n'
        '    <summary class="kern-link">{}</summary>\n'
        '    <form method="post" action="{}"{} novalidate class="stack-form">\n'
        "      {}\n"
        '      <input type="hidden" name="next" value="{}">\n'
        "      {}\n"
        "      {}\n"
        '      <button type="submit" class="kern-btn kern-btn--secondary">'
        '<span class="kern-label">{}</span></button>\n'
        "    </form>\n"
        "  </details>",
        mark_safe(" open") if entry.reply_open else "",
        gettext("Antworten"),
        entry.post_url,
        htmx,
        _csrf(context),
        context.get("return_url", ""),
        fields,
        consent_html,
        gettext("Antwort veröffentlichen"),
    )
