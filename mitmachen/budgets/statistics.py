"""The participatory budget in the staff statistics (``ParticipationModule.statistics``):
ideas (online or handed in offline, on the day they were handed in) and ballots – online,
and paper ballots once their stack is confirmed (``Ballot`` counts no others). An idea
belongs to its own Ortsteil, else to its author's home Ortsteil; a ballot to the voter's
home Ortsteil."""

from __future__ import annotations

from django.db.models import Case, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from mitmachen.budgets.models import Ballot, Idea
from mitmachen.core.channels import Channel
from mitmachen.projects.statistics import Contributions, StatsScope, day_of

PAPER = "paper_ballot"


def statistics(scope: StatsScope) -> tuple[Contributions, ...]:
    ideas = Idea.objects.filter(project__in=scope.projects)
    ballots = Ballot.objects.counted().filter(group__budget__project__in=scope.projects)
    return (
        Contributions(
            kinds=(("budget_idea", _("Ideen für den Bürgerhaushalt")),),
            rows=scope.rows(
                ideas,
                kind="budget_idea",
                day=Coalesce("submitted_on", day_of("created_at")),
                user="author_id",
                district=Coalesce("district_id", "author__home_district_id"),
            ),
        ),
        Contributions(
            kinds=(("ballot", _("Stimmzettel im Bürgerhaushalt")),),
            channels=((PAPER, _("Papierstimmzettel")),),
            rows=scope.rows(
                ballots,
                kind="ballot",
                day=Coalesce("batch__collected_on", day_of("created_at")),
                user="voter_id",
                channel=Case(
                    When(batch__isnull=True, then=Value(Channel.ONLINE.value)),
                    default=Value(PAPER),
                ),
                district="voter__home_district_id",
            ),
        ),
    )
