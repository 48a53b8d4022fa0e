"""Events in a process template (``projects.modules.TemplatePart``): the meetings a
process planned – kind, title, description, when (days counted from the process's first
day, like the phases), the venue's name, the online link, accessibility, registration
with its questions. What is one town's and not the method stays out: address, map point,
Ortsteil, Mitmachmobil tour, a city walk's route, status, registrations, documentation.
Cancelled events are no part of the method and are not exported. Imported events are
drafts of the new project's municipality (nobody is told; the project is a draft too)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from mitmachen.events.models import Event, Question, Status
from mitmachen.events.models.choices import DESCRIPTION_MAX_LENGTH, MAX_CAPACITY
from mitmachen.events.models.registrations import MAX_OPTIONS
from mitmachen.events.services import event_create
from mitmachen.processtemplates.schema import Item, Time
from mitmachen.processtemplates.services import day_moment, day_zero
from mitmachen.projects.modules import TemplatePart

# A meeting may come before the first phase (a kick-off the week before): up to a year.
EARLIEST_DAY = -365
# The schema's kinds: ``Kind``'s values (a test keeps the two equal).
KindKey = Literal[
    "werkstatttreffen",
    "workshop",
    "stadtrundgang",
    "marktstand",
    "mitmachmobil",
    "sprechstunde",
    "fachveranstaltung",
    "online",
    "hybrid",
]


class QuestionEntry(Item):
    text: Annotated[str, Field(min_length=1, max_length=300)]
    kind: Literal["text", "janein", "auswahl"] = "text"
    options: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=100)]], Field(max_length=MAX_OPTIONS)
    ] = []
    required: bool = False


class EventEntry(Item):
    kind: KindKey
    title: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str, Field(max_length=DESCRIPTION_MAX_LENGTH)] = ""
    start_day: Annotated[int, Field(ge=EARLIEST_DAY, le=3650)]
    start_time: Time
    end_day: Annotated[int, Field(ge=EARLIEST_DAY, le=3650)]
    end_time: Time
    place_name: Annotated[str, Field(max_length=200)] = ""
    online_url: Annotated[str, Field(max_length=200)] = ""
    online_url_registered_only: bool = False
    step_free: bool = False
    hearing_loop: bool = False
    sign_language: bool = False
    childcare: bool = False
    registration_enabled: bool = False
    capacity: Annotated[int, Field(ge=1, le=MAX_CAPACITY)] | None = None
    questions: Annotated[list[QuestionEntry], Field(max_length=50)] = []


def export(project: Any, phase_index: dict[int, int]) -> list[dict[str, Any]]:
    """The project's events that are not cancelled, earliest first (three queries)."""
    first = day_zero(project.phases.all())
    events = list(
        Event.objects.filter(projects=project)
        .exclude(status=Status.CANCELLED)
        .order_by("starts_at", "title", "pk")
    )
    questions: dict[int, list[Question]] = {}
    for question in Question.objects.filter(event__in=events).order_by("order", "pk"):
        questions.setdefault(question.event_id, []).append(question)
    entries = []
    for event in events:
        starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
        entries.append(
            {
                "kind": event.kind,
                "title": event.title,
                "description": event.description,
                "start_day": (starts.date() - first).days,
                "start_time": starts.strftime("%H:%M"),
                "end_day": (ends.date() - first).days,
                "end_time": ends.strftime("%H:%M"),
                "place_name": event.place_name,
                "online_url": event.online_url,
                "online_url_registered_only": event.online_url_registered_only,
                "step_free": event.step_free,
                "hearing_loop": event.hearing_loop,
                "sign_language": event.sign_language,
                "childcare": event.childcare,
                "registration_enabled": event.registration_enabled,
                "capacity": event.capacity,
                "questions": [
                    {
                        "text": q.text,
                        "kind": q.kind,
                        "options": q.option_list(),
                        "required": q.required,
                    }
                    for q in questions.get(event.pk, [])
                ],
            }
        )
    return entries


def check(entries: list[Any], phases: list[Any]) -> list[str]:
    """An end before the start is named before anything is stored."""
    return [
        _("Veranstaltung „%(title)s“: Das Ende muss nach dem Beginn liegen.") % {"title": e.title}
        for e in entries
        if (e.end_day, e.end_time) <= (e.start_day, e.start_time)
    ]


def _named(title: str, error: ValidationError) -> ValidationError:
    return ValidationError(
        [
            _("Veranstaltung „%(title)s“: %(problem)s") % {"title": title, "problem": message}
            for message in error.messages
        ]
    )


@transaction.atomic
def create(*, user: Any, project: Any, entries: list[Any], phases: list[Any]) -> int:
    """The events of a new draft project, as drafts of its municipality, through the
    events' service (the importer must organise the municipality's events); in the
    importer's transaction. An event that would start in the past (an early first day)
    is refused like any new event, naming the event."""
    first = day_zero(phases)
    written = 0
    for entry in entries:
        what = _("Veranstaltung „%(title)s“") % {"title": entry.title}
        try:
            event = event_create(
                user=user,
                organisation=project.organisation,
                projects=[project],
                kind=entry.kind,
                title=" ".join(entry.title.split()),
                description=entry.description.strip(),
                starts_at=day_moment(first, entry.start_day, entry.start_time, what),
                ends_at=day_moment(first, entry.end_day, entry.end_time, what),
                place_name=entry.place_name.strip(),
                online_url=entry.online_url.strip(),
                online_url_registered_only=entry.online_url_registered_only,
                step_free=entry.step_free,
                hearing_loop=entry.hearing_loop,
                sign_language=entry.sign_language,
                childcare=entry.childcare,
                registration_enabled=entry.registration_enabled,
                capacity=entry.capacity,
                is_published=False,
            )
            written += 1
            for order, spec in enumerate(entry.questions):
                question = Question(
                    event=event,
                    text=" ".join(spec.text.split()),
                    kind=spec.kind,
                    options="\n".join(option.strip() for option in spec.options),
                    required=spec.required,
                    order=order,
                )
                question.full_clean()
                question.save()
                written += 1
        except ValidationError as error:
            if any(message.startswith(what) for message in error.messages):
                raise
            raise _named(entry.title, error) from None
    return written


def describe(entry: Any) -> str:
    """One preview line with the venue or "online" – the other town's, to be corrected;
    days are counted from 1 as on the phases' lines."""
    where = entry.place_name or _("online")
    if entry.start_day < 0:
        return _("%(title)s (%(days)s Tage vor dem ersten Tag, %(time)s Uhr, %(where)s)") % {
            "title": entry.title,
            "days": -entry.start_day,
            "time": entry.start_time,
            "where": where,
        }
    return _("%(title)s (Tag %(day)s, %(time)s Uhr, %(where)s)") % {
        "title": entry.title,
        "day": entry.start_day + 1,
        "time": entry.start_time,
        "where": where,
    }


TEMPLATE_PART = TemplatePart(
    key="events",
    label=gettext_lazy("Veranstaltungen"),
    item=EventEntry,
    export=export,
    check=check,
    create=create,
    describe=describe,
)
