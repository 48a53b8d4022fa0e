"""Survey results as origins of measures (``projects.origins``): a whole survey
(``umfrage``) and a single question of it (``frage``).

The measures module sits above polls in the layers, so polls import none of it. Both
kinds follow the results rule of polls: what a measure may point to is a published
survey's results once they are public (``Poll.results_are_public``: live results, or the
survey has ended). The results page draws ``poll.footer`` with the survey under the
results, and ``poll_question.footer`` once with the list of its questions (one box for
all of them: what became of each question, in a fixed number of queries however many
questions and measures there are).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitmachen.polls.models import Poll, Question, ResultsVisibility
from mitmachen.projects.models import Project
from mitmachen.projects.origins import OriginKind


def _visible_polls(user: Any, rows: Any) -> Any:
    """Published polls of projects the person may see (``permissions.can_view``)."""
    return rows.filter(is_published=True, project__in=Project.objects.visible_to(user))


def _results_public(poll: Poll) -> bool:
    return poll.is_published and poll.results_are_public()


# A survey's results can become a measure ("Daraus wurde die Maßnahme …" on the results
# page, ``poll.footer``) once they are public.
ORIGIN = OriginKind(
    key="umfrage",
    model="polls.Poll",
    label=_("Umfrageergebnis"),
    visible=_visible_polls,
    title=lambda poll: str(poll.title),
    text=lambda poll: str(poll.intro),
    select_related=("project", "phase"),
    footer="poll.footer",
    page=lambda poll: reverse("polls:results", args=[poll.pk]),
    ready=_results_public,
)


def _visible_questions(user: Any, rows: Any) -> Any:
    """Questions whose results everyone may see: of a published survey in a project the
    person may see, with results public (``Poll.results_are_public`` as a query: live
    results, or closed, or its phase is over). Staff see pending results on the results
    page, but no measure points to results that are not public yet."""
    public = (
        Q(poll__results_visibility=ResultsVisibility.LIVE)
        | Q(poll__closed_at__isnull=False)
        | Q(poll__phase__end__lte=timezone.now())
    )
    return rows.filter(
        public, poll__is_published=True, poll__project__in=Project.objects.visible_to(user)
    )


def _question_text(question: Question) -> str:
    poll = question.poll
    parts = [str(_("Aus der Umfrage „%(poll)s“:") % {"poll": poll.title}), question.text]
    if question.help_text:
        parts.append(question.help_text)
    return "\n\n".join(parts)


# One question's results can become a measure (the box under a survey's results lists
# what became of each question, ``poll_question.footer``); the measure links to the
# question's results on the results page.
QUESTION_ORIGIN = OriginKind(
    key="frage",
    model="polls.Question",
    label=_("Ergebnis einer Umfragefrage"),
    visible=_visible_questions,
    title=lambda question: str(question.text),
    text=_question_text,
    organisation="poll.project.organisation_id",
    project="poll.project_id",
    select_related=("poll__project", "poll__phase"),
    footer="poll_question.footer",
    page=lambda question: (
        reverse("polls:results", args=[question.poll_id]) + f"#ergebnis-{question.pk}"
    ),
    ready=lambda question: _results_public(question.poll),
)
