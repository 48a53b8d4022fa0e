"""Stacks of paper questionnaires as contributions collected at an event
(``projects.contributions``): the events module links them and counts their
questionnaires on the event's page, linking the survey (a stack has no public page)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from mitmachen.organisations.models import Membership
from mitmachen.projects.contributions import CollectedKind, visible_in_projects


def _visible(user: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
    """Stacks of the published surveys in projects the person sees (all for staff)."""
    found = visible_in_projects(user, rows, project="poll__project", hidden="")
    if getattr(user, "is_superuser", False):
        return found
    shown = Q(poll__is_published=True)
    if user.is_authenticated:
        shown |= Q(
            poll__project__organisation__in=Membership.objects.filter(user=user).values(
                "organisation"
            )
        )
    return found.filter(shown)


def _title(batch: Any) -> str:
    return gettext("„%(poll)s“, gesammelt am %(day)s") % {
        "poll": batch.poll.title,
        "day": date_format(batch.collected_on, "SHORT_DATE_FORMAT"),
    }


COLLECTED = CollectedKind(
    key="papierboegen",
    model="polls.PaperBatch",
    label=_("Papierfragebögen"),
    count_text=lambda n: (
        ngettext("%(n)d ausgefüllter Papierfragebogen", "%(n)d ausgefüllte Papierfragebögen", n)
        % {"n": n}
    ),
    offline=lambda rows: rows,
    visible=_visible,
    title=_title,
    url=lambda batch: batch.poll.get_absolute_url(),
    day="collected_on",
    amount=lambda batch: batch.forms,
    annotate={"forms": Count("responses")},
    organisation="poll.project.organisation_id",
    project="poll.project_id",
    select_related=("poll__project",),
)
