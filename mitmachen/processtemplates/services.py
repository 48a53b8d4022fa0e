"""Process templates: export a project's set-up, check a template file, import it as a
new draft project, share a process in the library (docs/template-format.md).

Every write of the app is here. The import is all or nothing: one transaction around
the project, its phases and every module's entries; a problem anywhere stores nothing.
Nothing in a file is trusted: no ids are read (phases are referred to by their place in
the file, topics by name), every text is checked for HTML and scripts, every entry
against its module's schema, and the project is created through ``projects.setup_services``
as a draft of a municipality the person may create projects in.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pydantic import ValidationError as SchemaError

from mitmachen.core.permissions import decide
from mitmachen.processtemplates.models import SharedTemplate
from mitmachen.processtemplates.schema import (
    FORMAT,
    MAX_BYTES,
    VERSION,
    Document,
    Item,
    PhasePart,
)
from mitmachen.projects import modules, setup_services
from mitmachen.projects.models import Phase, Project, Topic

# The small-group rule of the survey breakdowns: counts below this are not shown.
MIN_GROUP = 5

# HTML (a tag, a comment, a processing instruction) or a script address in a text.
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|\b(?:javascript|vbscript)\s*:", re.IGNORECASE)


class TemplateProblems(Exception):
    """A template that cannot be imported, with every problem found, in German."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Checked:
    """A template file that passed every check: the document and each part's entries."""

    document: Document
    entries: dict[str, list[Item]] = field(default_factory=dict)

    def unknown_topics(self) -> list[str]:
        known = set(
            Topic.objects.filter(name__in=self.document.project.topics).values_list(
                "name", flat=True
            )
        )
        return [name for name in self.document.project.topics if name not in known]


# --- Where a problem is, in German --------------------------------------------------------

_WORDS = {
    "format": "Format",
    "version": "Version",
    "exported_at": "Exportzeitpunkt",
    "source": "Herkunft",
    "organisation": "Kommune",
    "project": "Grunddaten",
    "title": "Titel",
    "summary": "Kurzbeschreibung",
    "description": "Beschreibung",
    "easy_language": "Leichte Sprache",
    "topics": "Themen",
    "phases": "Phase",
    "name": "Name",
    "start_day": "Beginn (Tag)",
    "start_time": "Beginn (Uhrzeit)",
    "end_day": "Ende (Tag)",
    "end_time": "Ende (Uhrzeit)",
    "actions": "Beteiligungsarten",
    "modules": "Bausteine",
    "results": "Ergebnisse",
}


def where(path: tuple[Any, ...], words: dict[str, str] | None = None) -> str:
    """A German path to a value: ("phases", 1, "name") → "Phase 2 › Name"."""
    words = {**_WORDS, **(words or {})}
    parts: list[str] = []
    for step in path:
        if isinstance(step, int):
            if parts:
                parts[-1] = f"{parts[-1]} {step + 1}"
            else:
                parts.append(f"Nr. {step + 1}")
        else:
            parts.append(words.get(str(step), f"„{step}“"))
    return " › ".join(parts) or _("Datei")


