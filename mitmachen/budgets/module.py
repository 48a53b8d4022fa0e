"""The Bürgerhaushalt as a participation module (``projects.modules``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mitmachen.budgets import council_report
from mitmachen.budgets import statistics as budgets_statistics
from mitmachen.budgets.collected import COLLECTED, PAPER_COLLECTED
from mitmachen.budgets.models import (
    IDEA_ASSIGNED,
    IDEA_REVIEWED,
    SUBMIT_IDEA,
    SUPPORT,
    VOTE,
    Budget,
    Feasibility,
)
from mitmachen.budgets.origin import ORIGIN
from mitmachen.budgets.permissions import manages
from mitmachen.budgets.process_template import TEMPLATE_PART
from mitmachen.core.sections import Section
from mitmachen.projects.models import Project
from mitmachen.projects.modules import (
    BenchContext,
    BenchPage,
    CachedModel,
    Gender,
    ModerationTarget,
    ParticipationModule,
    PhaseAction,
)


def project_section(request: HttpRequest, project: Project) -> dict[str, Any] | None:
    """The project's budgets with their idea counts, in one query; nothing without one.

    Without a phase for ideas or the ballot, only staff of the project (who set a budget
    up before its phases) cost that query; everyone else sees nothing and costs none."""
    actions = {SUBMIT_IDEA, SUPPORT, VOTE}
    has_phase = any(actions.intersection(p.actions) for p in project.ordered_phases())
    if not has_phase and not manages(request.user, project):
        return None
    shown = Q(ideas__hidden_at__isnull=True)
    budgets = list(
        Budget.objects.filter(project=project).annotate(
            idea_count=Count("ideas", filter=shown),
            feasible_count=Count(
                "ideas", filter=shown & Q(ideas__feasibility=Feasibility.FEASIBLE)
            ),
        )
    )
    if not budgets:
        return None
    return {"budgets": budgets}


def _bench(context: BenchContext) -> tuple[BenchPage, ...]:
    from mitmachen.budgets.bench import bench

    return bench(context)


def _demo(report: Any) -> None:
    from mitmachen.budgets.demo import demo, demo_finished

    demo(report)
    demo_finished(report)


# Residents report ideas, moderators hide and show them, authors are told
# (docs/modules.md, "Moderation targets"). A hidden idea leaves the idea list and the
# ballot, and votes for it count for nothing (``IdeaQuerySet.on_ballot``).
MODERATION_TARGET = ModerationTarget(
    model="budgets.Idea",
    key="budget_idea",  # stored on reports and the log: never change it
    slug="buergerhaushalt-idee",
    staff_slug="buergerhaushalt-ideen",
    label=_("Idee im Bürgerhaushalt"),
    label_plural=_("Ideen im Bürgerhaushalt"),
    gender=Gender.FEMININE,
    subject=lambda i: gettext("Idee „%(title)s“ im Bürgerhaushalt") % {"title": i.title[:150]},
    yours=lambda i: gettext("Ihre Idee „%(title)s“ im Bürgerhaushalt") % {"title": i.title},
    headline=lambda i: str(i.title),
    template="budgets/moderation/target.html",
    context=lambda i: str(i.budget.title),
    select_related=("project__organisation", "author", "budget"),
    lock_order=40,
)


MODULE = ParticipationModule(
    label="budgets",
    urls="mitmachen.budgets.urls",
    phase_actions=(
        PhaseAction(
            SUBMIT_IDEA,
            _("Ideen für den Bürgerhaushalt einreichen"),
            order=70,
            explanation=_("Teilnehmende reichen Ideen mit Kosten für den Bürgerhaushalt ein."),
        ),
        PhaseAction(
            VOTE,
            _("Im Bürgerhaushalt abstimmen"),
            order=71,
            explanation=_(
                "Teilnehmende verteilen ihre Stimmen auf die geprüften Ideen des Bürgerhaushalts."
            ),
        ),
        PhaseAction(
            SUPPORT,
            _("Ideen im Bürgerhaushalt unterstützen"),
            order=72,
            explanation=_(
                "Teilnehmende unterstützen Ideen des Bürgerhaushalts; die meistunterstützten "
                "kommen auf den Stimmzettel."
            ),
        ),
    ),
    sections=(Section("project", "budgets", "budgets/sections/project.html", project_section, 25),),
    page_cache=(
        CachedModel("budgets.Budget"),
        CachedModel("budgets.BudgetGroup", "budget.project_id"),
        CachedModel("budgets.Idea"),
        CachedModel("budgets.IdeaImage", "idea.project_id"),
        CachedModel("budgets.GroupResult", "group.budget.project_id"),
        # Staff's stacks of paper ballots are only on staff pages, but confirming one
        # makes its ballots count in the staff statistics, which are kept per project
        # data version.
        CachedModel("budgets.PaperBatch", "group.budget.project_id"),
    ),
    page_cache_parts=(),
    not_on_public_pages=(
        # Ballots and their choices appear only as the group's ``ballot_count`` (changed()
        # in the same transaction) and in a result, which is stored once after the ballot.
        "budgets.Ballot",
        "budgets.BallotChoice",
        # Supports appear only as ``Idea.support_count`` (an F() update with changed() in
        # the same transaction, ``support_services``).
        "budgets.IdeaSupport",
    ),
    notification_kinds=(
        (IDEA_REVIEWED, _("Idee im Bürgerhaushalt geprüft")),
        (IDEA_ASSIGNED, _("Prüfung einer Idee im Bürgerhaushalt übertragen")),
    ),
    moderation_targets=(MODERATION_TARGET,),
    demo=_demo,
    bench=_bench,
    statistics=budgets_statistics.statistics,
    template=TEMPLATE_PART,
    # A winning idea can become a measure (``budgets.origin``).
    origins=(ORIGIN,),
    collected_offline=(COLLECTED, PAPER_COLLECTED),
    report=council_report.report,
)
