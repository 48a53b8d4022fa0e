"""Every write of drafts: importing the text, votes, suggestions, the weighing.

Counting stays exact under concurrency:
- one vote per person and paragraph (a unique constraint); a vote is stored, changed or
  withdrawn with its row locked, and the paragraph's ``agree_count``/``disagree_count``
  move with ``F()`` updates in the same transaction, so parallel clicks by one person
  count once and clicks by many people each count;
- ``suggestion_count`` moves with the suggestion's insert;
- one support per person and suggestion (a unique constraint), ``support_count`` moving
  with it in the same transaction, as for votes.
Counters change by ``QuerySet.update``, which sends no signal: ``modules.changed()``
tells the page cache.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mitmachen.comments.models import Comment
from mitmachen.core.channels import Channel
from mitmachen.core.permissions import decide
from mitmachen.drafts.importer import ParsedDraft, parse_markdown
from mitmachen.drafts.models import (
    COMMENT_WEIGHED,
    REASON_MAX_LENGTH,
    SUGGESTION_MAX_LENGTH,
    SUGGESTION_WEIGHED,
    VERSION_NOTE_MAX_LENGTH,
    Chapter,
    CommentWeighing,
    Draft,
    Paragraph,
    ParagraphVote,
    Suggestion,
    SuggestionSupport,
    Version,
    Vote,
    Weighing,
    new_key,
)
from mitmachen.drafts.versions import Matching, match, normalise
from mitmachen.notifications.services import notify
from mitmachen.organisations.models import Membership
from mitmachen.projects import modules

COUNTER: dict[int, str] = {Vote.AGREE: "agree_count", Vote.DISAGREE: "disagree_count"}


def has_responses(draft: Draft) -> bool:
    """Votes, suggestions or comments (deleted and hidden ones too: their rows stay)."""
    return (
        ParagraphVote.objects.filter(paragraph__draft=draft).exists()
        or Suggestion.objects.filter(paragraph__draft=draft).exists()
        or Paragraph.objects.filter(draft=draft, comments__isnull=False).exists()
    )


@transaction.atomic
def draft_import(*, user: Any, draft: Draft, text: str) -> ParsedDraft:
    """Replace the draft's chapters and paragraphs with those of the Markdown ``text``.

    This is the text of version 1. Refused once anybody has responded (what they
    answered must stay as it was) or a second version exists: then staff publish a new
    version (``version_publish``).
    """
    decide(user, "drafts.manage_draft", draft).raise_if_refused()
    parsed = parse_markdown(text)
    # Lock the draft: two imports at once would interleave their chapters.
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if locked.version > 1:
        raise ValidationError(SEVERAL_VERSIONS)
    if has_responses(draft):
        raise ValidationError(REPLACE_REFUSED)
    draft.chapters.all().delete()
    Version.objects.get_or_create(draft=draft, number=1)
    _store_text(draft, 1, parsed, keys=None)
    return parsed


REPLACE_REFUSED = gettext_lazy(
    "Zu diesem Entwurf gibt es schon Antworten. Der Text kann nicht mehr "
    "ersetzt werden, damit sie sich auf den Text beziehen, den die Menschen "
    "gelesen haben."
)


SEVERAL_VERSIONS = gettext_lazy(
    "Dieser Entwurf hat schon mehrere Fassungen. Bitte veröffentlichen Sie Änderungen als "
    "neue Fassung."
)


def _store_text(
    draft: Draft, version: int, parsed: ParsedDraft, *, keys: dict[int, str] | None
) -> None:
    """The chapters and paragraphs of ``version``; ``keys``: paragraph number (from 1)
    → the key it keeps from the version before (others get a new one)."""
    number = 0
    for position, spec in enumerate(parsed.chapters, start=1):
        chapter = Chapter.objects.create(
            draft=draft, version=version, position=position, title=spec.title
        )
        rows = []
        for text_ in spec.paragraphs:
            number += 1
            row = Paragraph(
                draft=draft, chapter=chapter, version=version, number=number, text=text_
            )
            if keys is not None:
                row.key = keys[number]
            rows.append(row)
        Paragraph.objects.bulk_create(rows)
    modules.changed(project_id=draft.project_id)  # bulk_create sends no signal


def _outline(parsed: ParsedDraft) -> list[tuple[str, list[str]]]:
    return [(c.title, [normalise(t) for t in c.paragraphs]) for c in parsed.chapters]


def _outline_of(current: list[Paragraph]) -> list[tuple[str, list[str]]]:
    """The current version as chapter titles with their paragraphs' texts."""
    return [
        (rows[0].chapter.title, [normalise(p.text) for p in rows])
        for rows in (list(group) for _id, group in groupby(current, key=lambda p: p.chapter_id))
    ]


