"""The proposal page asks for the person's support and follow in one query
(``selectors.supports_and_follows``) and shows each person only their own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
from mitmachen.proposals.models import ProposalFollow, Support
from mitmachen.proposals.selectors import supports_and_follows
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal():
    project = ProjectFactory()
    PhaseFactory(project=project, actions=["support", "comment"])
    return ProposalFactory(project=project)


def test_each_answer_is_the_persons_own(proposal):
    supporter, follower, both, neither = UserFactory.create_batch(4)
    other = ProposalFactory(project=proposal.project)
    Support.objects.create(proposal=proposal, user=supporter)
    ProposalFollow.objects.create(proposal=proposal, user=follower)
    Support.objects.create(proposal=proposal, user=both)
    ProposalFollow.objects.create(proposal=proposal, user=both)
    Support.objects.create(proposal=other, user=neither)  # another proposal's rows count not
    ProposalFollow.objects.create(proposal=other, user=neither)
    with CaptureQueriesContext(connection) as queries:
        assert supports_and_follows(proposal.pk, supporter.pk) == (True, False)
    assert len(queries) == 1
    assert supports_and_follows(proposal.pk, follower.pk) == (False, True)
    assert supports_and_follows(proposal.pk, both.pk) == (True, True)
    assert supports_and_follows(proposal.pk, neither.pk) == (False, False)


def test_the_page_shows_support_and_follow_of_whoever_is_signed_in(client, proposal):
    supporter, follower = UserFactory.create_batch(2)
    Support.objects.create(proposal=proposal, user=supporter)
    ProposalFollow.objects.create(proposal=proposal, user=follower)
    pages = {}
    for _round in range(2):  # in alternation, through every cache
        for person in (supporter, follower):
            client.force_login(person)
            pages[person] = client.get(proposal.get_absolute_url()).content.decode()
    assert 'name="unterstuetzen" value="0"' in pages[supporter]
    assert 'name="unterstuetzen" value="0"' not in pages[follower]
    assert 'name="folgen" value="0"' in pages[follower]
    assert 'name="folgen" value="0"' not in pages[supporter]
