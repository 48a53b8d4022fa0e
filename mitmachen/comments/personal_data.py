"""Contribution of the comments app to "Meine Daten"."""

from __future__ import annotations

from typing import Any

from mitmachen.comments import targets
from mitmachen.comments.models import Comment, CommentRating
from mitmachen.core.registry import register


def _target(comment: Comment) -> str:
    target = targets.of_comment(comment)
    if target is not None:
        return target.title
    return comment.proposal.title if comment.proposal else comment.project.title


@register("kommentare")
def export_comments(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "text": c.text,
            "zu": _target(c),
            "beteiligungsprozess": c.project.title,
            "antwort_auf_kommentar": c.reply_to_id,
            "haltung": c.get_stance_display() if c.stance else None,
            # Asked only where a target lists contributions by name (a draft's
            # Abwägungstabelle); None where it was not asked.
            "name_in_der_auswertung": c.name_in_report if c.name_consent else None,
            "geschrieben_am": c.created_at.isoformat(),
            "bearbeitet_am": c.edited_at.isoformat() if c.edited_at else None,
            "geloescht_am": c.deleted_at.isoformat() if c.deleted_at else None,
        }
        for c in Comment.objects.filter(author=user).select_related(
            "project", "proposal", *targets.KEYS
        )
    ]


@register("kommentarbewertungen")
def export_ratings(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "kommentar": r.comment_id,
            "zu": _target(r.comment),
            "bewertung": "Zustimmung" if r.value == 1 else "Ablehnung",
            "am": r.created_at.isoformat(),
        }
        for r in CommentRating.objects.filter(user=user).select_related(
            "comment__project", "comment__proposal", *(f"comment__{k}" for k in targets.KEYS)
        )
    ]
