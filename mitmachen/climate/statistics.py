"""Residents' observations (Mitmach-Daten) in the staff statistics
(``ParticipationModule.statistics``): one row per observation, on the day it was
reported, in the Ortsteil where it was made."""

from __future__ import annotations

from django.db.models import Value
from django.utils.translation import gettext_lazy as _

from mitmachen.climate.models import Observation
from mitmachen.core.channels import Channel
from mitmachen.projects.statistics import Contributions, StatsScope, day_of


def statistics(scope: StatsScope) -> tuple[Contributions, ...]:
    observations = Observation.objects.filter(project__in=scope.projects)
    return (
        Contributions(
            kinds=(("observation", _("Beobachtungen (Mitmach-Daten)")),),
            rows=scope.rows(
                observations,
                kind="observation",
                day=day_of("created_at"),
                user="author_id",
                channel=Value(Channel.ONLINE.value),
                district="district_id",
            ),
        ),
    )
