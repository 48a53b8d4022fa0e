import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.proposals.models import Proposal, ProposalStatus, ProposalStatusChange
from mitmachen.proposals.services import status_set
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(project):
    return MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user


def test_status_with_public_response_and_history(
    project, admin, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(project=project)
    with django_capture_on_commit_callbacks(execute=True):
        status_set(
            user=admin,
            proposal=proposal,
            status=ProposalStatus.IN_REVIEW,
            response="Wir prüfen das mit dem Bauamt.",
        )
        status_set(
            user=admin,
            proposal=proposal,
            status=ProposalStatus.ACCEPTED,
            response="Die Bänke kommen im Frühjahr.",
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.official_response == "Die Bänke kommen im Frühjahr."
    history = list(proposal.status_changes.values_list("status", flat=True))
    assert history == [ProposalStatus.ACCEPTED, ProposalStatus.IN_REVIEW]
    assert [m.to for m in mail.outbox] == [[proposal.author.email]] * 2
    assert "Die Bänke kommen im Frühjahr." in mail.outbox[1].body


@pytest.mark.parametrize("role", [None, Role.MODERATOR, "other_admin", "author"])
def test_only_project_staff_may_respond(project, role):
    proposal = ProposalFactory(project=project)
    if role is None:
        user = UserFactory()
    elif role == "other_admin":
        user = MembershipFactory(role=Role.ADMIN).user
    elif role == "author":
        user = proposal.author
    else:
        user = MembershipFactory(organisation=project.organisation, role=role).user
    with pytest.raises(PermissionDenied):
        status_set(user=user, proposal=proposal, status=ProposalStatus.REJECTED, response="Nein.")
    assert not ProposalStatusChange.objects.exists()


@pytest.mark.parametrize(
    ("status", "response", "message"),
    [
        ("erfunden", "Text", "Unbekannter Status"),
        (ProposalStatus.REJECTED, "   ", "begründen"),
        (ProposalStatus.REJECTED, "x" * 5001, "höchstens 5000 Zeichen"),
    ],
)
def test_bad_input_changes_nothing(project, admin, status, response, message):
    proposal = ProposalFactory(project=project)
    with pytest.raises(ValidationError, match=message):
        status_set(user=admin, proposal=proposal, status=status, response=response)
    assert Proposal.objects.get().status == ProposalStatus.SUBMITTED
    assert not ProposalStatusChange.objects.exists()


def test_status_page_and_detail(client, project, admin):
    proposal = ProposalFactory(project=project)
    client.force_login(admin)
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert "Status und Rückmeldung (Verwaltung)" in detail
    response = client.post(
        f"/vorschlaege/{proposal.pk}/status/", {"status": "rejected", "response": ""}
    )
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    response = client.post(
        f"/vorschlaege/{proposal.pk}/status/",
        {"status": "rejected", "response": "Dort liegt eine **Leitung**."},
        follow=True,
    )
    content = response.content.decode()
    assert "Status und Rückmeldung sind veröffentlicht." in content
    assert "Rückmeldung der Verwaltung" in content and "<strong>Leitung</strong>" in content
    client.force_login(UserFactory())
    assert (
        client.post(
            f"/vorschlaege/{proposal.pk}/status/", {"status": "accepted", "response": "Hack"}
        ).status_code
        == 404
    )
    assert (
        "Status und Rückmeldung (Verwaltung)"
        not in client.get(proposal.get_absolute_url()).content.decode()
    )
    assert Proposal.objects.get().status == ProposalStatus.REJECTED
