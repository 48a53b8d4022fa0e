"""A file made in the background: the one pattern behind the council report
(``dashboard.CouncilReport``) and the Abwägungstabelle's files (``drafts.WeighingTableFile``).

A module that makes files too slow for a request (a PDF of many pages) declares a model on
the abstract ``BackgroundFile``: its subject (a foreign key, named in ``subject_field``),
its ``FileField``s (named in ``file_fields``, each a key of ``CONTENT_TYPES``) and the
constraints of ``constraints()``. Then:

- **One in the making per subject.** ``request_file`` (the staff member's click, after the
  module's permission check) returns the row already queued or running, or creates one and
  enqueues the module's task after commit. The partial unique constraint of
  ``constraints()`` holds this also for clicks at the same moment: the second insert fails
  and gets the first row.
- **A lost run counts as failed.** A row still queued or running ``GIVE_UP_AFTER`` after
  it was requested (the worker stopped) is marked failed by the next request, so it no
  longer blocks a new one; if that run ever ends, it stores nothing.
- **Progress.** ``make_file`` (the task) moves a queued row to running, runs the module's
  ``build`` (which saves the files on the row with ``save=False`` and sets ``progress``
  with ``set_progress`` as it goes), and stores it as done with the time it took. Any
  error is stored with its message, the row failed and its files removed; staff retry.
- **Retention.** With ``newest_only`` a finished row replaces the subject's older
  finished and failed rows (their files go with them): for files that name residents,
  where only the newest snapshot is needed. Otherwise all are kept.
- **Pages.** ``status_page`` renders the module's status page and, while a row is being
  made, has it reload itself (``Refresh: 3; url=<path>``, no JavaScript);
  ``download`` answers a finished row's file (the module has checked the permission and
  found the row among its subject's done rows). The template
  ``includes/background_file_cells.html`` draws a row's state and data cells.
- **Deletion.** Connect ``delete_files`` to the model's ``post_delete``: a deleted row
  (also with its subject) takes its files with it, once committed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from typing import Any, ClassVar, TypeVar

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

# A run still queued or running after this long was lost (the worker stopped).
GIVE_UP_AFTER = timedelta(hours=1)
# The status page reloads itself this often while a file is being made.
REFRESH_SECONDS = 3
# The status page lists this many rows, newest first.
LISTED = 10
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class FileState(models.TextChoices):
    QUEUED = "queued", gettext_lazy("wartet auf die Erstellung")
    RUNNING = "running", gettext_lazy("wird erstellt")
    DONE = "done", gettext_lazy("fertig")
    FAILED = "failed", gettext_lazy("Erstellung fehlgeschlagen")


WORKING = (FileState.QUEUED, FileState.RUNNING)


class BackgroundFile(models.Model):
    """Files made in the background from a subject's data (abstract). A concrete model
    adds the subject's foreign key and the file fields, names them in ``subject_field``
    and ``file_fields``, and puts ``constraints(...)`` into its ``Meta``."""

    subject_field: ClassVar[str]
    file_fields: ClassVar[tuple[str, ...]] = ("pdf", "xlsx")
    # A finished row replaces the subject's older ones (see the module docstring).
    newest_only: ClassVar[bool] = False

    state = models.CharField(
        gettext_lazy("Stand"), max_length=10, choices=FileState.choices, default=FileState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(gettext_lazy("Fortschritt in Prozent"), default=0)
    requested_at = models.DateTimeField(gettext_lazy("angefordert am"), default=timezone.now)
    data_as_of = models.DateTimeField(gettext_lazy("Stand der Daten"), null=True, blank=True)
    finished_at = models.DateTimeField(gettext_lazy("fertig am"), null=True, blank=True)
    pages = models.PositiveIntegerField(gettext_lazy("Seiten"), default=0)
    seconds = models.FloatField(
        gettext_lazy("Dauer der Erstellung in Sekunden"), null=True, blank=True
    )
    message = models.TextField(gettext_lazy("Fehlermeldung"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-pk"]

    @property
    def done(self) -> bool:
        return self.state == FileState.DONE

    @property
    def working(self) -> bool:
        return self.state in WORKING

    def files(self) -> list[FieldFile]:
        return [getattr(self, name) for name in self.file_fields]

    def file_size(self, name: str) -> int | None:
        """The size of the file ``name``, ``None`` when there is none or it is gone from
        the storage (the page says "–" instead of failing)."""
        stored: FieldFile = getattr(self, name)
        try:
            return stored.size if stored.name else None
        except OSError:
            return None

    @property
    def pdf_size(self) -> int | None:
        return self.file_size("pdf")

    @property
    def xlsx_size(self) -> int | None:
        return self.file_size("xlsx")


F = TypeVar("F", bound=BackgroundFile)


def constraints(
    *,
    subject: str,
    in_the_making: str,
    progress: str,
    files_when_done: str,
    file_fields: Sequence[str] = ("pdf", "xlsx"),
) -> list[models.BaseConstraint]:
    """The database rules of a concrete model, under the names its migrations gave them:
    one row in the making per subject, progress in per cent, the files when done."""
    has_files = Q()
    for name in file_fields:
        has_files &= ~Q(**{name: ""})
    return [
        models.UniqueConstraint(
            fields=[subject],
            condition=Q(state__in=[FileState.QUEUED, FileState.RUNNING]),
            name=in_the_making,
        ),
        models.CheckConstraint(condition=Q(progress__lte=100), name=progress),
        models.CheckConstraint(
            condition=~Q(state=FileState.DONE) | has_files, name=files_when_done
        ),
    ]


def _working(model: type[F], subject: models.Model) -> F | None:
    return (
        model._default_manager.filter(**{model.subject_field: subject}, state__in=WORKING)
        .order_by("-pk")
        .first()
    )


def request_file(
    model: type[F],
    *,
    subject: models.Model,
    enqueue: Callable[[int], object],
    **fields: Any,
) -> F:
    """Queue a new row of ``model`` for ``subject`` (with ``fields``) and enqueue its task
    after commit (``enqueue(pk)``), or return the row already queued or running. Lost runs
    are marked failed first. The caller has checked the permission."""
    now = timezone.now()
    model._default_manager.filter(
        **{model.subject_field: subject},
        state__in=WORKING,
        requested_at__lt=now - GIVE_UP_AFTER,
    ).update(
        state=FileState.FAILED,
        message=_("Die Erstellung wurde abgebrochen (nach einer Stunde ohne Ergebnis)."),
        finished_at=now,
    )
    working = _working(model, subject)
    if working is not None:
        return working
    try:
        with transaction.atomic():
            row = model._default_manager.create(**{model.subject_field: subject}, **fields)
            pk = row.pk
            transaction.on_commit(lambda: enqueue(pk))
    except IntegrityError:
        # Another click queued one at the same moment (the constraint "in the making").
        working = _working(model, subject)
        if working is None:  # pragma: no cover - it finished in between
            raise
        return working
    return row


def set_progress(model: type[BackgroundFile], pk: int, percent: int) -> None:
    """Store how far the row has come, for the status page to read meanwhile."""
    model._default_manager.filter(pk=pk).update(progress=percent)


def make_file(
    model: type[F],
    pk: int,
    *,
    started: int,
    build: Callable[[F], dict[str, Any]],
) -> F | None:
    """Make a queued row (the background task). Runs once per row: one no longer queued
    (made already, running elsewhere, given up or deleted) is left alone (``None``).

    ``build(row)`` saves the files on ``row`` (``save=False``) and returns the other
    fields to store (``pages``, ``data_as_of``, …). Returns the row when it was stored as
    done (the files of one deleted or given up meanwhile are removed)."""
    with transaction.atomic():
        row = (
            model._default_manager.select_for_update().filter(pk=pk, state=FileState.QUEUED).first()
        )
        if row is None:
            return None
        row.state = FileState.RUNNING
        row.progress = started
        row.save(update_fields=["state", "progress"])
    began = time.perf_counter()
    try:
        fields = build(row)
    except Exception as error:  # the row must not stay "running" for ever
        logger.exception("%s %s failed", model.__name__, pk)
        model._default_manager.filter(pk=pk).update(
            state=FileState.FAILED, message=str(error)[:2000], finished_at=timezone.now()
        )
        _remove(row, _names(row.files()))
        return None
    with transaction.atomic():
        finished = model._default_manager.filter(pk=pk, state=FileState.RUNNING).update(
            state=FileState.DONE,
            progress=100,
            seconds=round(time.perf_counter() - began, 2),
            finished_at=timezone.now(),
            **{name: getattr(row, name).name for name in model.file_fields},
            **fields,
        )
        if finished and model.newest_only:
            # post_delete (``delete_files``) takes the older rows' files.
            for older in model._default_manager.filter(
                **{model.subject_field + "_id": getattr(row, model.subject_field + "_id")},
                pk__lt=pk,
            ).exclude(state__in=WORKING):
                older.delete()
    if not finished:
        # Deleted meanwhile (an account deletion, the subject) or given up: nothing may stay.
        _remove(row, _names(row.files()))
        return None
    return row


def _names(files: Iterable[FieldFile]) -> list[str]:
    return [f.name for f in files if f.name]


def _remove(row: BackgroundFile, names: list[str]) -> None:
    if not names:
        return
    storage = row.files()[0].storage
    for name in names:
        storage.delete(name)


def delete_files(sender: Any, instance: BackgroundFile, **kwargs: Any) -> None:
    """``post_delete`` receiver: a deleted row takes its files with it, once committed."""
    names = _names(instance.files())
    transaction.on_commit(lambda: _remove(instance, names))


def status_page(
    request: HttpRequest, template: str, context: dict[str, Any], rows: Sequence[BackgroundFile]
) -> HttpResponse:
    """The module's status page (``rows`` newest first; ``working`` and ``refresh`` are
    added to ``context``), reloading itself while a row is queued or running."""
    working = any(row.working for row in rows)
    response = render(
        request, template, {**context, "working": working, "refresh": REFRESH_SECONDS}
    )
    if working:
        # With the address: Chromium only scrolls, and does not reload, for a bare
        # "Refresh: 3" when the address has a fragment (where the start button leads).
        response["Refresh"] = f"{REFRESH_SECONDS}; url={request.path}"
    patch_cache_control(response, private=True, no_store=True)
    return response


def download(row: BackgroundFile, kind: str, *, filename: str) -> FileResponse:
    """A finished row's file ``kind`` as an attachment named ``filename`` + extension.
    The caller has checked the permission and found ``row`` among the subject's done
    rows; a kind the row does not have, or a file gone from the storage, is not found."""
    if kind not in row.file_fields or kind not in CONTENT_TYPES or not row.done:
        raise Http404
    stored: FieldFile = getattr(row, kind)
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=f"{filename}.{kind}", content_type=CONTENT_TYPES[kind]
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
