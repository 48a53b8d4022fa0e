"""Polls (surveys and votes) as a participation module (``projects.modules``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mitmachen.core.sections import Section
from mitmachen.polls import council_report
from mitmachen.polls import statistics as polls_statistics
from mitmachen.polls.collected import COLLECTED
from mitmachen.polls.models import ANSWER, VOTE, Poll
from mitmachen.polls.origin import ORIGIN, QUESTION_ORIGIN
from mitmachen.polls.process_template import TEMPLATE_PART
from mitmachen.polls.services import polls_followers_notify
from mitmachen.polls.setup_views import setup_part
from mitmachen.projects.models import Project
from mitmachen.projects.modules import (
    CachedModel,
    CachedPart,
    ParticipationModule,
    PhaseAction,
    SetupPage,
)


def project_section(request: HttpRequest, project: Project) -> dict[str, Any] | None:
    """The project's polls, newest phase first; unpublished ones only for its managers."""
    polls = Poll.objects.filter(project=project).select_related("phase", "project")
    if not request.user.has_perm("projects.change_project", project):
        polls = polls.filter(is_published=True)
    found = list(polls.order_by("-phase__start", "pk"))
    return {"polls": found} if found else None


MODULE = ParticipationModule(
    label="polls",
    collected_offline=(COLLECTED,),
    urls="mitmachen.polls.urls",
    phase_actions=(
        PhaseAction(
            VOTE,
            _("Abstimmen"),
            order=40,
            explanation=_("Teilnehmende stimmen in Abstimmungen dieses Projekts ab."),
        ),
        PhaseAction(
            ANSWER,
            _("An Umfragen teilnehmen"),
            order=50,
            explanation=_(
                "Teilnehmende beantworten die Umfragen, die dieser Phase zugeordnet sind."
            ),
        ),
    ),
    sections=(Section("project", "polls", "polls/sections/project.html", project_section, 10),),
    page_cache=(
        CachedModel("polls.Poll"),
        CachedModel("polls.Question", "poll.project_id"),
        CachedModel("polls.Option", "question.poll.project_id"),
        # Results (``selectors.cached_results`` follows the project's version): a new,
        # changed, entered or deleted questionnaire counts at once.
        CachedModel("polls.Response", "poll.project_id"),
    ),
    page_cache_parts=(
        # Written in bulk with their response; a review of a free text calls changed().
        CachedPart("polls.Answer", whole="polls.Response"),
    ),
    not_on_public_pages=(
        # Who took part: only the person learns it (signed in, or by a guest token).
        "polls.Participation",
        # Paper batches and their corrections are staff pages (never cached); the
        # questionnaires they hold are responses.
        "polls.PaperBatch",
        "polls.Correction",
    ),
    follow_checks={"polls": polls_followers_notify},
    statistics=polls_statistics.statistics,
    # The surveys and their questions in the project set-up (polls.setup_views).
    setup_pages=(SetupPage("polls", _("Umfragen"), "polls/setup/part.html", setup_part, 10),),
    template=TEMPLATE_PART,
    report=council_report.report,
    origins=(ORIGIN, QUESTION_ORIGIN),
)
