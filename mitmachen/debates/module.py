"""Debates as a participation module (``projects.modules``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mitmachen.core.permissions import decide
from mitmachen.core.sections import Section
from mitmachen.debates import council_report
from mitmachen.debates import statistics as debates_statistics
from mitmachen.debates.bench import bench
from mitmachen.debates.models import DEBATE, DEBATE_CLOSED, Debate
from mitmachen.debates.process_template import TEMPLATE_PART
from mitmachen.projects.models import Project
from mitmachen.projects.modules import (
    CachedModel,
    Gender,
    ModerationTarget,
    ParticipationModule,
    PhaseAction,
    SetupPage,
)
from mitmachen.projects.origins import OriginKind


def project_section(request: HttpRequest, project: Project) -> dict[str, Any] | None:
    """The panel shows when a phase lets residents open debates, when there are debates,
    or when this person may open one (staff, in any phase)."""
    has_phase = any(DEBATE in p.actions for p in project.ordered_phases())
    count = Debate.objects.filter(project=project).not_hidden().count()
    may_open = decide(request.user, "debates.open_debate", project).allowed
    if not (has_phase or count or may_open):
        return None
    return {"debate_count": count, "can_open": may_open}


def setup_part(request: HttpRequest, project: Project) -> dict[str, Any]:
    """The project's debates on the staff's set-up page (one query), and whether a phase
    lets residents open debates themselves."""
    debates = list(
        Debate.objects.filter(project=project)
        .only("pk", "question", "closed_at", "comment_count", "opened_by_staff", "hidden_at")
        .order_by("pk")
    )
    return {
        "debates": debates,
        "residents_open": any(DEBATE in p.actions for p in project.ordered_phases()),
        "can_open": decide(request.user, "debates.open_debate", project).allowed,
    }


MODERATION_TARGET = ModerationTarget(
    model="debates.Debate",
    key="debate",
    slug="debatte",
    staff_slug="debatten",
    label=_("Debatte"),
    label_plural=_("Debatten"),
    gender=Gender.FEMININE,
    subject=lambda d: gettext("Debatte „%(question)s“") % {"question": d.question[:150]},
    yours=lambda d: gettext("Ihre Debatte „%(question)s“") % {"question": d.question},
    headline=lambda d: str(d.question),
    template="debates/moderation/target.html",
    lock_order=30,
    # "Ausblenden (Moderation)" on the debate's page (``debate_detail.html``).
    short_page="debatten/<int:pk>/moderieren/",
)


def _visible_debates(user: Any, rows: Any) -> Any:
    return rows.not_hidden().filter(project__in=Project.objects.visible_to(user))


def _debate_people(debate: Debate) -> Any:
    from django.contrib.auth import get_user_model

    # The author (none left when their account was deleted).
    return get_user_model().objects.filter(pk__in=[debate.author_id] if debate.author_id else [])


# A debate can become a measure ("Daraus wurde die Maßnahme …" under it).
ORIGIN = OriginKind(
    key="debatte",
    model="debates.Debate",
    label=_("Debatte"),
    visible=_visible_debates,
    title=lambda debate: str(debate.question),
    text=lambda debate: str(debate.description),
    footer="debate.footer",
    people=_debate_people,
)


MODULE = ParticipationModule(
    label="debates",
    urls="mitmachen.debates.urls",
    phase_actions=(
        PhaseAction(
            DEBATE,
            _("Debatten eröffnen"),
            order=60,
            explanation=_(
                "Teilnehmende eröffnen Debatten und nehmen dafür, dagegen oder neutral Stellung."
            ),
        ),
    ),
    sections=(Section("project", "debates", "debates/sections/project.html", project_section, 30),),
    page_cache=(CachedModel("debates.Debate"),),
    notification_kinds=((DEBATE_CLOSED, _("Debatte abgeschlossen")),),
    moderation_targets=(MODERATION_TARGET,),
    bench=bench,
    statistics=debates_statistics.statistics,
    # Debates staff prepare (the debates' own create and edit pages), in the project set-up.
    setup_pages=(SetupPage("debates", _("Debatten"), "debates/setup/part.html", setup_part, 20),),
    template=TEMPLATE_PART,
    origins=(ORIGIN,),
    report=council_report.report,
)
