"""The process-template file format, version 1 (docs/template-format.md).

A template is one JSON object: what the file is (``format``, ``version``), where it came
from (``source``, for people to read), the project's basics (``project``), its phases
(``phases``, with days counted from the process's first day, never dates) and the
modules' entries (``modules``: one list per declared ``TemplatePart``, each entry checked
with the part's ``item`` schema). Optionally ``results``: anonymised counts.

The schema is pydantic, strict (no type coercion: ``"5"`` is no number) and closed (an
unknown key is a problem, so a typo never passes silently). Modules build their entries
on ``Item`` and the text types below.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

FORMAT = "mitmachen-prozessvorlage"
VERSION = 1
# A set-up is text: the demo's biggest template is about 20 KB. One megabyte leaves room
# for long drafts and is refused before it is read.
MAX_BYTES = 1_000_000
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class Item(BaseModel):
    """Base of every object in a template: strict types, unknown keys refused."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# Shorthands for the schemas (also the modules'): ``Annotated[str, Field(max_length=…)]``
# is a text of at most so many characters, ``min_length=1`` one that must not be empty.
Time = Annotated[str, StringConstraints(pattern=TIME_PATTERN)]
Key = Annotated[str, Field(min_length=1, max_length=40)]
Name = Annotated[str, Field(min_length=1, max_length=80)]


class Source(Item):
    organisation: Annotated[str, Field(max_length=200)] = ""
    project: Annotated[str, Field(max_length=120)] = ""


class ProjectPart(Item):
    title: Annotated[str, Field(min_length=1, max_length=120)]
    summary: Annotated[str, Field(min_length=1, max_length=280)]
    description: Annotated[str, Field(max_length=20_000)] = ""
    easy_language: Annotated[str, Field(max_length=10_000)] = ""
    topics: Annotated[list[Name], Field(max_length=30)] = []


class PhasePart(Item):
    name: Annotated[str, Field(min_length=1, max_length=120)]
    description: Annotated[str, Field(max_length=5000)] = ""
    start_day: Annotated[int, Field(ge=0, le=3650)]
    start_time: Time = "00:00"
    end_day: Annotated[int, Field(ge=0, le=3650)]
    end_time: Time = "00:00"
    actions: Annotated[list[Key], Field(max_length=30)] = []


class Document(Item):
    format: Literal["mitmachen-prozessvorlage"]
    version: Literal[1]
    exported_at: Annotated[str, Field(max_length=40)] = ""
    source: Source = Source()
    project: ProjectPart
    phases: Annotated[list[PhasePart], Field(min_length=1, max_length=30)]
    # Each part's entries are checked with its own schema (services.check_document).
    modules: dict[Key, Annotated[list[dict[str, Any]], Field(max_length=1000)]] = {}
    # Anonymised counts per part: label → number, ``null`` for fewer than five.
    results: dict[Key, dict[Annotated[str, Field(max_length=80)], int | None]] | None = None


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the document (docs/template-format.md shows it; the modules'
    entries are described there per part)."""
    return Document.model_json_schema()
