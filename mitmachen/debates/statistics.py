"""Debates in the staff statistics (``ParticipationModule.statistics``): a debate a
resident opened is a contribution (the comments in it are the comments module's). It
belongs to its author's home Ortsteil."""

from __future__ import annotations

from django.db.models import Value
from django.utils.translation import gettext_lazy as _

from mitmachen.core.channels import Channel
from mitmachen.debates.models import Debate
from mitmachen.projects.statistics import Contributions, StatsScope, day_of


def statistics(scope: StatsScope) -> tuple[Contributions, ...]:
    debates = Debate.objects.filter(project__in=scope.projects, opened_by_staff=False)
    return (
        Contributions(
            kinds=(("debate", _("von Bürgerinnen und Bürgern eröffnete Debatten")),),
            rows=scope.rows(
                debates,
                kind="debate",
                day=day_of("created_at"),
                user="author_id",
                channel=Value(Channel.ONLINE.value),
                district="author__home_district_id",
            ),
        ),
    )
