"""Contribution of the polls app to "Meine Daten".

Lists every survey the person took part in. Their answers are included where they
are linked to the person; answers to anonymous surveys are not linked to anyone, so
the export can only say that the person took part.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from mitmachen.core.registry import register
from mitmachen.organisations.models import District
from mitmachen.polls.exports import _cell
from mitmachen.polls.models import Option, Participation, Question


@register("umfragen")
def export_polls(user: Any) -> list[dict[str, Any]]:
    participations = (
        Participation.objects.filter(user=user)
        .select_related("poll__project", "response")
        .prefetch_related(
            "response__answers",
            Prefetch(
                "poll__questions",
                queryset=Question.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("options", queryset=Option.objects.order_by("position", "pk"))
                ),
            ),
        )
        .order_by("created_at", "pk")
    )
    districts = dict(District.objects.values_list("pk", "name"))
    result = []
    for participation in participations:
        poll = participation.poll
        entry: dict[str, Any] = {
            "umfrage": poll.title,
            "beteiligungsprozess": poll.project.title,
            "teilgenommen_am": participation.created_at.isoformat(),
            "anonym": poll.anonymous,
        }
        response = getattr(participation, "response", None)
        if response is not None:
            by_question: dict[int, list[Any]] = {}
            for answer in response.answers.all():
                by_question.setdefault(answer.question_id, []).append(answer)
            entry["antworten"] = {
                f"{number}. {question.text}": _cell(
                    question, by_question.get(question.pk, []), districts
                )
                for number, question in enumerate(poll.questions.all(), start=1)
            }
        result.append(entry)
    return result
