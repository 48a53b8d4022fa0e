"""A draft's paragraph as a target of the comments app (``comments.targets``).

Comments on a paragraph belong to the paragraph row of the version they were made on
(``Comment.paragraph``); answers go to the current version only, so a paragraph of an
older version takes no new comments and keeps those it received (the paragraph's page
lists them "zu Fassung <n>"). Residents comment while the project's current phase allows
``COMMENT_TEXT`` – the same action as votes and suggestions. ``Paragraph.comment_count``
counts the visible comments (replies included); the comments app moves it through
``shift_comment_counts`` in the same transaction as the comment rows (writing, deleting,
hiding and showing by moderation, blocking).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mitmachen.comments import targets
from mitmachen.comments.targets import CommentTarget
from mitmachen.drafts.models import COMMENT_TEXT, CommentWeighing, Paragraph
from mitmachen.drafts.permissions import manages
from mitmachen.drafts.services import staff_authors


def comment_refusal(paragraph: Paragraph) -> str:
    """Why nobody may comment on ``paragraph`` now, in German (empty when it takes comments)."""
    draft = paragraph.draft
    if not draft.is_public:
        return _(
            "Dieser Entwurf ist noch nicht veröffentlicht; Antworten sind erst danach möglich."
        )
    if paragraph.version != draft.version:
        return _(
            "Dieser Absatz gehört zu Fassung %(old)d. Bitte kommentieren Sie die aktuelle "
            "Fassung %(new)d."
        ) % {"old": paragraph.version, "new": draft.version}
    return ""


def comments_hidden(paragraph: Paragraph) -> bool:
    """An unpublished draft's comments are seen by staff only (like the draft)."""
    return not paragraph.draft.is_public


def comment_count(paragraph: Paragraph) -> int:
    return paragraph.comment_count


def shift_comment_counts(
    paragraph_id: int, delta: int, comments: int, stances: Mapping[str, int]
) -> None:
    """``comments`` comments of the paragraph start (``delta=+1``) or stop (``-1``)
    counting: one ``F()`` update of its row (paragraphs take no stances)."""
    Paragraph.objects.filter(pk=paragraph_id).update(
        comment_count=F("comment_count") + delta * comments
    )


def title(paragraph: Paragraph) -> str:
    return _("Absatz %(n)d – %(draft)s") % {"n": paragraph.number, "draft": paragraph.draft.title}


def weighing_notes(user: Any, paragraph: Paragraph, comments: list[Any]) -> dict[int, Any]:
    """Under each comment shown in full: the administration's weighing, if any; for staff
    who may weigh, also the link to weigh it (not for their colleagues' answers, nor for
    a hidden comment). Two queries (three for staff), whatever the number of comments."""
    draft = paragraph.draft
    weighings = {
        row.comment_id: row
        for row in CommentWeighing.objects.filter(comment_id__in=[c.pk for c in comments])
    }
    staff = manages(user, draft)
    colleagues = (
        staff_authors(draft.project.organisation_id, {c.author_id for c in comments})
        if staff
        else set()
    )
    notes: dict[int, Any] = {}
    for comment in comments:
        weighing = weighings.get(comment.pk)
        weigh_url = ""
        if staff and not comment.is_hidden and comment.author_id not in colleagues:
            weigh_url = reverse(
                "drafts:weigh_comment", args=[draft.project.slug, draft.slug, comment.pk]
            )
        if weighing is not None or weigh_url:
            notes[comment.pk] = {"weighing": weighing, "weigh_url": weigh_url}
    return notes


COMMENT_TARGET = CommentTarget(
    field=targets.PARAGRAPH,
    path="absaetze",
    refusal=comment_refusal,
    # The paragraph's row is locked before a comment is stored (its counter moves);
    # whether it is current is read from its draft.
    state_fields=("version",),
    hidden=comments_hidden,
    shift_counts=shift_comment_counts,
    comment_count=comment_count,
    counter_fields=("comment_count",),
    stance_counts=None,
    title_field="text",
    title=title,
    foreign_project=gettext_lazy("Der Absatz gehört nicht zu diesem Beteiligungsprozess."),
    gone=gettext_lazy("Diesen Absatz gibt es nicht mehr."),
    list_view="projects:detail",
    list_label=gettext_lazy("Textentwürfe"),
    heading=gettext_lazy("Kommentare zu"),
    back_label=gettext_lazy("Zum Absatz"),
    csv_column="absatz",
    phase_action=COMMENT_TEXT,
    project_path="draft__project",
    comment_notes=weighing_notes,
    note_template="drafts/partials/comment_weighing.html",
    # The same consent as for a suggestion; the Abwägungstabelle reads
    # ``Comment.name_in_report`` (``report.comment_who``).
    name_consent=gettext_lazy("Mein Name darf in der Abwägungstabelle für den Stadtrat stehen."),
    name_consent_hint=gettext_lazy("Sonst steht dort nur „Bürgerin/Bürger aus“ Ihrem Ortsteil."),
)
