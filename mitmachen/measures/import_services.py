"""The catalogue import's writes (split from ``services``, which they use for the
permission): preview, confirmation, the bulk write and the background bodies. Views,
the tasks and the tests call these; nothing else writes an import.

Exactly once under concurrency: confirming an import locks the upload's row, so
parallel confirmations of one preview import the list once (``test_concurrency``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mitmachen.core.permissions import decide
from mitmachen.measures.imports import MAX_BYTES, ImportFileError, Parsed, parse
from mitmachen.measures.models import (
    FieldOfAction,
    Goal,
    ImportState,
    Measure,
    MeasureImport,
    Milestone,
    ProgressMode,
)
from mitmachen.measures.progress import milestone_progress
from mitmachen.measures.services import _require_manager

# Files larger than this are checked and imported by background tasks (about 350 rows
# of CSV or 1,200 of XLSX; checking 10,000 rows takes seconds, see docs/measures.md).
BACKGROUND_BYTES = 100 * 1024
PREVIEW_KEPT = timedelta(days=1)
BATCH = 500
UPDATE_BATCH = 50


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@transaction.atomic
def catalogue_import(*, user: Any, organisation: Any, parsed: Parsed) -> tuple[int, int]:
    """Store a checked list (``imports.parse`` without errors): new fields of action and
    goals, new measures, changed ones (matched by ID), their Ortsteile. All or nothing;
    returns (created, changed). Few queries per 500 rows (bulk writes); the progress of
    a measure computed from its milestones is computed from them here too."""
    if not parsed.ok:
        raise ValidationError(_("Die Datei enthält Fehler; es wurde nichts gespeichert."))
    _require_manager(user, organisation.pk)
    rows = parsed.rows
    changed_ids = [r.measure.pk for r in rows if not r.is_new]
    still_there = set(
        Measure.objects.select_for_update()
        .filter(organisation=organisation, pk__in=changed_ids)
        .values_list("pk", flat=True)
    )
    gone = sorted(set(changed_ids) - still_there)
    if gone:
        raise ValidationError(
            _("Diese Maßnahmen wurden inzwischen gelöscht: %(ids)s. Es wurde nichts gespeichert.")
            % {"ids": ", ".join(map(str, gone))}
        )
    fields = {_key(f.title): f for f in FieldOfAction.objects.filter(organisation=organisation)}
    goals = {
        (_key(g.field.title), _key(g.title)): g
        for g in Goal.objects.filter(field__organisation=organisation).select_related("field")
    }
    next_order = max((f.order for f in fields.values()), default=0)
    for row in rows:
        key = (_key(row.field_title), _key(row.goal_title))
        goal = goals.get(key)
        if goal is None:
            field = fields.get(key[0])
            if field is None:
                next_order = min(next_order + 1, 32767)
                field = fields[key[0]] = FieldOfAction.objects.create(
                    organisation=organisation, title=row.field_title, order=next_order
                )
            goal = goals[key] = Goal.objects.create(
                field=field, title=row.goal_title, weight=row.goal_weight or 1
            )
        elif row.goal_weight and goal.weight != row.goal_weight:
            goal.weight = row.goal_weight
            goal.save(update_fields=["weight", "updated_at"])
        row.measure.goal = goal
        row.measure.organisation = organisation
    milestones: dict[int, list[tuple[int, bool]]] = {}
    for measure_id, weight, done in Milestone.objects.filter(
        measure_id__in=changed_ids
    ).values_list("measure_id", "weight", "done"):
        milestones.setdefault(measure_id, []).append((weight, done))
    now = timezone.now()
    new: list[Measure] = []
    changed: list[Measure] = []
    columns: set[str] = set()
    for row in rows:
        m = row.measure
        m.progress = (
            milestone_progress(milestones.get(m.pk, []))
            if m.progress_mode == ProgressMode.MILESTONES
            else m.progress_manual
        )
        m.updated_at = now
        if row.is_new:
            new.append(m)
            continue
        names = set(row.changes) | ({"progress"} if m.progress != row.old_progress else set())
        if names:
            changed.append(m)
            columns |= names
    Measure.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        # Small batches: an UPDATE with a CASE per column grows with the square of its
        # rows (10,000 changed measures: 155 s in batches of 500).
        Measure.objects.bulk_update(
            changed,
            [*sorted(name.removesuffix("_id") for name in columns), "updated_at"],
            batch_size=UPDATE_BATCH,
        )
    through = Measure.districts.through
    with_districts = [
        r for r in rows if r.districts is not None and (r.is_new or r.districts_changed)
    ]
    through.objects.filter(
        measure_id__in=[r.measure.pk for r in with_districts if not r.is_new]
    ).delete()
    through.objects.bulk_create(
        (
            through(measure_id=r.measure.pk, district_id=d.pk)
            for r in with_districts
            for d in r.districts or []
        ),
        batch_size=2000,
    )
    # Bulk writes send no signal: the pages that show measures go stale here.
    from mitmachen.projects import modules

    modules.changed(everywhere=True)
    written = {m.pk for m in changed}
    return len(new), sum(
        1 for r in rows if not r.is_new and (r.measure.pk in written or r.districts_changed)
    )


def import_preview(
    *, user: Any, organisation: Any, file_name: str, data: bytes
) -> tuple[MeasureImport | None, Parsed | None]:
    """Check an uploaded list; keep it for confirmation only if every row is valid.
    Raises ``ImportFileError`` (German) when the file as a whole cannot be read.

    A big file (over ``BACKGROUND_BYTES``) is kept and checked by a background task
    instead: returns (its row, ``None``); its status page shows the progress and then
    the preview."""
    decide(user, "measures.import_catalogue", organisation).raise_if_refused()
    MeasureImport.objects.filter(
        state__in=[ImportState.PREVIEWED, ImportState.FAILED, ImportState.DONE],
        created_at__lt=timezone.now() - PREVIEW_KEPT,
    ).delete()
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("Die Datei ist zu groß (höchstens %(mb)d MB). Bitte teilen Sie sie auf.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if len(data) > BACKGROUND_BYTES:
        pending = MeasureImport.objects.create(
            organisation=organisation,
            uploaded_by=user,
            file_name=file_name[:200],
            data=data,
            state=ImportState.CHECKING,
        )
        from mitmachen.measures.tasks import check_measures

        transaction.on_commit(lambda: check_measures.enqueue(import_id=pending.pk))
        return pending, None
    parsed = parse(organisation=organisation, data=data)
    if not parsed.ok:
        return None, parsed
    pending = MeasureImport.objects.create(
        organisation=organisation,
        uploaded_by=user,
        file_name=file_name[:200],
        data=data,
        rows_total=len(parsed.rows),
    )
    return pending, parsed


def _progress(import_id: int) -> Any:
    def progress(done: int, total: int) -> None:
        MeasureImport.objects.filter(pk=import_id).update(rows_done=done, rows_total=total)

    return progress


def _claim(import_id: int, state: str, then: str) -> MeasureImport | None:
    """Move the import from ``state`` to ``then`` (committed at once, so its status page
    shows it); ``None`` if it is not in ``state`` (discarded, or run already)."""
    with transaction.atomic():
        pending = (
            MeasureImport.objects.select_for_update()
            .select_related("organisation", "uploaded_by")
            .filter(pk=import_id, state=state)
            .first()
        )
        if pending is not None:
            pending.state, pending.rows_done = then, 0
            pending.save(update_fields=["state", "rows_done"])
        return pending


def import_check(*, import_id: int) -> None:
    """The background check of a big upload: every row, with ``rows_done`` for the
    status page; then its preview (``summary``) waits for the confirmation, or its
    errors are shown and the file is dropped."""
    pending = _claim(import_id, ImportState.CHECKING, ImportState.CHECKING)
    if pending is None:
        return
    try:
        parsed = parse(
            organisation=pending.organisation,
            data=bytes(pending.data),
            progress=_progress(import_id),
        )
    except ImportFileError as error:
        pending.state, pending.message, pending.data = ImportState.FAILED, str(error), b""
        pending.summary = {}
    else:
        pending.summary = parsed.summary()
        pending.rows_total = len(parsed.rows) + len({e.line for e in parsed.errors})
        if parsed.ok:
            pending.state = ImportState.PREVIEWED
        else:
            pending.state, pending.data = ImportState.FAILED, b""
            pending.message = _("Die Datei enthält Fehler; es wurde nichts gespeichert.")
    pending.save(update_fields=["state", "message", "data", "summary", "rows_total"])


def result_message(created: int, changed: int) -> str:
    return _("Maßnahmen angelegt: %(created)d, geändert: %(changed)d.") % {
        "created": created,
        "changed": changed,
    }


@transaction.atomic
def import_confirm(*, user: Any, pending: MeasureImport) -> Parsed | None:
    """Import a previewed list (all or nothing) and forget the file. A big list is
    handed to a background task instead (returns ``None``; its status page shows the
    progress). The file is checked again: the catalogue may have changed meanwhile."""
    decide(user, "measures.import_catalogue", pending.organisation).raise_if_refused()
    # The row locked: a double click imports once (the second finds it gone or queued).
    locked = MeasureImport.objects.select_for_update().filter(pk=pending.pk).first()
    if locked is None:
        raise ValidationError(
            _("Diese Vorschau gibt es nicht mehr. Bitte laden Sie die Datei erneut hoch.")
        )
    pending = locked
    if pending.uploaded_by_id != user.pk:
        raise ValidationError(_("Diesen Import hat jemand anderes vorbereitet."))
    if pending.state != ImportState.PREVIEWED:
        raise ValidationError(_("Dieser Import läuft schon oder ist abgeschlossen."))
    if len(pending.data) > BACKGROUND_BYTES:
        pending.state = ImportState.QUEUED
        pending.save(update_fields=["state"])
        from mitmachen.measures.tasks import import_measures

        transaction.on_commit(lambda: import_measures.enqueue(import_id=pending.pk))
        return None
    parsed = parse(organisation=pending.organisation, data=bytes(pending.data))
    if parsed.ok:
        catalogue_import(user=user, organisation=pending.organisation, parsed=parsed)
        pending.delete()
    return parsed


def import_run(*, import_id: int) -> None:
    """The background import of a queued list: checked again (``rows_done`` counts the
    rows checked, for the status page), then stored all or nothing. The row keeps the
    state and a German result; the file itself is dropped."""
    pending = _claim(import_id, ImportState.QUEUED, ImportState.RUNNING)
    if pending is None:  # discarded, or run already
        return
    try:
        parsed = parse(
            organisation=pending.organisation,
            data=bytes(pending.data),
            progress=_progress(import_id),
        )
        if parsed.ok:
            MeasureImport.objects.filter(pk=import_id).update(
                message=_("Die Zeilen sind geprüft und werden gespeichert …")
            )
            created, changed = catalogue_import(
                user=pending.uploaded_by, organisation=pending.organisation, parsed=parsed
            )
    except (ImportFileError, ValidationError, PermissionDenied) as error:
        pending.state = ImportState.FAILED
        pending.message = " ".join(getattr(error, "messages", [str(error)]))
    except Exception:  # the row must not stay "running" for ever
        pending.state = ImportState.FAILED
        pending.message = _("Der Import ist fehlgeschlagen; es wurde nichts gespeichert.")
        pending.data = b""
        pending.finished_at = timezone.now()
        pending.save(update_fields=["state", "message", "data", "finished_at"])
        raise
    else:
        if parsed.ok:
            pending.state = ImportState.DONE
            pending.message = result_message(created, changed)
        else:
            pending.state = ImportState.FAILED
            pending.message = " ".join(str(e) for e in parsed.errors[:10])
    pending.data = b""
    pending.finished_at = timezone.now()
    pending.save(update_fields=["state", "message", "data", "finished_at"])
