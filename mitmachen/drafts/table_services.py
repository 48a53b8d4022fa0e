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
snapshot is needed. The pattern (a lost run after an hour, progress, failure, retention)
is the core's ``background_files``, shared with the council report.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from mitmachen.comments.models import Comment
from mitmachen.core import background_files
from mitmachen.core.permissions import decide
from mitmachen.drafts import report
from mitmachen.drafts.models import Draft, Suggestion, WeighingTableFile

# How far the table has come after each step (per cent): laying out the PDF's pages and
# writing the tagged PDF take most of the time (``report.pdf``).
PROGRESS = {"started": 5, "read": 15, "xlsx": 25, "laid_out": 70}


def _enqueue(table_id: int) -> None:
    from mitmachen.drafts.tasks import make_weighing_table

    make_weighing_table.enqueue(table_id=table_id)


def weighing_table_request(*, user: Any, draft: Draft) -> WeighingTableFile:
    """Queue the PDF and XLSX of ``draft``'s table (or return the one already queued or
    running). Staff who may manage the draft only."""
    decide(user, "drafts.manage_draft", draft).raise_if_refused()
    return background_files.request_file(
        WeighingTableFile,
        subject=draft,
        enqueue=_enqueue,
        version=draft.version,
        requested_by=user,
    )


def _progress(table_id: int, step: str) -> None:
    background_files.set_progress(WeighingTableFile, table_id, PROGRESS[step])


def weighing_table_make(*, table_id: int) -> None:
    """Make a queued table (the background task). Runs once per table: one that is no
    longer queued (made already, running elsewhere, or deleted) is left alone. A finished
    table replaces the draft's older ones (``WeighingTableFile.newest_only``)."""

    def build(table: WeighingTableFile) -> dict[str, Any]:
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
        return {"pages": pages, "data_as_of": as_of}

    background_files.make_file(
        WeighingTableFile, table_id, started=PROGRESS["started"], build=build
    )


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
