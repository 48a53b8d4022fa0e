"""The one write path of the Abwägungstabelle's files (``models.WeighingTableFile``).

The PDF of a city-size draft (300 paragraphs, 5,000 comments) takes about half a minute
of CPU, the XLSX file a few seconds: too long for a request, and not something every
visitor should be able to start. So a member of staff asks for them
(``weighing_table_request``, rule ``drafts.manage_draft``); one table per draft is in the
making at a time (the partial unique constraint ``one_weighing_table_in_the_making``: a
second click, also at the same moment, gets the first). A background task
(``drafts.tasks.make_weighing_table``) runs ``weighing_table_make``: it reads the rows
(``report.rows``), writes the XLSX and the PDF to the storage under random names and sets
``progress`` after each step, so that the files page can show it. A failure is stored
with its message; staff start a new table. A finished table replaces the draft's older
ones (with their files): the files name residents who consented, and only the newest
snapshot is needed. The same pattern as the council report (``dashboard.report_services``).
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mitmachen.comments.models import Comment
from mitmachen.core.permissions import decide
from mitmachen.drafts import report
from mitmachen.drafts.models import Draft, Suggestion, TableState, WeighingTableFile

logger = logging.getLogger(__name__)

# How far the table has come after each step (per cent): laying out the PDF's pages and
# writing the tagged PDF take most of the time (``report.pdf``).
PROGRESS = {"started": 5, "read": 15, "xlsx": 25, "laid_out": 70}
# A table still "in the making" after this long was lost (the worker stopped): it no
# longer blocks a new one.
GIVE_UP_AFTER = timedelta(hours=1)


def _working(draft: Draft) -> WeighingTableFile | None:
    return (
        WeighingTableFile.objects.filter(
            draft=draft, state__in=(TableState.QUEUED, TableState.RUNNING)
        )
        .order_by("-pk")
        .first()
    )


def weighing_table_request(*, user: Any, draft: Draft) -> WeighingTableFile:
    """Queue the PDF and XLSX of ``draft``'s table (or return the one already queued or
    running). Staff who may manage the draft only."""
    decide(user, "drafts.manage_draft", draft).raise_if_refused()
    WeighingTableFile.objects.filter(
        draft=draft,
        state__in=(TableState.QUEUED, TableState.RUNNING),
        requested_at__lt=timezone.now() - GIVE_UP_AFTER,
    ).update(
        state=TableState.FAILED,
        message=_("Die Erstellung wurde abgebrochen (nach einer Stunde ohne Ergebnis)."),
        finished_at=timezone.now(),
    )
    working = _working(draft)
    if working is not None:
        return working
    try:
        with transaction.atomic():
            table = WeighingTableFile.objects.create(
                draft=draft, version=draft.version, requested_by=user
            )
            from mitmachen.drafts.tasks import make_weighing_table

            pk = table.pk
            transaction.on_commit(lambda: make_weighing_table.enqueue(table_id=pk))
    except IntegrityError:
        # Another click queued one at the same moment (one_weighing_table_in_the_making).
        working = _working(draft)
        if working is None:  # pragma: no cover - it finished in between
            raise
        return working
    return table


def _progress(table_id: int, step: str) -> None:
    WeighingTableFile.objects.filter(pk=table_id).update(progress=PROGRESS[step])


def weighing_table_make(*, table_id: int) -> None:
    """Make a queued table (the background task). Runs once per table: one that is no
    longer queued (made already, running elsewhere, or deleted) is left alone."""
    with transaction.atomic():
        table = (
            WeighingTableFile.objects.select_for_update()
            .filter(pk=table_id, state=TableState.QUEUED)
            .first()
        )
        if table is None:
            return
        table.state = TableState.RUNNING
        table.progress = PROGRESS["started"]
        table.save(update_fields=["state", "progress"])
    began = time.perf_counter()
    try:
        draft = Draft.objects.select_related("project__organisation").get(pk=table.draft_id)
        as_of = timezone.now()
        rows = report.rows(draft)
        _progress(table_id, "read")
        xlsx = report.xlsx(draft, rows)
        _progress(table_id, "xlsx")
        pdf, pages = report.pdf(draft, rows, laid_out=lambda: _progress(table_id, "laid_out"))
        stamp = timezone.localtime(as_of).strftime("%Y-%m-%d")
        table.xlsx.save(f"abwaegungstabelle-{stamp}.xlsx", ContentFile(xlsx), save=False)
        table.pdf.save(f"abwaegungstabelle-{stamp}.pdf", ContentFile(pdf), save=False)
    except Exception as error:  # the row must not stay "running" for ever
        logger.exception("Weighing table %s failed", table_id)
        WeighingTableFile.objects.filter(pk=table_id).update(
            state=TableState.FAILED, message=str(error)[:2000], finished_at=timezone.now()
        )
        _remove_files([f.name for f in (table.pdf, table.xlsx) if f.name], table)
        return
    with transaction.atomic():
        finished = WeighingTableFile.objects.filter(pk=table_id, state=TableState.RUNNING).update(
            state=TableState.DONE,
            progress=100,
            pdf=table.pdf.name,
            xlsx=table.xlsx.name,
            pages=pages,
            data_as_of=as_of,
            seconds=round(time.perf_counter() - began, 2),
            finished_at=timezone.now(),
        )
        if finished:
            # The newer table replaces the older ones (post_delete takes their files).
            for older in WeighingTableFile.objects.filter(
                draft_id=table.draft_id, pk__lt=table_id
            ).exclude(state__in=(TableState.QUEUED, TableState.RUNNING)):
                older.delete()
    if not finished:
        # Deleted meanwhile (an account deletion, the draft) or given up: nothing may stay.
        _remove_files([f.name for f in (table.pdf, table.xlsx) if f.name], table)


def _remove_files(names: list[str], table: WeighingTableFile) -> None:
    storage = table.pdf.storage
    for name in names:
        storage.delete(name)


def delete_files(sender: Any, instance: WeighingTableFile, **kwargs: Any) -> None:
    """A deleted table (also with its draft) takes its files with it, once committed."""
    names = [f.name for f in (instance.pdf, instance.xlsx) if f.name]

    def remove() -> None:
        _remove_files(names, instance)

    transaction.on_commit(remove)


def tables_naming_erase(user: Any) -> None:
    """Account deletion: the stored tables that name ``user`` (a suggestion or a comment on
    a paragraph with their consent to be named) go, with their files; a new table names
    no one for what they wrote ("gelöschtes Konto"). Staff's requests stay without them
    (``requested_by`` is emptied by the database)."""
    named = Q(
        pk__in=Suggestion.objects.filter(author=user, name_in_report=True).values(
            "paragraph__draft_id"
        )
    ) | Q(
        pk__in=Comment.objects.filter(
            author=user, name_in_report=True, paragraph__isnull=False
        ).values("paragraph__draft_id")
    )
    for table in WeighingTableFile.objects.filter(draft__in=Draft.objects.filter(named)):
        table.delete()
