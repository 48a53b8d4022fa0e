"""Every write on proposals shows at once on the cached anonymous pages.

The services make no page-cache calls where they save a declared row (``module.py``:
proposals, supports, status changes, custom statuses): these tests fail when such a
declaration goes missing. Withdrawing, a conditional update, calls ``modules.changed``.
"""

import pytest

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.proposals import services
from mitmachen.proposals.models import CustomStatus, ProposalStatus
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def author():
    return UserFactory()


@pytest.fixture
def proposal(project, author):
    return ProposalFactory(project=project, author=author, title="Mehr Bänke am Markt")


@pytest.fixture
def admin(project):
    return MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user


def list_url(project):
    return f"/projekte/{project.slug}/vorschlaege/"


def test_a_new_proposal(fresh_page, project, author):
    page = fresh_page(
        list_url(project),
        lambda: services.proposal_create(
            author=author, project=project, title="Ein Trinkbrunnen", text="Am Markt, bitte."
        ),
    )
    assert "Ein Trinkbrunnen" in page


def test_an_edited_proposal(fresh_page, proposal, author):
    page = fresh_page(
        proposal.get_absolute_url(),
        lambda: services.proposal_update(
            user=author, proposal=proposal, title="Mehr Schatten am Markt", text="Bäume."
        ),
    )
    assert "Mehr Schatten am Markt" in page


def test_a_status_with_its_response(fresh_page, proposal, admin):
    page = fresh_page(
        proposal.get_absolute_url(),
        lambda: services.status_set(
            user=admin,
            proposal=proposal,
            status=ProposalStatus.ACCEPTED,
            response="Der Bauhof stellt im Mai drei Bänke auf.",
            notify=False,
        ),
    )
    assert "Der Bauhof stellt im Mai drei Bänke auf." in page


def test_a_support_and_its_withdrawal(fresh_page, proposal, project):
    supporter = UserFactory()
    page = fresh_page(
        list_url(project),
        lambda: services.support_add(user=supporter, proposal=proposal, notify=False),
    )
    assert "1 Unterstützung" in page
    page = fresh_page(
        proposal.get_absolute_url(),
        lambda: services.support_withdraw(user=supporter, proposal=proposal),
    )
    assert "0 Unterstützungen" in page


def test_withdrawing(fresh_page, proposal, author):
    page = fresh_page(
        proposal.get_absolute_url(),
        lambda: services.proposal_withdraw(user=author, proposal=proposal, reason="Erledigt."),
    )
    assert "Zurückgezogen am" in page


def test_a_renamed_custom_status(fresh_page, proposal, project, admin):
    forwarded = CustomStatus.objects.create(project=project, name="An den Ortsbeirat")
    services.status_set(
        user=admin, proposal=proposal, custom_status=forwarded, response="Liegt vor.", notify=False
    )

    def rename():
        forwarded.name = "Beim Ortsbeirat"
        forwarded.save()

    page = fresh_page(list_url(project), rename)
    assert "Beim Ortsbeirat" in page and "An den Ortsbeirat" not in page


def test_withdrawing_a_support_twice_counts_once(proposal):
    """The withdrawal deletes the row it read; without one it changes nothing (parallel
    withdrawals: ``test_concurrency``)."""
    supporter = UserFactory()
    services.support_add(user=supporter, proposal=proposal, notify=False)
    assert services.support_withdraw(user=supporter, proposal=proposal)
    assert not services.support_withdraw(user=supporter, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.support_count == 0
