"""Drafts in the staff statistics (``ParticipationModule.statistics``): suggested
wordings (online or entered from a workshop or a letter) and votes on paragraphs. Both
belong to their author's home Ortsteil."""

from __future__ import annotations

from django.db.models import Value
from django.utils.translation import gettext_lazy as _

from mitmachen.core.channels import Channel
from mitmachen.drafts.models import ParagraphVote, Suggestion
from mitmachen.projects.statistics import Contributions, StatsScope, day_of


def statistics(scope: StatsScope) -> tuple[Contributions, ...]:
    suggestions = Suggestion.objects.filter(project__in=scope.projects)
    votes = ParagraphVote.objects.filter(paragraph__draft__project__in=scope.projects)
    return (
        Contributions(
            kinds=(("suggestion", _("Formulierungsvorschläge zu Textentwürfen")),),
            rows=scope.rows(
                suggestions,
                kind="suggestion",
                day=day_of("created_at"),
                user="author_id",
                district="author__home_district_id",
            ),
        ),
        Contributions(
            kinds=(("paragraph_vote", _("Bewertungen von Absätzen")),),
            rows=scope.rows(
                votes,
                kind="paragraph_vote",
                day=day_of("created_at"),
                user="user_id",
                channel=Value(Channel.ONLINE.value),
                district="user__home_district_id",
            ),
        ),
    )
