"""The support write (issue 16): one insert or delete and one counter update, the htmx
answer drawn from what the write returned, the quorum's mails queued, not sent in the
request. The counts under concurrency are proven on PostgreSQL in test_concurrency.py."""

from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.notifications.models import Notification
from mitmachen.proposals import services
from mitmachen.proposals.models import Proposal, ProposalStatus, Support
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def post(client, proposal, value):
    return client.post(
        f"/vorschlaege/{proposal.pk}/unterstuetzen/",
        {"unterstuetzen": value},
        HTTP_HX_REQUEST="true",
    )


def statements(queries, verb, table):
    """The captured statements ``verb`` (INSERT, UPDATE, SELECT …) on ``table``."""
    found = []
    for q in queries.captured_queries:
        sql = q["sql"]
        head = sql if verb != "SELECT" else sql[sql.find(" FROM ") :]
        if sql.startswith(verb) and f'"{table}"' in head[:60]:
            found.append(sql)
    return found


def test_a_support_is_one_insert_and_one_update(client, project):
    proposal = ProposalFactory(project=project)
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as queries:
        response = post(client, proposal, "1")
    assert "1 Unterstützung" in response.content.decode()
    assert len(statements(queries, "INSERT", "proposals_support")) == 1
    # The counter, and no quorum update below the quorum.
    assert len(statements(queries, "UPDATE", "proposals_proposal")) == 1
    # The proposal is read once, not again after the write.
    assert len(statements(queries, "SELECT", "proposals_proposal")) == 1
    with CaptureQueriesContext(connection) as queries:
        post(client, proposal, "0")
    assert len(statements(queries, "DELETE", "proposals_support")) == 1
    assert len(statements(queries, "UPDATE", "proposals_proposal")) == 1
    assert len(statements(queries, "SELECT", "proposals_proposal")) == 1


def test_the_htmx_answer_runs_a_fixed_number_of_queries(
    client, project, django_assert_max_num_queries
):
    proposal = ProposalFactory(project=project)
    client.force_login(UserFactory())
    post(client, proposal, "0")  # the session and the user are loaded once
    with django_assert_max_num_queries(11):
        assert "Unterstützung zurücknehmen" in post(client, proposal, "1").content.decode()
    with django_assert_max_num_queries(10):
        assert ">Unterstützen<" in post(client, proposal, "0").content.decode()
    assert Proposal.objects.get(pk=proposal.pk).support_count == 0
    assert not Support.objects.filter(proposal=proposal).exists()


def test_the_count_shown_is_the_databases(client, project):
    """The box shows the counter the update returned, with supports given meanwhile."""
    proposal = ProposalFactory(project=project)
    Proposal.objects.filter(pk=proposal.pk).update(support_count=41)  # others, meanwhile
    client.force_login(UserFactory())
    assert "42 Unterstützungen" in post(client, proposal, "1").content.decode()
    assert "41 Unterstützungen" in post(client, proposal, "0").content.decode()


def test_the_quorum_mails_are_queued_not_sent_in_the_request(
    client, project, django_capture_on_commit_callbacks
):
    project.support_quorum = 2
    project.save()
    proposal = ProposalFactory(project=project)
    services.support_add(user=UserFactory(), proposal=proposal)
    client.force_login(UserFactory())
    with (
        mock.patch("mitmachen.proposals.services.quorum_reached") as task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = post(client, proposal, "1")
    task.enqueue.assert_called_once_with(proposal_id=proposal.pk)
    assert not mail.outbox and not Notification.objects.exists()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.QUORUM_REACHED
    assert "Quorum erreicht am" in response.content.decode()
    # The task itself tells the author and the staff.
    services.quorum_reached.call(proposal_id=proposal.pk)
    assert any("Quorum erreicht" in m.subject for m in mail.outbox)


def test_the_quorum_state_comes_back_with_the_count(project):
    project.support_quorum = 1
    project.save()
    proposal = ProposalFactory(project=project)
    services.support_add(user=UserFactory(), proposal=proposal, notify=False)
    assert proposal.support_count == 1
    assert proposal.quorum_reached_at is not None and timezone.is_aware(proposal.quorum_reached_at)
    stored = Proposal.objects.get(pk=proposal.pk)
    assert stored.quorum_reached_at == proposal.quorum_reached_at
    # Later supports read the stored date back from the counter update (no second quorum).
    services.support_add(user=UserFactory(), proposal=proposal, notify=False)
    assert proposal.support_count == 2
    assert proposal.quorum_reached_at == stored.quorum_reached_at
