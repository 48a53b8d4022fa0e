"""Two imports of the same file into the same indicator at the same moment leave each
value once (PostgreSQL only; SQLite serialises all writes)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from mitmachen.climate import services
from mitmachen.climate.models import Value
from mitmachen.climate.tests.factories import IndicatorFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]

OPTIONS = {"date": "datum", "value": "wert"}


def test_parallel_imports_of_one_file_store_each_value_once():
    indicator = IndicatorFactory(resolution="tag")
    body = "datum;wert\n" + "".join(f"{d:02d}.01.2024;{d},5\n" for d in range(1, 32))
    start = threading.Barrier(4)
    results, failures = [], []

    def run() -> None:
        try:
            start.wait()
            results.append(
                services.values_import(
                    user=None, indicator=indicator, kind="csv", data=body.encode(), options=OPTIONS
                )
            )
        except Exception as error:  # the unique constraint, were the lock missing
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    assert not failures, failures
    assert all(r.ok for r in results) and len(results) == 4
    assert Value.objects.filter(indicator=indicator).count() == 31
    # Every import after the first replaced the first's values (they ran one by one).
    assert sorted(r.replaced for r in results) == [0, 31, 31, 31]