def _schema_message(error: dict[str, Any]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    simple = {
        "missing": _("fehlt"),
        "extra_forbidden": _("ist unbekannt (ein Tippfehler?)"),
        "string_type": _("muss ein Text sein"),
        "int_type": _("muss eine ganze Zahl sein"),
        "bool_type": _("muss true oder false sein"),
        "list_type": _("muss eine Liste sein"),
        "dict_type": _("muss ein Objekt sein"),
        "model_type": _("muss ein Objekt sein"),
        "model_attributes_type": _("muss ein Objekt sein"),
        "string_too_short": _("darf nicht leer sein"),
        "string_pattern_mismatch": _("muss eine Uhrzeit wie 09:30 sein"),
        "none_required": _("muss leer (null) sein"),
    }
    if kind in simple:
        return str(simple[kind])
    if kind == "string_too_long":
        return _("ist zu lang (höchstens %(max)s Zeichen)") % {"max": ctx.get("max_length")}
    if kind == "too_long":
        return _("hat zu viele Einträge (höchstens %(max)s)") % {"max": ctx.get("max_length")}
    if kind == "too_short":
        return _("braucht mindestens %(min)s Einträge") % {"min": ctx.get("min_length")}
    if kind == "greater_than_equal":
        return _("muss mindestens %(min)s sein") % {"min": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("darf höchstens %(max)s sein") % {"max": ctx.get("le")}
    if kind in ("literal_error", "enum"):
        return _("muss einer dieser Werte sein: %(values)s") % {"values": ctx.get("expected")}
    if kind == "value_error":
        return str(ctx.get("error", _("ist ungültig")))
    return str(_("ist ungültig"))


def _schema_problems(
    error: SchemaError, prefix: tuple[Any, ...], words: dict[str, str] | None = None
) -> list[str]:
    problems = []
    for detail in error.errors():
        # A union (``int | None``) names its branch ("int") in the path: not the reader's.
        path = tuple(
            step for step in detail["loc"] if not (isinstance(step, str) and step in ("int",))
        )
        problems.append(f"{where(prefix + path, words)}: {_schema_message(dict(detail))}")
    return problems


def _markup_problems(value: Any, path: tuple[Any, ...] = ()) -> list[str]:
    """Every text (and key) that contains HTML or a script address."""
    found: list[str] = []
    if isinstance(value, str):
        if _MARKUP.search(value):
            found.append(
                _(
                    "%(where)s: enthält HTML oder ein Skript. Vorlagen enthalten nur Text "
                    "und Markdown; bitte entfernen Sie es."
                )
                % {"where": where(path)}
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            if _MARKUP.search(str(key)):
                found.append(
                    _("%(where)s: ein Name enthält HTML oder ein Skript.") % {"where": where(path)}
                )
            found.extend(_markup_problems(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_markup_problems(item, (*path, index)))
    return found


# --- Reading a file ------------------------------------------------------------------------


def too_big(size: int) -> str:
    return _(
        "Die Datei ist zu groß (%(size)s MB). Eine Prozessvorlage hat höchstens 1 MB; "
        "bitte prüfen Sie, ob Sie die richtige Datei gewählt haben."
    ) % {"size": f"{size / 1_000_000:.1f}".replace(".", ",")}


def read_upload(upload: Any) -> bytes:
    """The bytes of an uploaded file, refused by its size before it is read."""
    if upload.size > MAX_BYTES:
        raise TemplateProblems([too_big(upload.size)])
    data: bytes = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise TemplateProblems([too_big(len(data))])
    return data


def _phase_bounds(phase: PhasePart) -> tuple[tuple[int, str], tuple[int, str]]:
    return (phase.start_day, phase.start_time), (phase.end_day, phase.end_time)


def _phase_problems(phases: list[PhasePart]) -> list[str]:
    problems = []
    known = modules.action_keys()
    for number, phase in enumerate(phases, start=1):
        start, end = _phase_bounds(phase)
        if end <= start:
            problems.append(
                _("Phase %(n)s „%(name)s“: Das Ende muss nach dem Beginn liegen.")
                % {"n": number, "name": phase.name}
            )
        for action in phase.actions:
            if action not in known:
                problems.append(
                    _(
                        "Phase %(n)s „%(name)s“: „%(action)s“ ist keine Beteiligungsart "
                        "dieser Installation. Bekannt sind: %(known)s."
                    )
                    % {
                        "n": number,
                        "name": phase.name,
                        "action": action,
                        "known": ", ".join(sorted(known)),
                    }
                )
    ordered = sorted(phases, key=_phase_bounds)
    if ordered and ordered[0].start_day != 0:
        problems.append(
            _(
                "Die früheste Phase „%(name)s“ muss an Tag 0 beginnen: Die Tage zählen ab dem "
                "Beginn des Prozesses."
            )
            % {"name": ordered[0].name}
        )
    for earlier, later in pairwise(ordered):
        if _phase_bounds(later)[0] < _phase_bounds(earlier)[1]:
            problems.append(
                _("Die Phasen „%(a)s“ und „%(b)s“ überschneiden sich.")
                % {"a": earlier.name, "b": later.name}
            )
    return problems


def check_document(raw: bytes) -> Checked:
    """Check a template file completely; ``TemplateProblems`` names every problem found.

    The first four checks end the reading (too big, not text, not JSON, not a template
    of a version this installation reads); after them every problem is collected: HTML
    or scripts in any text, the schema of the document and of each module's entries,
    unknown modules and phase actions, phases that end before they start or overlap,
    and what the modules check themselves.
    """
    if len(raw) > MAX_BYTES:
        raise TemplateProblems([too_big(len(raw))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TemplateProblems(
            [
                _(
                    "Die Datei ist keine Textdatei in UTF-8. Bitte wählen Sie die JSON-Datei "
                    "der Vorlage."
                )
            ]
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TemplateProblems(
            [
                _(
                    "Die Datei ist kein gültiges JSON (Zeile %(line)s, Spalte %(column)s). "
                    "Bitte wählen Sie die unveränderte Datei, die Mitmachen exportiert hat."
                )
                % {"line": error.lineno, "column": error.colno}
            ]
        ) from None
    except RecursionError:
        raise TemplateProblems([_("Die Datei ist zu tief verschachtelt.")]) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TemplateProblems(
            [
                _(
                    "Die Datei ist keine Prozessvorlage von Mitmachen (es fehlt "
                    "„format“: „%(format)s“)."
                )
                % {"format": FORMAT}
            ]
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise TemplateProblems([_("Die Vorlage nennt keine gültige Version.")])
    if version > VERSION:
        raise TemplateProblems(
            [
                _(
                    "Die Vorlage hat das Format in Version %(version)s; diese Installation "
                    "liest Vorlagen bis Version %(supported)s. Bitte aktualisieren Sie "
                    "Mitmachen oder bitten Sie die andere Kommune um eine Datei in Version "
                    "%(supported)s."
                )
                % {"version": version, "supported": VERSION}
            ]
        )

    problems = _markup_problems(data)
    try:
        document = Document.model_validate(data)
    except SchemaError as error:
        raise TemplateProblems(problems + _schema_problems(error, ())) from None
    problems.extend(_phase_problems(document.phases))
    parts = modules.template_parts()
    checked = Checked(document)
    for key, entries in document.modules.items():
        part = parts.get(key)
        if part is None:
            problems.append(
                _(
                    "Der Baustein „%(key)s“ ist dieser Installation unbekannt. Sie kennt: "
                    "%(known)s. Bitte entfernen Sie ihn aus der Datei oder nutzen Sie eine "
                    "Installation, die ihn hat."
                )
                % {
                    "key": key,
                    "known": ", ".join(f"{k} ({p.label})" for k, p in sorted(parts.items())),
                }
            )
            continue
        items: list[Item] = []
        words = {key: str(part.label)}
        for index, entry in enumerate(entries):
            try:
                items.append(part.item.model_validate(entry))  # type: ignore[attr-defined]
            except SchemaError as error:
                problems.extend(_schema_problems(error, ("modules", key, index), words))
        if len(items) == len(entries) and part.check is not None:
            problems.extend(
                f"{part.label}: {message}" for message in part.check(items, document.phases)
            )
        checked.entries[key] = items
    if problems:
        raise TemplateProblems(problems)
    return checked


# --- Export ----------------------------------------------------------------------------------


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _clock(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def small_group(value: int) -> int | None:
    """A count as it may be shown: ``None`` ("weniger als 5") below the small group."""
    return value if value >= MIN_GROUP else None


def template_results(project: Project) -> dict[str, dict[str, int | None]]:
    """Each part's anonymised counts for ``project`` (small-group rule applied)."""
    results: dict[str, dict[str, int | None]] = {}
    for key, part in sorted(modules.template_parts().items()):
        if part.results is not None:
            with translation.override(settings.LANGUAGE_CODE):
                # Zero: the module was not used; that is no group of people to protect.
                counts = {str(label): n for label, n in part.results(project).items() if n}
            if counts:
                results[key] = {str(label): small_group(n) for label, n in counts.items()}
    return results


def template_export(*, project: Project, with_results: bool = False) -> dict[str, Any]:
    """The template of ``project``: its set-up, no contributions and no person; with
    ``with_results`` also the anonymised counts (``template_results``)."""
    phases = project.ordered_phases()
    first = day_zero(phases)
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.localtime().isoformat(timespec="seconds"),
        "source": {"organisation": project.organisation.name, "project": project.title},
        "project": {
            "title": project.title,
            "summary": project.summary,
            "description": project.description,
            "easy_language": project.easy_language,
            "topics": sorted(topic.name for topic in project.topics.all()),
        },
        "phases": [
            {
                "name": phase.name,
                "description": phase.description,
                "start_day": (_local_day(phase.start) - first).days,
                "start_time": _clock(phase.start),
                "end_day": (_local_day(phase.end) - first).days,
                "end_time": _clock(phase.end),
                "actions": list(phase.actions),
            }
            for phase in phases
        ],
        "modules": {},
    }
    index = {phase.pk: number for number, phase in enumerate(phases)}
    for key, part in sorted(modules.template_parts().items()):
        entries = part.export(project, index)
        if entries:
            document["modules"][key] = entries
    if with_results:
        document["results"] = template_results(project)
    return document


def template_dumps(document: dict[str, Any]) -> bytes:
    """The file's bytes: UTF-8, indented, keys in the order written (stable)."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --- Import ----------------------------------------------------------------------------------


def day_zero(phases: Any) -> date:
    """The process's first day (day 0 of the file): the local day of its earliest phase
    (today for a process without phases). Modules count their own dates from it."""
    starts = [_local_day(phase.start) for phase in phases]
    return min(starts) if starts else _local_day(timezone.now())


def day_moment(start: date, day: int, clock: str, what: str) -> datetime:
    """The local moment ``clock`` (``HH:MM``) on day ``day`` counted from ``start``; a
    time that does not exist that day (the clocks go forward) is refused, naming ``what``
    (German: "Phase „Auftakt“", "Veranstaltung „Werkstatt“")."""
    hours, minutes = (int(x) for x in clock.split(":"))
    try:
        naive = datetime.combine(start + timedelta(days=day), time(hours, minutes))
    except OverflowError:  # a start in the year 9999
        raise ValidationError(
            _("Bitte wählen Sie einen Beginn, an dem alle Phasen ein gültiges Datum haben.")
        ) from None
    aware = timezone.make_aware(naive)
    # zoneinfo accepts a time the clocks skip (02:30 on the last Sunday of March): read
    # back through UTC, it is another local time.
    if timezone.localtime(aware.astimezone(UTC)).replace(tzinfo=None) != naive:
        raise ValidationError(
            _("%(what)s: %(moment)s gibt es an diesem Tag nicht (Zeitumstellung).")
            % {"what": what, "moment": naive.strftime("%d.%m.%Y %H:%M")}
        )
    return aware


def phase_moments(phase: PhasePart, start: date) -> tuple[datetime, datetime]:
    """The phase's start and end, counted from ``start`` (the process's first day), in
    local time (``day_moment``)."""
    what = _("Phase „%(name)s“") % {"name": phase.name}
    return (
        day_moment(start, phase.start_day, phase.start_time, what),
        day_moment(start, phase.end_day, phase.end_time, what),
    )


def _free_slug(title: str) -> str:
    base = (slugify(title)[:100] or "prozess").strip("-") or "prozess"
    if base == "neu":
        base = "neu-prozess"
    slug, number = base, 1
    while Project.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def template_import(*, user: Any, organisation: Any, raw: bytes, start: date) -> Project:
    """Create a draft project in ``organisation`` from the template file ``raw``, its
    first phase starting on ``start``. All or nothing: ``TemplateProblems`` for a file
    that does not pass ``check_document``, ``ValidationError`` (German) for what only
    storing reveals; in both cases nothing is stored."""
    if not setup_services.organisations_for_new_projects(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied(
            _("Sie dürfen in dieser Kommune keine Beteiligungsprozesse anlegen.")
        )
    checked = check_document(raw)
    document = checked.document
    parts = modules.template_parts()
    with transaction.atomic():
        project = setup_services.project_create(
            user=user,
            organisation=organisation,
            title=document.project.title,
            slug=_free_slug(document.project.title),
            summary=document.project.summary,
            description=document.project.description,
            topics=list(Topic.objects.filter(name__in=document.project.topics)),
        )
        if document.project.easy_language:
            project.easy_language = document.project.easy_language
            project.full_clean(exclude=["image"])
            project.save(update_fields=["easy_language", "updated_at"])
        phases: list[Phase] = []
        for spec in document.phases:
            begin, end = phase_moments(spec, start)
            phases.append(
                setup_services.phase_save(
                    user=user,
                    project=project,
                    name=spec.name,
                    description=spec.description,
                    start=begin,
                    end=end,
                    actions=list(spec.actions),
                )
            )
        for key, entries in sorted(checked.entries.items()):
            parts[key].create(user=user, project=project, entries=entries, phases=phases)
    return project


def template_import_check(*, user: Any, organisation: Any, raw: bytes, start: date) -> None:
    """Import and roll back: the preview names what only storing reveals (an event that
    would start before today, a time the clocks skip) before the member of staff confirms.
    Raises as ``template_import`` does; stores nothing either way (also no page-cache
    change or mail: those run on commit)."""
    with transaction.atomic():
        template_import(user=user, organisation=organisation, raw=raw, start=start)
        transaction.set_rollback(True)


# --- The library -----------------------------------------------------------------------------


def template_share(
    *, user: Any, project: Project, method: str, channels: list[str]
) -> SharedTemplate:
    """Share ``project`` in the library (or update its entry): the template as of now
    with anonymised counts, the municipality's account of the method and the channels."""
    from mitmachen.core.channels import Channel

    decide(user, "processtemplates.share_template", project).raise_if_refused()
    method = method.strip()
    errors: dict[str, str] = {}
    if not method:
        errors["method"] = _("Bitte beschreiben Sie, wie Sie vorgegangen sind.")
    unknown = [c for c in channels if c not in Channel.values]
    if unknown:
        errors["channels"] = _("Bitte wählen Sie nur Beteiligungswege aus der Liste.")
    if _MARKUP.search(method):
        errors["method"] = _("Bitte schreiben Sie Text oder Markdown, kein HTML.")
    if errors:
        raise ValidationError(errors)
    phases = project.ordered_phases()
    if not phases:
        raise ValidationError(_("Ein Prozess ohne Phasen kann nicht geteilt werden."))
    document = template_export(project=project, with_results=True)
    try:
        check_document(template_dumps(document))
    except TemplateProblems as error:
        raise ValidationError(error.problems) from None
    figures: dict[str, int | None] = {}
    for counts in document.get("results", {}).values():
        figures.update(counts)
    duration = max(p.end for p in phases) - phases[0].start
    shared = SharedTemplate.objects.filter(project=project).first() or SharedTemplate(
        project=project
    )
    shared.organisation = project.organisation
    shared.title = project.title
    shared.method = method
    shared.channels = [c for c in Channel.values if c in channels]
    shared.duration_days = max(1, round(duration.total_seconds() / 86400))
    shared.figures = figures
    shared.document = document
    shared.full_clean(exclude=["project"])
    try:
        with transaction.atomic():
            shared.save()
    except IntegrityError:  # shared by someone else at the same moment
        raise ValidationError(
            _("Dieser Prozess wurde gerade geteilt. Bitte laden Sie die Seite neu.")
        ) from None
    return shared


def template_unshare(*, user: Any, shared: SharedTemplate) -> None:
    decide(user, "processtemplates.unshare_template", shared).raise_if_refused()
    shared.delete()
