"""Big imports run in the background (Django Tasks API, like ``core.mail``)."""

from __future__ import annotations

from django_tasks import task


@task()
def import_pending(*, pending_id: int) -> None:
    """Import a confirmed upload; the import page shows its state and result."""
    from mitmachen.climate.services import pending_import_run

    pending_import_run(pending_id=pending_id)
