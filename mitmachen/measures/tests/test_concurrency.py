"""Turning a proposal into a measure and following, under real concurrency.

PostgreSQL only (a live server: each request in its own thread, connection and
transaction). SQLite serialises all writes.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from mitmachen.core.tests.live import in_parallel, post, session_cookie
from mitmachen.measures.models import Measure, MeasureFollow
from mitmachen.measures.tests.factories import MeasureFactory
from mitmachen.notifications.models import Notification
from mitmachen.proposals.models import ProposalStatus
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]


def test_parallel_conversions_make_one_measure_and_tell_people_once(
    live_server, project, goal, manager
):
    """Without the lock on the proposal's row, each request finds no measure yet and
    creates its own."""
    proposal = ProposalFactory(project=project, status=ProposalStatus.ACCEPTED)
    session = session_cookie(manager)
    url = live_server.url + reverse("measures:from_proposal", args=[proposal.pk])
    data = {"goal": str(goal.pk), "title": "Bänke", "published": "on"}
    in_parallel([lambda: post(url, session, data)] * 12)
    assert Measure.objects.filter(proposals=proposal).count() == 1
    assert (
        Notification.objects.filter(recipient=proposal.author, kind="measure_from_proposal").count()
        == 1
    )


def test_parallel_follows_make_one_row(live_server, goal, resident):
    """Without the unique constraint, parallel requests each insert a follow."""
    measure = MeasureFactory(goal=goal)
    session = session_cookie(resident)
    url = live_server.url + reverse("measures:follow", args=[measure.pk])
    in_parallel([lambda: post(url, session, {})] * 12)
    assert MeasureFollow.objects.filter(measure=measure, user=resident).count() == 1


def test_parallel_confirmations_import_a_list_once(live_server, organisation, manager):
    """Without the lock on the upload's row, each confirmation imports the list again
    (or fails with an error page when the row was deleted under it)."""
    from mitmachen.measures import import_services

    pending, _parsed = import_services.import_preview(
        user=manager,
        organisation=organisation,
        file_name="liste.csv",
        data="Handlungsfeld;Ziel;Titel\nMobilität;Bus;Rufbus\n".encode(),
    )
    assert pending is not None
    session = session_cookie(manager)
    url = live_server.url + reverse("measures:import", args=[organisation.slug])
    statuses = in_parallel([lambda: post(url, session, {"pending": str(pending.pk)})] * 8)
    assert set(statuses) == {302}
    assert Measure.objects.filter(title="Rufbus").count() == 1


def test_parallel_conversions_of_a_debate_make_one_measure(live_server, project, goal, manager):
    """The same for a contribution of another module (``measure_from_origin``): without
    the lock on the debate's row, each request creates its own measure."""
    from mitmachen.debates.tests.factories import DebateFactory

    debate = DebateFactory(project=project)
    session = session_cookie(manager)
    url = live_server.url + reverse("measures:from_origin", args=["debatte", debate.pk])
    data = {"goal": str(goal.pk), "title": "Autofreier Markt", "published": "on"}
    in_parallel([lambda: post(url, session, data)] * 12)
    assert Measure.objects.filter(origins__object_id=debate.pk).count() == 1
    assert (
        Notification.objects.filter(recipient=debate.author, kind="measure_from_origin").count()
        == 1
    )
