"""Big measure lists are imported in the background (Django Tasks API, like ``core.mail``)."""

from __future__ import annotations

from django_tasks import task


@task()
def import_measures(*, import_id: int) -> None:
    """Import a confirmed list; its status page shows the rows checked and the result."""
    from mitmachen.measures.import_services import import_run

    import_run(import_id=import_id)


@task()
def check_measures(*, import_id: int) -> None:
    """Check a big upload; its status page shows the rows checked, then the preview."""
    from mitmachen.measures.import_services import import_check

    import_check(import_id=import_id)
