"""The Abwägungstabelle's PDF and XLSX are made in the background (Django Tasks API, like
``core.mail`` and the council report): the PDF of a big draft takes half a minute."""

from __future__ import annotations

from django_tasks import task


@task()
def make_weighing_table(*, table_id: int) -> None:
    """Make a queued table; the files page shows its progress meanwhile."""
    from mitmachen.drafts.table_services import weighing_table_make

    weighing_table_make(table_id=table_id)
