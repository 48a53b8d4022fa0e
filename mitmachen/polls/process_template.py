"""Surveys and votes in a process template (``projects.modules.TemplatePart``): each
poll with its settings, questions and answer options; no responses, no Ortsteile (they
belong to the municipality: a poll for "bestimmte Ortsteile" is open to all the new
project's Ortsteile until staff choose), no images."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field, model_validator

from mitmachen.polls.models import (
    PRESET_OPTIONS,
    Option,
    Poll,
    Question,
    QuestionKind,
    Response,
)
from mitmachen.polls.services import ensure_preset_options
from mitmachen.processtemplates.schema import Item
from mitmachen.projects.modules import TemplatePart

# Kinds whose options the template carries (the others have none or fixed ones).
OWN_OPTIONS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING})


class OptionEntry(Item):
    label: Annotated[str, Field(min_length=1, max_length=200)]


class QuestionEntry(Item):
    kind: Literal[
        "single",
        "multiple",
        "yes_no",
        "scale",
        "ranking",
        "short_text",
        "long_text",
        "district",
        "age_group",
    ]
    text: Annotated[str, Field(min_length=1, max_length=300)]
    help_text: Annotated[str, Field(max_length=500)] = ""
    required: bool = True
    min_choices: Annotated[int, Field(ge=0, le=100)] | None = None
    max_choices: Annotated[int, Field(ge=1, le=100)] | None = None
    scale_min: Annotated[int, Field(ge=0, le=10)] = 1
    scale_max: Annotated[int, Field(ge=1, le=10)] = 5
    scale_min_label: Annotated[str, Field(max_length=60)] = ""
    scale_max_label: Annotated[str, Field(max_length=60)] = ""
    max_length: Annotated[int, Field(ge=1, le=5000)] | None = None
    options: Annotated[list[OptionEntry], Field(max_length=50)] = []

    @model_validator(mode="after")
    def _consistent(self) -> QuestionEntry:
        if self.kind in OWN_OPTIONS and len(self.options) < 2:
            raise ValueError(_("Eine Auswahlfrage braucht mindestens zwei Antworten."))
        if self.kind not in OWN_OPTIONS and self.options:
            raise ValueError(
                _("Dieser Fragetyp hat keine eigenen Antworten; bitte „options“ weglassen.")
            )
        if self.scale_max <= self.scale_min:
            raise ValueError(_("Der größte Wert der Skala muss über dem kleinsten liegen."))
        if (
            self.min_choices is not None
            and self.max_choices is not None
            and self.min_choices > self.max_choices
        ):
            raise ValueError(_("„höchstens“ muss mindestens so groß sein wie „mindestens“."))
        return self


class PollEntry(Item):
    phase: Annotated[int, Field(ge=0, le=29)]
    kind: Literal["survey", "vote"] = "survey"
    title: Annotated[str, Field(min_length=1, max_length=160)]
    intro: Annotated[str, Field(max_length=5000)] = ""
    closing_text: Annotated[str, Field(max_length=2000)] = ""
    eligibility: Literal["registered", "verified", "residents", "guests"] = "registered"
    anonymous: bool = False
    allow_changes: bool = False
    results_visibility: Literal["live", "after_close"] = "after_close"
    published: bool = False
    questions: Annotated[list[QuestionEntry], Field(min_length=1, max_length=100)]

    @model_validator(mode="after")
    def _consistent(self) -> PollEntry:
        if self.anonymous and self.allow_changes:
            raise ValueError(
                _("Anonyme Antworten können nicht geändert werden: bitte nicht beides wählen.")
            )
        return self


def export(project: Any, phase_index: dict[int, int]) -> list[dict[str, Any]]:
    polls = (
        Poll.objects.filter(project=project)
        .select_related("phase")
        .prefetch_related("questions__options")
        .order_by("phase__start", "pk")
    )
    entries = []
    for poll in polls:
        questions = []
        for question in sorted(poll.questions.all(), key=lambda q: (q.position, q.pk)):
            options = sorted(question.options.all(), key=lambda o: (o.position, o.pk))
            questions.append(
                {
                    "kind": question.kind,
                    "text": question.text,
                    "help_text": question.help_text,
                    "required": question.required,
                    "min_choices": question.min_choices,
                    "max_choices": question.max_choices,
                    "scale_min": question.scale_min,
                    "scale_max": question.scale_max,
                    "scale_min_label": question.scale_min_label,
                    "scale_max_label": question.scale_max_label,
                    "max_length": question.max_length,
                    "options": [{"label": o.label} for o in options]
                    if question.kind in OWN_OPTIONS
                    else [],
                }
            )
        if not questions:
            continue  # a poll without questions is no set-up yet (the schema needs one)
        entries.append(
            {
                "phase": phase_index[poll.phase_id],
                "kind": poll.kind,
                "title": poll.title,
                "intro": poll.intro,
                "closing_text": poll.closing_text,
                "eligibility": poll.eligibility,
                "anonymous": poll.anonymous,
                "allow_changes": poll.allow_changes,
                "results_visibility": poll.results_visibility,
                "published": poll.is_published,
                "questions": questions,
            }
        )
    return entries


def check(entries: list[Any], phases: list[Any]) -> list[str]:
    return [
        _("„%(title)s“ nennt Phase %(n)s; die Vorlage hat %(count)s Phasen.")
        % {"title": e.title, "n": e.phase + 1, "count": len(phases)}
        for e in entries
        if e.phase >= len(phases)
    ]


@transaction.atomic
def create(*, user: Any, project: Any, entries: list[Any], phases: list[Any]) -> int:
    """The polls of a new draft project (the importer's transaction; no ids from the file)."""
    rows = 0
    for entry in entries:
        poll = Poll(
            project=project,
            phase=phases[entry.phase],
            kind=entry.kind,
            title=entry.title,
            intro=entry.intro,
            closing_text=entry.closing_text,
            eligibility=entry.eligibility,
            anonymous=entry.anonymous,
            allow_changes=entry.allow_changes,
            results_visibility=entry.results_visibility,
            is_published=entry.published,
        )
        poll.full_clean()
        poll.save()
        rows += 1
        for position, spec in enumerate(entry.questions):
            question = Question(
                poll=poll,
                position=position,
                **spec.model_dump(exclude={"options"}),
            )
            question.full_clean()
            question.save()
            rows += 1
            if spec.kind in PRESET_OPTIONS:
                ensure_preset_options(question)
            rows += len(
                Option.objects.bulk_create(
                    Option(question=question, position=i, label=o.label)
                    for i, o in enumerate(spec.options)
                )
            )
    return rows


def describe(entry: Any) -> str:
    return _("%(title)s (%(count)s Fragen, in Phase %(phase)s)") % {
        "title": entry.title,
        "count": len(entry.questions),
        "phase": entry.phase + 1,
    }


def results(project: Any) -> dict[str, int]:
    return {
        _("ausgefüllte Fragebögen (online und Papier)"): Response.objects.filter(
            poll__project=project
        ).count(),
    }


TEMPLATE_PART = TemplatePart(
    key="polls",
    label=gettext_lazy("Umfragen"),
    item=PollEntry,
    export=export,
    check=check,
    create=create,
    describe=describe,
    results=results,
)
