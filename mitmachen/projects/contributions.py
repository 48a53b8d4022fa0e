"""Contributions collected offline: the module contract's ``collected_offline``.

Staff enter what residents hand in at a workshop, a market stand or on paper (an offline
proposal, a comment taken down at a meeting, a stack of paper questionnaires). A module
whose rows are such contributions declares a ``CollectedKind`` in
``ParticipationModule.collected_offline``. The events module links a row to the event
where it was collected (the row's content type and id) and shows "Was hier eingebracht
wurde" on the event's page; it reads everything else from the declaration – which rows
were collected offline, which a person may see, how a row is titled, linked and counted –
so it imports none of those modules, and they import nothing of events:

- the offline entry form of a module offers the events to choose from with
  ``event_options(project)`` (``None`` when no module links events: the form then has
  no such field), passed to ``core.forms.OfflineEntryForm(events=…)``;
- its offline entry service hands the chosen event to ``record(row=…, event_id=…,
  user=…)`` inside its transaction; the events module's recorder checks the event and
  stores the link, or raises a German ``ValidationError`` on ``"event"`` (the service's
  transaction then stores nothing).

Like ``origins``, this module only holds the declarations and the two hooks; the link
table, its pages and its rules are the events module's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitmachen.core.kinds import KindRegistry, ModelKind


@dataclass(frozen=True)
class CollectedKind(ModelKind):
    """Rows of ``model`` ("app_label.ModelName") may be contributions collected offline.

    - ``key``: a stable word ("vorschlag"); ``label``: the German noun of one row
      ("Vorschlag"); ``count_text(n)``: the German count of a kind on the event page
      ("3 Vorschläge"), from ``amount``.
    - ``offline(rows)``: ``rows`` narrowed to those handed in offline (channel not
      online); only these can be linked to an event.
    - ``visible(user, rows)``: ``rows`` narrowed to those the person may see listed
      (moderated rows only for staff). A queryset: one query per kind and page.
    - ``title(row)``: one line naming the row; ``url(row)``: its public page.
    - ``amount(row)``: how many contributions the row stands for (a stack of paper
      questionnaires: its questionnaires); ``annotate``: what ``amount`` and ``title``
      read, added to the query (``{"forms": Count("responses")}``).
    - ``day``: the field with the day the row was handed in ("submitted_on"), which
      staff see when they link rows to an event afterwards.
    - ``organisation``: the dotted path from a row to its municipality's id,
      ``project``: to its project's id; ``select_related``: what reading rows joins.
    """

    key: str
    model: str
    label: Any
    count_text: Callable[[int], str]
    offline: Callable[[QuerySet[Any]], QuerySet[Any]]
    visible: Callable[[Any, QuerySet[Any]], QuerySet[Any]]
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    day: str
    amount: Callable[[Any], int] = lambda row: 1
    annotate: dict[str, Any] | None = None
    organisation: str = "project.organisation_id"
    project: str = "project_id"
    select_related: tuple[str, ...] = ("project",)

    def rows(self) -> QuerySet[Any]:
        rows = super().rows()
        return rows.annotate(**self.annotate) if self.annotate else rows

    def day_of(self, row: Any) -> date | None:
        """The local day the row was handed in (``day``, a date or a time)."""
        value = getattr(row, self.day, None)
        if isinstance(value, datetime):
            return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        return value if isinstance(value, date) else None


_registry: KindRegistry[CollectedKind] = KindRegistry("Collected kind", "contribution")
# ``register`` is called by ``projects.modules.register`` for each declared kind; ``each``
# connects the events module to every kind's rows (their deletion), now and later.
register = _registry.register
each = _registry.each
kinds = _registry.kinds
kind = _registry.kind
kind_of = _registry.kind_of


def visible_in_projects(
    user: Any, rows: QuerySet[Any], *, project: str = "project", hidden: str = "hidden_at"
) -> QuerySet[Any]:
    """``rows`` in projects ``user`` may see; rows hidden by moderation (the field
    ``hidden``, "" for rows that cannot be hidden) only for the staff of their
    municipality – the rule of the modules' own pages."""
    from mitmachen.organisations.models import Membership
    from mitmachen.projects.models import Project

    if getattr(user, "is_superuser", False):
        return rows
    rows = rows.filter(**{f"{project}__in": Project.objects.visible_to(user)})
    if not hidden:
        return rows
    shown = Q(**{f"{hidden}__isnull": True})
    if user.is_authenticated:
        shown |= Q(
            **{
                f"{project}__organisation__in": Membership.objects.filter(user=user).values(
                    "organisation"
                )
            }
        )
    return rows.filter(shown)


# --- The hooks of the module that links contributions to events ------------------------

# ``options(project, around)``: (id, label) of the events a contribution to ``project``
# handed in on the day ``around`` may have been collected at.
EventOptions = Callable[[Any, date], Sequence[tuple[int, str]]]
# ``recorder(row=, kind=, event_id=, user=)``: link ``row`` to the event, or raise a
# German ``ValidationError`` on "event".
Recorder = Callable[..., None]
_hooks: dict[str, Any] = {}


def link_with(*, options: EventOptions, recorder: Recorder) -> None:
    """Called once by the module that links contributions to events (events)."""
    _hooks["options"] = options
    _hooks["recorder"] = recorder


def event_options(project: Any) -> Callable[[date], Sequence[tuple[int, str]]] | None:
    """What an offline entry form of ``project`` offers as "Veranstaltung", by the day
    entered; ``None`` when no module links contributions to events."""
    options: EventOptions | None = _hooks.get("options")
    if options is None:
        return None
    return lambda around: options(project, around)


def record(*, row: Any, event_id: int | None, user: Any) -> None:
    """The one way an offline entry service passes on the event its row was collected at
    (``None``: none). Call it inside the service's transaction, after saving ``row``."""
    if event_id is None:
        return
    recorder: Recorder | None = _hooks.get("recorder")
    if recorder is None:
        raise ValidationError({"event": _("Veranstaltungen können hier nicht gewählt werden.")})
    recorder(row=row, kind=kind_of(row), event_id=event_id, user=user)
