"""Eight parallel submissions of the same observation (same person, place and day)
store it once: the database constraint decides, the others get the German message
(PostgreSQL only; SQLite serialises all writes)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.climate import services
from mitmachen.climate.models import Observation
from mitmachen.climate.tests.factories import campaign_in
from mitmachen.organisations.tests.factories import DistrictFactory
from mitmachen.projects.tests.factories import ProjectFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]

PARALLEL = 8


def test_parallel_submissions_of_one_observation_store_it_once():
    project = ProjectFactory()
    district = DistrictFactory(organisation=project.organisation)
    lon, lat = district.geometry["coordinates"][0][0]
    campaign = campaign_in(project)
    resident = UserFactory()
    start = threading.Barrier(PARALLEL)
    stored, refused, failures = [], [], []

    def run(n: int) -> None:
        try:
            start.wait()
            stored.append(
                services.observation_submit(
                    user=resident,
                    campaign=campaign,
                    data={
                        "observed_on": timezone.localdate(),
                        # a few metres apart: the same place (rounded to ~100 m)
                        "lon": lon + 0.004 + n * 1e-5,
                        "lat": lat + 0.004,
                        "number_value": 30.0 + n,
                    },
                )
            )
        except ValidationError as error:
            refused.append(str(error))
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    assert not failures, failures
    assert len(stored) == 1
    assert len(refused) == PARALLEL - 1
    assert all("schon eine Beobachtung" in message for message in refused)
    assert Observation.objects.count() == 1
