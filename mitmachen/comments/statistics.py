"""Comments in the staff statistics (``ParticipationModule.statistics``): every comment
not deleted by its author – on a project, a proposal, a debate (with a stance: a
contribution to the debate) or a draft's paragraph –, online or entered from a workshop.
A comment on a proposal belongs to the proposal's Ortsteil, else to the author's home
Ortsteil."""

from __future__ import annotations

from django.db.models import Case, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from mitmachen.comments.models import Comment
from mitmachen.projects.statistics import Contributions, StatsScope, day_of


def statistics(scope: StatsScope) -> tuple[Contributions, ...]:
    comments = Comment.objects.filter(project__in=scope.projects, deleted_at__isnull=True)
    kind = Case(
        When(debate__isnull=False, then=Value("debate_comment")),
        When(paragraph__isnull=False, then=Value("paragraph_comment")),
        default=Value("comment"),
    )
    return (
        Contributions(
            kinds=(
                ("comment", _("Kommentare")),
                ("debate_comment", _("Beiträge in Debatten")),
                ("paragraph_comment", _("Kommentare zu Textentwürfen")),
            ),
            rows=scope.rows(
                comments,
                kind=kind,
                day=day_of("created_at"),
                user="author_id",
                district=Coalesce("proposal__district_id", "author__home_district_id"),
            ),
        ),
    )