def version_matching(draft: Draft, parsed: ParsedDraft) -> tuple[list[Paragraph], Matching]:
    """The current version's paragraphs and how the new text's paragraphs match them
    (for the preview and for ``version_publish``)."""
    current = list(
        Paragraph.objects.filter(draft=draft, version=draft.version)
        .select_related("chapter")
        .order_by("number")
    )
    texts = [text for chapter in parsed.chapters for text in chapter.paragraphs]
    return current, match([p.text for p in current], texts)


@transaction.atomic
def version_publish(*, user: Any, draft: Draft, text: str, note: str = "") -> Version:
    """Publish the Markdown ``text`` as the draft's next version.

    The new paragraphs that ``drafts.versions.match`` finds in the current version keep
    their keys; the others get new ones (never a key the draft used before). Votes and
    suggestions stay with the version they were made on; the new version starts without.
    """
    decide(user, "drafts.manage_draft", draft).raise_if_refused()
    parsed = parse_markdown(text)
    note = _clean_text(note, limit=VERSION_NOTE_MAX_LENGTH, field="note", required=False)
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if locked.version != draft.version:
        raise ValidationError(
            _("Inzwischen wurde eine neue Fassung veröffentlicht. Bitte laden Sie die Seite neu.")
        )
    current, matching = version_matching(draft, parsed)
    if not current:
        raise ValidationError(
            _("Der Entwurf hat noch keinen Text. Bitte importieren Sie zuerst die erste Fassung.")
        )
    if _outline(parsed) == _outline_of(current):
        raise ValidationError(_("Der Text ist gleich der aktuellen Fassung. Bitte ändern Sie ihn."))
    old_for_new = matching.old_for_new()
    used = set(Paragraph.objects.filter(draft=draft).values_list("key", flat=True))
    keys: dict[int, str] = {}
    for index in range(parsed.paragraph_count):
        if index in old_for_new:
            keys[index + 1] = current[old_for_new[index]].key
        else:
            key = new_key()
            while key in used:
                key = new_key()
            used.add(key)
            keys[index + 1] = key
    number = draft.version + 1
    version = Version.objects.create(draft=draft, number=number, note=note)
    _store_text(draft, number, parsed, keys=keys)
    Draft.objects.filter(pk=draft.pk).update(version=number, updated_at=timezone.now())
    draft.version = number
    return version


def _current_only(paragraph: Paragraph) -> None:
    """Responses go to the current version; an older one keeps what it received."""
    if paragraph.version != paragraph.draft.version:
        raise ValidationError(
            _(
                "Dieser Absatz gehört zu Fassung %(old)d. Bitte antworten Sie auf die "
                "aktuelle Fassung %(new)d."
            )
            % {"old": paragraph.version, "new": paragraph.draft.version}
        )


