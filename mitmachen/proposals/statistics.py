"""Proposals in the staff statistics (``ParticipationModule.statistics``): proposals
(online and handed in offline, on the day they were handed in) and supports. A proposal
belongs to its own Ortsteil, else to its author's home Ortsteil; a support to the
supporter's home Ortsteil."""

from __future__ import annotations

from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from mitmachen.core.channels import Channel
from mitmachen.projects.statistics import Contributions, StatsScope, day_of
from mitmachen.proposals.models import Proposal, Support


def statistics(scope: StatsScope) -> tuple[Contributions, ...]:
    proposals = Proposal.objects.filter(project__in=scope.projects)
    supports = Support.objects.filter(proposal__project__in=scope.projects)
    return (
        Contributions(
            kinds=(("proposal", _("Vorschläge")),),
            rows=scope.rows(
                proposals,
                kind="proposal",
                day=Coalesce("submitted_on", day_of("created_at")),
                user="author_id",
                district=Coalesce("district_id", "author__home_district_id"),
            ),
        ),
        Contributions(
            kinds=(("support", _("Unterstützungen von Vorschlägen")),),
            rows=scope.rows(
                supports,
                kind="support",
                day=day_of("created_at"),
                user="user_id",
                channel=Value(Channel.ONLINE.value),
                district="user__home_district_id",
            ),
        ),
    )
