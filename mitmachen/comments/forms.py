"""Forms for comments: write/reply/edit (with a stance in debates), and a rating."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mitmachen.comments.models import MAX_LENGTH, STANCE_REQUIRED, Stance

NEW_COMMENT_ID = "neuer-kommentar-%s"
TEXT_HELP = _("Höchstens 2.000 Zeichen. Absätze, **fett** und Listen mit - sind möglich.")


class CommentForm(forms.Form):
    """A new comment, a reply (``reply_to`` set) or the new text of an edited comment."""

    text = forms.CharField(
        label=_("Ihr Kommentar"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=TEXT_HELP,
        error_messages={"required": _("Bitte schreiben Sie einen Kommentar.")},
    )
    reply_to = forms.IntegerField(
        label=_("Antwort auf"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        widget=forms.HiddenInput,
        error_messages={
            key: _("Der Kommentar, auf den Sie antworten, gehört nicht hierher.")
            for key in ("invalid", "min_value", "max_value")
        },
    )
    # Asked only where the target's registration has ``name_consent`` (its label and
    # hint are shown then, ``comments/partials/name_consent_field.html``); ignored
    # elsewhere.
    name_in_report = forms.BooleanField(required=False)

    reply_id: int | None = None  # the comment answered, for reply forms

    @classmethod
    def for_reply(cls, comment_id: int, data: Any = None, **kwargs: Any) -> CommentForm:
        """A reply form with its own ids, so many can sit on one page."""
        form = cls(
            data, auto_id=f"antwort-{comment_id}-%s", initial={"reply_to": comment_id}, **kwargs
        )
        form.reply_id = comment_id
        form.fields["text"].label = _("Ihre Antwort")
        return form

    @classmethod
    def from_post(cls, data: Any, *, stance: bool = False) -> CommentForm:
        """Bound to a submitted comment or reply, with the ids it had on the page.

        On a target that takes stances (``stance=True``: a debate) a new top-level
        comment also takes a stance; replies never do.
        """
        raw = str(data.get("reply_to", ""))
        if raw.isdigit() and 0 < int(raw) < 2**63:
            return cls.for_reply(int(raw), data)
        if stance:
            return StanceCommentForm(data, auto_id=NEW_COMMENT_ID)
        return cls(data, auto_id=NEW_COMMENT_ID)

    @property
    def chosen_stance(self) -> str:
        """The stance chosen (empty for forms without one)."""
        return getattr(self, "cleaned_data", {}).get("stance", "")


class StanceCommentForm(CommentForm):
    """A new top-level comment in a debate: the text and a stance on the question."""

    # First in the form, as on the page: the error summary follows the page order.
    field_order = ["stance", "text"]

    stance = forms.ChoiceField(
        label=_("Ihre Haltung zur Frage"),
        choices=Stance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": STANCE_REQUIRED, "invalid_choice": STANCE_REQUIRED},
    )


class RatingForm(forms.Form):
    """+1 agree, −1 disagree, 0 take the rating back."""

    wert = forms.TypedChoiceField(
        choices=[("1", "+1"), ("-1", "−1"), ("0", "0")],
        coerce=int,
        error_messages={
            "required": _("Ungültige Bewertung."),
            "invalid_choice": _("Ungültige Bewertung."),
        },
    )