def paragraph_vote(*, user: Any, paragraph: Paragraph, value: int | None) -> int | None:
    """Agree (1), disagree (-1) or withdraw (None); returns the person's vote now."""
    decide(user, "drafts.respond", paragraph.draft).raise_if_refused()
    _current_only(paragraph)
    if value is not None and value not in COUNTER:
        raise ValidationError(_("Bitte wählen Sie Zustimmung oder Ablehnung."))
    with transaction.atomic():
        vote = (
            ParagraphVote.objects.select_for_update().filter(paragraph=paragraph, user=user).first()
        )
        if vote is None and value is not None:
            try:
                with transaction.atomic():
                    ParagraphVote.objects.create(paragraph=paragraph, user=user, value=value)
            except IntegrityError:
                # The same person's parallel click stored it first: that one counts.
                return value
            _shift(paragraph, {COUNTER[value]: +1})
        elif vote is not None and value is None:
            vote.delete()
            _shift(paragraph, {COUNTER[vote.value]: -1})
        elif vote is not None and value is not None and vote.value != value:
            old = vote.value
            ParagraphVote.objects.filter(pk=vote.pk).update(value=value, updated_at=timezone.now())
            _shift(paragraph, {COUNTER[old]: -1, COUNTER[value]: +1})
    return value


def _shift(paragraph: Paragraph, deltas: dict[str, int]) -> None:
    Paragraph.objects.filter(pk=paragraph.pk).update(
        **{name: F(name) + delta for name, delta in deltas.items()}
    )
    modules.changed(project_id=paragraph.draft.project_id)


