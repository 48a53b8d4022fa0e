"""Contribution of the drafts app to "Meine Daten": votes, suggested wordings, the
supports of others' suggestions and the administration's weighing of the person's
comments on paragraphs (the comments themselves are the comments app's section), and the
Abwägungstabellen a member of staff asked for as files; and what
account deletion must do beyond the cascade. A weighing names no person: deleting the
comment's author leaves it (the comment stays without a name), deleting the staff member
who weighed empties ``weighed_by``."""

from __future__ import annotations

from typing import Any

from mitmachen.core.registry import register, register_eraser
from mitmachen.drafts.models import (
    CommentWeighing,
    ParagraphVote,
    Suggestion,
    SuggestionSupport,
    WeighingTableFile,
)
from mitmachen.drafts.services import responses_erase
from mitmachen.drafts.table_services import tables_naming_erase


@register("textentwuerfe")
def export_drafts(user: Any) -> dict[str, list[dict[str, Any]]]:
    data: dict[str, list[dict[str, Any]]] = {
        "bewertungen": [
            {
                "textentwurf": v.paragraph.draft.title,
                "absatz": v.paragraph.number,
                "fassung": v.paragraph.version,
                "bewertung": v.get_value_display(),
                "am": v.updated_at.isoformat(),
            }
            for v in ParagraphVote.objects.filter(user=user).select_related("paragraph__draft")
        ],
        "aenderungsvorschlaege": [
            {
                "textentwurf": s.paragraph.draft.title,
                "absatz": s.paragraph.number,
                "fassung": s.paragraph.version,
                "vorgeschlagene_fassung": s.text,
                "begruendung": s.reason,
                "name_in_der_abwaegungstabelle": s.name_in_report,
                "am": s.created_at.isoformat(),
                "abwaegung": s.get_weighing_display() or None,
                "begruendung_der_abwaegung": s.weighing_reason or None,
                "ausgeblendet_am": s.hidden_at.isoformat() if s.hidden_at else None,
            }
            for s in Suggestion.objects.filter(author=user).select_related("paragraph__draft")
        ],
        "unterstuetzte_vorschlaege": [
            {
                "textentwurf": s.suggestion.paragraph.draft.title,
                "absatz": s.suggestion.paragraph.number,
                "fassung": s.suggestion.paragraph.version,
                "vorgeschlagene_fassung": s.suggestion.text,
                "am": s.created_at.isoformat(),
            }
            for s in SuggestionSupport.objects.filter(user=user).select_related(
                "suggestion__paragraph__draft"
            )
        ],
        "abwaegungen_ihrer_kommentare": [
            {
                "textentwurf": w.comment.paragraph.draft.title,
                "absatz": w.comment.paragraph.number,
                "fassung": w.comment.paragraph.version,
                "kommentar": w.comment.text,
                "abwaegung": w.get_weighing_display(),
                "begruendung_der_abwaegung": w.reason,
                "am": w.updated_at.isoformat(),
            }
            for w in CommentWeighing.objects.filter(comment__author=user)
            .select_related("comment__paragraph__draft")
            .order_by("pk")
            if w.comment.paragraph is not None
        ],
        "angeforderte_abwaegungstabellen": [
            {
                "textentwurf": t.draft.title,
                "fassung": t.version,
                "angefordert_am": t.requested_at.isoformat(),
                "stand": t.get_state_display(),
            }
            for t in WeighingTableFile.objects.filter(requested_by=user)
            .select_related("draft")
            .order_by("pk")
        ],
    }
    return {key: rows for key, rows in data.items() if rows}


@register_eraser("textentwuerfe")
def erase_drafts(user: Any) -> None:
    """Votes and supports go with the account; the counts drop with them. The stored
    Abwägungstabellen that name the person go with their files (``table_services``); the
    tables a member of staff asked for stay, without them (``requested_by`` is emptied)."""
    responses_erase(user)
    tables_naming_erase(user)
