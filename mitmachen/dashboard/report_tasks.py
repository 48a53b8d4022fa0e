"""The council report is made in the background (Django Tasks API, like ``core.mail``):
the PDF of a big project takes seconds."""

from __future__ import annotations

from django_tasks import task


@task()
def make_council_report(*, report_id: int) -> None:
    """Make a queued report; the report page shows its progress meanwhile."""
    from mitmachen.dashboard.report_services import council_report_make

    council_report_make(report_id=report_id)