def _clean_text(text: str, *, limit: int, field: str, required: bool) -> str:
    text = text.replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationError({field: _("Bitte füllen Sie dieses Feld aus.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("Der Text ist zu lang (höchstens %(max)d Zeichen).") % {"max": limit}}
        )
    return text


@transaction.atomic
def suggestion_create(
    *,
    by: Any,
    paragraph: Paragraph,
    text: str,
    reason: str = "",
    channel: str = Channel.ONLINE,
    name_in_report: bool = False,
) -> Suggestion:
    """A suggested wording for ``paragraph``: online by its author, or entered by staff
    from a workshop, a market stand or a letter (then without an author).
    ``name_in_report``: the author agrees to be named in the Abwägungstabelle."""
    draft = paragraph.draft
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Bitte wählen Sie einen Kanal.")})
    offline = channel != Channel.ONLINE
    decide(by, "drafts.manage_draft" if offline else "drafts.respond", draft).raise_if_refused()
    _current_only(paragraph)
    text = _clean_text(text, limit=SUGGESTION_MAX_LENGTH, field="text", required=True)
    reason = _clean_text(reason, limit=REASON_MAX_LENGTH, field="reason", required=False)
    if " ".join(text.split()) == " ".join(paragraph.text.split()):
        raise ValidationError(
            {"text": _("Ihr Vorschlag ist gleich dem Text des Absatzes. Bitte ändern Sie ihn.")}
        )
    suggestion = Suggestion.objects.create(
        paragraph=paragraph,
        project_id=draft.project_id,
        author=None if offline else by,
        entered_by=by if offline else None,
        channel=channel,
        text=text,
        reason=reason,
        base_text=paragraph.text,
        name_in_report=name_in_report and not offline,
    )
    _shift(paragraph, {"suggestion_count": +1})
    return suggestion


def suggestions_set_hidden(*, rows: Any, values: dict[str, Any], hiding: bool) -> int:
    """Moderation hides or shows suggestions (``rows``: those whose state changes): their
    paragraphs' ``suggestion_count`` moves with them, in the same transaction."""
    changed = list(rows.select_for_update().order_by("pk").values_list("pk", "paragraph_id"))
    done = Suggestion.objects.filter(pk__in=[pk for pk, _paragraph in changed]).update(**values)
    per_paragraph: dict[int, int] = {}
    for _pk, paragraph_id in changed:
        per_paragraph[paragraph_id] = per_paragraph.get(paragraph_id, 0) + 1
    for paragraph_id, count in sorted(per_paragraph.items()):
        Paragraph.objects.filter(pk=paragraph_id).update(
            suggestion_count=F("suggestion_count") + (-count if hiding else count)
        )
    return done


@transaction.atomic
def suggestion_weigh(*, user: Any, suggestion: Suggestion, weighing: str, reason: str) -> bool:
    """Record the administration's weighing with its public reason; tell the author.

    Returns False when nothing changed (the same weighing and reason again).
    """
    decide(user, "drafts.manage_draft", suggestion.paragraph.draft).raise_if_refused()
    if weighing not in Weighing.values:
        raise ValidationError({"weighing": _("Bitte wählen Sie eine Abwägung.")})
    reason = _clean_text(reason, limit=REASON_MAX_LENGTH, field="reason", required=True)
    row = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if row.weighing == weighing and row.weighing_reason == reason:
        return False
    suggestion.weighing, suggestion.weighing_reason = weighing, reason
    suggestion.weighed_at, suggestion.weighed_by = timezone.now(), user
    suggestion.save(
        update_fields=["weighing", "weighing_reason", "weighed_at", "weighed_by", "updated_at"]
    )
    if suggestion.author is not None:
        _tell_weighed(
            suggestion.author,
            kind=SUGGESTION_WEIGHED,
            title=gettext_lazy("Ihr Änderungsvorschlag wurde abgewogen: %(weighing)s"),
            weighing=suggestion.get_weighing_display,
            reason=reason,
            url=suggestion.get_absolute_url(),
        )
    return True


def staff_authors(organisation_id: int, author_ids: Any) -> set[int]:
    """Which of ``author_ids`` are staff of the municipality (one query): their comments
    are the administration answering, not contributions to weigh."""
    ids = {pk for pk in author_ids if pk is not None}
    if not ids:
        return set()
    return set(
        Membership.objects.filter(organisation_id=organisation_id, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )


def comment_weighing_refusal(comment: Comment, paragraph: Paragraph) -> str:
    """Why this comment cannot be weighed, in German; empty when it can."""
    if comment.paragraph_id is None or comment.paragraph_id != paragraph.pk:
        return _("Nur Kommentare zu einem Absatz eines Textentwurfs werden abgewogen.")
    if comment.is_deleted:
        return _("Dieser Kommentar wurde gelöscht und wird nicht abgewogen.")
    if comment.is_hidden:
        return _("Dieser Kommentar ist ausgeblendet und wird nicht abgewogen.")
    if comment.author_id is not None and staff_authors(
        paragraph.draft.project.organisation_id, [comment.author_id]
    ):
        return _(
            "Dieser Kommentar ist eine Antwort der Verwaltung, kein Beitrag; er wird nicht "
            "abgewogen."
        )
    return ""


@transaction.atomic
def comment_weigh(*, user: Any, comment: Comment, weighing: str, reason: str) -> bool:
    """Record the administration's weighing of a comment on a paragraph, with its public
    reason; tell the author. One weighing per comment: a second one (also a parallel one
    by a colleague, which the constraint ``one_weighing_per_comment`` turns away) changes
    it. Returns False when nothing changed (the same weighing and reason again).
    """
    paragraph = comment.paragraph
    if paragraph is None:
        raise ValidationError(
            _("Nur Kommentare zu einem Absatz eines Textentwurfs werden abgewogen.")
        )
    decide(user, "drafts.manage_draft", paragraph.draft).raise_if_refused()
    if weighing not in Weighing.values:
        raise ValidationError({"weighing": _("Bitte wählen Sie eine Abwägung.")})
    reason = _clean_text(reason, limit=REASON_MAX_LENGTH, field="reason", required=True)
    refusal = comment_weighing_refusal(comment, paragraph)
    if refusal:
        raise ValidationError(refusal)
    row = CommentWeighing.objects.select_for_update().filter(comment=comment).first()
    if row is None:
        try:
            with transaction.atomic():
                row = CommentWeighing.objects.create(
                    comment=comment, weighing=weighing, reason=reason, weighed_by=user
                )
        except IntegrityError:
            # A colleague weighed it at the same moment: theirs is stored; this one
            # changes it, as a later weighing would.
            row = CommentWeighing.objects.select_for_update().get(comment=comment)
        else:
            _tell_comment_author(comment, row)
            return True
    if row.weighing == weighing and row.reason == reason:
        return False
    row.weighing, row.reason, row.weighed_by = weighing, reason, user
    row.save(update_fields=["weighing", "reason", "weighed_by", "updated_at"])
    _tell_comment_author(comment, row)
    return True


def _tell_comment_author(comment: Comment, row: CommentWeighing) -> None:
    if comment.author is not None:
        _tell_weighed(
            comment.author,
            kind=COMMENT_WEIGHED,
            title=gettext_lazy("Ihr Kommentar wurde abgewogen: %(weighing)s"),
            weighing=row.get_weighing_display,
            reason=row.reason,
            url=comment.get_absolute_url(),
        )


def _tell_weighed(
    author: Any, *, kind: str, title: Any, weighing: Any, reason: str, url: str
) -> None:
    """Tell the author of a weighed contribution, in-app and by mail, after the commit.
    ``title`` is a lazy string with ``%(weighing)s`` and ``weighing`` gives that label:
    both are rendered in German here, as every notification is written."""
    with translation.override(settings.LANGUAGE_CODE):
        heading = str(title) % {"weighing": weighing()}
        body = _("%(title)s\n\nBegründung der Verwaltung: %(reason)s\n\n%(url)s\n") % {
            "title": heading,
            "reason": reason,
            "url": f"{settings.SITE_URL}{url}",
        }
    transaction.on_commit(
        lambda: notify(
            recipients=[author],
            kind=kind,
            title=heading[:200],
            text=reason,
            url=url,
            mail_subject=heading[:200],
            mail_body=body,
        )
    )


def suggestion_support(*, user: Any, suggestion: Suggestion, support: bool) -> bool:
    """Support someone else's suggestion (``support`` True) or withdraw the support;
    returns whether the person supports it now. Counted once per person."""
    paragraph = suggestion.paragraph
    decide(user, "drafts.respond", paragraph.draft).raise_if_refused()
    _current_only(paragraph)
    if suggestion.author_id == user.pk:
        raise ValidationError(_("Ihren eigenen Vorschlag können Sie nicht unterstützen."))
    if suggestion.is_hidden:
        raise ValidationError(_("Dieser Vorschlag ist ausgeblendet."))
    with transaction.atomic():
        row = (
            SuggestionSupport.objects.select_for_update()
            .filter(suggestion=suggestion, user=user)
            .first()
        )
        if row is None and support:
            try:
                with transaction.atomic():
                    SuggestionSupport.objects.create(suggestion=suggestion, user=user)
            except IntegrityError:
                # The same person's parallel click stored it first: that one counts.
                return True
            _count_support(suggestion, +1)
        elif row is not None and not support:
            row.delete()
            _count_support(suggestion, -1)
    return support


def _count_support(suggestion: Suggestion, delta: int) -> None:
    Suggestion.objects.filter(pk=suggestion.pk).update(support_count=F("support_count") + delta)
    modules.changed(project_id=suggestion.project_id)


@transaction.atomic
def responses_erase(user: Any) -> None:
    """Before an account is deleted: its votes and supports go, and the counters of the
    paragraphs and suggestions with them (the cascade alone would leave them too high)."""
    votes = list(
        ParagraphVote.objects.select_for_update()
        .filter(user=user)
        .order_by("pk")
        .values_list("pk", "paragraph_id", "value")
    )
    for _pk, paragraph_id, value in votes:
        Paragraph.objects.filter(pk=paragraph_id).update(**{COUNTER[value]: F(COUNTER[value]) - 1})
    ParagraphVote.objects.filter(pk__in=[pk for pk, _p, _v in votes]).delete()
    supports = list(
        SuggestionSupport.objects.select_for_update()
        .filter(user=user)
        .order_by("pk")
        .values_list("pk", "suggestion_id")
    )
    for _pk, suggestion_id in supports:
        Suggestion.objects.filter(pk=suggestion_id).update(support_count=F("support_count") - 1)
    SuggestionSupport.objects.filter(pk__in=[pk for pk, _s in supports]).delete()
    if votes or supports:
        modules.changed(everywhere=True)
