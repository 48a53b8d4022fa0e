"""The per-comment forms written out in Python (``templatetags/comment_boxes.py``): the
rating box in each state and the reply form, empty and with errors, with what the
templates they replaced wrote (ids, labels, values, pressed state, CSRF token, htmx
attributes); and the thread builds no form instance per comment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.template import engines
from django.utils import translation

from mitmachen.comments import forms as comment_forms
from mitmachen.comments.forms import CommentForm
from mitmachen.comments.selectors import Entry


@dataclass
class FakeComment:
    pk: int = 7
    up_count: int = 3
    down_count: int = 1
    is_deleted: bool = False
    name_consent: Any = None


def _render(tag: str, entry: Entry, **context: Any) -> str:
    template = engines["django"].from_string("{% load comment_boxes %}{% " + tag + " entry %}")
    return template.render({"entry": entry, "return_url": "/seite/?a=1&b=<2>", **context})


@pytest.mark.parametrize(
    ("rating", "agree", "disagree"),
    [
        (0, (1, "false"), (-1, "false")),
        (1, (0, "true"), (-1, "false")),
        (-1, (1, "false"), (0, "true")),
    ],
)
def test_rating_box_buttons_toggle_the_viewers_rating(rating, agree, disagree):
    html = _render(
        "rating_box",
        Entry(comment=FakeComment(), can_rate=True, rating=rating),
        csrf_token="tok",
    )
    assert '<div id="bewertung-7" class="comment__rating">' in html
    assert (
        '<form method="post" action="/kommentare/7/bewerten/" data-hx-post="/kommentare/7/'
        'bewerten/" data-hx-target="#bewertung-7" data-hx-swap="outerHTML" class="inline-form">'
    ) in html
    assert '<input type="hidden" name="csrfmiddlewaretoken" value="tok">' in html
    assert '<input type="hidden" name="next" value="/seite/?a=1&amp;b=&lt;2&gt;">' in html
    for slug, (value, pressed), label in (
        ("zustimmen", agree, "Zustimmen (3)"),
        ("ablehnen", disagree, "Ablehnen (1)"),
    ):
        tone = "kern-btn--primary" if pressed == "true" else "kern-btn--tertiary"
        assert (
            f'<button type="submit" name="wert" value="{value}" id="bewertung-7-{slug}" '
            f'class="kern-btn kern-btn--small {tone}" aria-pressed="{pressed}">'
            f'<span class="kern-label">{label}</span></button>'
        ) in html


def test_rating_box_without_the_right_to_rate_shows_counts_in_the_language():
    entry = Entry(comment=FakeComment(up_count=1, down_count=2))
    html = _render("rating_box", entry, csrf_token="tok")
    assert "<form" not in html and "tok" not in html
    assert '<p class="kern-body kern-body--small">1 Zustimmung · 2 Ablehnungen</p>' in html
    with translation.override("en"):
        assert "1 agrees · 2 disagree" in _render("rating_box", entry)  # the catalogue's words
    deleted = Entry(comment=FakeComment(is_deleted=True))
    assert "<p" not in _render("rating_box", deleted)
    assert '<div id="bewertung-7" class="comment__rating">' in _render("rating_box", deleted)


def test_rating_box_without_a_token_writes_none():
    entry = Entry(comment=FakeComment(), can_rate=True)
    for token in ("", "NOTPROVIDED"):
        assert "csrfmiddlewaretoken" not in _render("rating_box", entry, csrf_token=token)


def test_empty_reply_box_in_the_list_and_on_a_thread_page():
    entry = Entry(comment=FakeComment(), can_reply=True, post_url="/kommentare/vorschlag/1/")
    html = _render("reply_box", entry, csrf_token="tok")
    assert html.startswith('<details class="comment__reply">\n')
    assert '<summary class="kern-link">Antworten</summary>' in html
    assert (
        '<form method="post" action="/kommentare/vorschlag/1/" data-hx-post="/kommentare/'
        'vorschlag/1/" data-hx-target="#kommentare-inhalt" data-hx-swap="innerHTML" '
        'novalidate class="stack-form">'
    ) in html
    assert '<input type="hidden" name="reply_to" value="7" id="antwort-7-reply_to">' in html
    assert '<label class="kern-label" for="antwort-7-text">Ihre Antwort</label>' in html
    assert 'aria-describedby="antwort-7-text_helptext" required id="antwort-7-text">' in html
    assert "csrfmiddlewaretoken" in html and "Antwort veröffentlichen" in html
    assert "name_in_report" not in html
    on_thread_page = _render("reply_box", Entry(**{**entry.__dict__, "in_list": False}))
    assert "data-hx-post" not in on_thread_page
    with translation.override("en"):
        assert "Your reply" in _render("reply_box", entry)


def test_reply_box_with_errors_is_open_and_keeps_the_text():
    form = CommentForm.for_reply(7, {"reply_to": "7", "text": "x" * 2001})
    assert not form.is_valid()
    entry = Entry(
        comment=FakeComment(),
        can_reply=True,
        reply_form=form,
        reply_open=True,
        post_url="/k/",
    )
    html = _render("reply_box", entry)
    assert html.startswith('<details class="comment__reply" open>')
    assert "x" * 2001 in html and 'id="antwort-7-text"' in html
    assert "aria-invalid" in html or "kern-error" in html


def test_reply_box_asks_for_the_consent_to_be_named_where_the_target_does():
    class Consent:
        name_consent = "Namen im Bericht nennen"
        name_consent_hint = ""

    entry = Entry(comment=FakeComment(name_consent=Consent()), can_reply=True)
    html = _render("reply_box", entry)
    assert 'id="antwort-7-name_in_report"' in html and "Namen im Bericht nennen" in html
    assert " checked" not in html


@pytest.mark.django_db
def test_a_thread_builds_no_reply_form_per_comment(client, proposal, monkeypatch):
    from mitmachen.accounts.tests.factories import UserFactory
    from mitmachen.comments.services import comment_create

    author = UserFactory()
    for i in range(5):
        comment_create(
            author=author, project=proposal.project, text=f"Kommentar {i}", proposal=proposal
        )
    built: list[int | None] = []
    original = CommentForm.__init__

    def counting(self: CommentForm, *args: Any, **kwargs: Any) -> None:
        built.append(kwargs.get("initial", {}).get("reply_to"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(comment_forms.CommentForm, "__init__", counting)
    client.force_login(UserFactory())
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert html.count('<details class="comment__reply">') == 5
    assert [b for b in built if b is not None] == []  # before: one per comment
