"""Budget contributions handed in offline, as contributions collected at an event
(``projects.contributions``): the events module links them and lists them on the event's
page and in its council-report section.

- ideas entered by staff (``Idea`` with a channel other than online);
- stacks of paper ballots (``PaperBatch``): the event page counts their ballots and links
  the budget (a stack has no public page, a ballot is secret). Everyone sees the stacks
  that count – confirmed by the second person and not replaced by a correction – and the
  municipality's staff see the others too, marked in their title.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from mitmachen.core.channels import Channel
from mitmachen.organisations.models import Membership
from mitmachen.projects.contributions import CollectedKind, visible_in_projects

COLLECTED = CollectedKind(
    key="idee",
    model="budgets.Idea",
    label=_("Idee für den Bürgerhaushalt"),
    count_text=lambda n: (
        ngettext("%(n)d Idee für den Bürgerhaushalt", "%(n)d Ideen für den Bürgerhaushalt", n)
        % {"n": n}
    ),
    offline=lambda rows: rows.exclude(channel=Channel.ONLINE),
    visible=visible_in_projects,
    title=lambda idea: idea.title,
    url=lambda idea: idea.get_absolute_url(),
    day="submitted_on",
)


def _visible_batches(user: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
    """Stacks in projects the person sees: those that count for everyone, all of them
    for the staff of their municipality."""
    found = visible_in_projects(user, rows, project="group__budget__project", hidden="")
    if getattr(user, "is_superuser", False):
        return found
    counting = Q(confirmed_at__isnull=False, superseded_at__isnull=True)
    if user.is_authenticated:
        counting |= Q(
            group__budget__project__organisation__in=Membership.objects.filter(user=user).values(
                "organisation"
            )
        )
    return found.filter(counting)


def _batch_title(batch: Any) -> str:
    title = gettext("„%(group)s“ (%(budget)s), gesammelt am %(day)s") % {
        "group": batch.group.name,
        "budget": batch.group.budget.title,
        "day": date_format(batch.collected_on, "SHORT_DATE_FORMAT"),
    }
    if batch.place:
        title = f"{title} – {batch.place}"
    if batch.superseded_at is not None:
        return gettext("%(title)s (durch Korrektur ersetzt – zählt nicht mehr)") % {"title": title}
    if batch.confirmed_at is None:
        return gettext("%(title)s (noch nicht bestätigt – zählt noch nicht)") % {"title": title}
    return title


PAPER_COLLECTED = CollectedKind(
    key="stimmzettel",
    model="budgets.PaperBatch",
    label=_("Papierstimmzettel für den Bürgerhaushalt"),
    count_text=lambda n: (
        ngettext(
            "%(n)d Papierstimmzettel für den Bürgerhaushalt",
            "%(n)d Papierstimmzettel für den Bürgerhaushalt",
            n,
        )
        % {"n": n}
    ),
    # Paper is always handed in offline.
    offline=lambda rows: rows,
    visible=_visible_batches,
    title=_batch_title,
    url=lambda batch: batch.group.budget.get_absolute_url(),
    day="collected_on",
    amount=lambda batch: batch.ballot_total,
    annotate={"ballot_total": Count("ballots")},
    organisation="group.budget.project.organisation_id",
    project="group.budget.project_id",
    select_related=("group__budget__project",),
)
