"""Survey answers in the staff statistics (``ParticipationModule.statistics``): one row
per filled-in questionnaire, online or entered from paper (on the day it was collected).
Its Ortsteil is the answer to the Ortsteil question, else the home Ortsteil of the
account that answered; its age group is the answer to the age question. In an anonymous
poll a questionnaire is not linked to who gave it, so it counts as one person of its own."""

from __future__ import annotations

from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from mitmachen.polls.models import Response
from mitmachen.projects.statistics import Contributions, StatsScope, day_of


def statistics(scope: StatsScope) -> tuple[Contributions, ...]:
    responses = Response.objects.filter(poll__project__in=scope.projects)
    return (
        Contributions(
            kinds=(("poll_response", _("ausgefüllte Fragebögen")),),
            rows=scope.rows(
                responses,
                kind="poll_response",
                day=Coalesce("batch__collected_on", day_of("created_at")),
                user="participation__user_id",
                district=Coalesce("district_id", "participation__user__home_district_id"),
                age="age_group__label",
                age_order="age_group__position",
            ),
        ),
    )
