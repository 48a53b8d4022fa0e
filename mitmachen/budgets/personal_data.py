"""Contribution of the Bürgerhaushalt to "Meine Daten": ideas, supports and ballots.

No eraser: ideas, supports and ballots point at the account with ``SET_NULL``. A deleted
account's ballot and supports stay and still count, without the person; its ideas show
"gelöschtes Konto".
"""

from __future__ import annotations

from typing import Any

from mitmachen.budgets.models import Ballot, BallotChoice, Idea, IdeaSupport
from mitmachen.core.registry import register


@register("buergerhaushalt")
def export_budgets(user: Any) -> dict[str, Any]:
    ballots = list(Ballot.objects.filter(voter=user).select_related("group__budget"))
    chosen: dict[int, list[str]] = {}
    for ballot_id, title in BallotChoice.objects.filter(ballot__in=ballots).values_list(
        "ballot_id", "idea__title"
    ):
        chosen.setdefault(ballot_id, []).append(title)
    return {
        "ideen": [
            {
                "titel": i.title,
                "beschreibung": i.description,
                "geschaetzte_kosten_euro": i.estimated_cost,
                "ortsteil": i.district.name if i.district else None,
                "punkt_auf_der_karte": [i.lon, i.lat] if i.has_point else None,
                "bilder": [img.image.name for img in i.images.all()],
                "buergerhaushalt": i.budget.title,
                "pruefung": i.get_feasibility_display(),
                "eingereicht_am": i.created_at.isoformat(),
            }
            for i in Idea.objects.filter(author=user)
            .select_related("budget", "district")
            .prefetch_related("images")
        ],
        "unterstuetzungen": [
            {
                "idee": s.idea.title,
                "buergerhaushalt": s.idea.budget.title,
                "unterstuetzt_am": s.created_at.isoformat(),
            }
            for s in IdeaSupport.objects.filter(user=user).select_related("idea__budget")
        ],
        "stimmzettel": [
            {
                "buergerhaushalt": b.group.budget.title,
                "gruppe": b.group.name,
                "gewaehlte_vorschlaege": sorted(chosen.get(b.pk, [])),
                "abgegeben_am": b.created_at.isoformat(),
                "geaendert_am": b.updated_at.isoformat(),
            }
            for b in ballots
        ],
    }
