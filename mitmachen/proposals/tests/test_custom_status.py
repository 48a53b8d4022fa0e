"""Custom statuses per project, and the counts by channel on the list."""

import pytest
from django.core.exceptions import ValidationError

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.channels import Channel
from mitmachen.moderation.services import hide
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.projects.tests.factories import ProjectFactory
from mitmachen.proposals.models import CustomStatus, ProposalStatus
from mitmachen.proposals.services import status_set, support_add
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(project):
    return MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user


@pytest.fixture
def forwarded(project):
    return CustomStatus.objects.create(
        project=project, name="An den Ortsbeirat weitergeleitet", base=ProposalStatus.IN_REVIEW
    )


def test_custom_status_stands_for_its_base(client, project, admin, forwarded):
    proposal = ProposalFactory(project=project)
    status_set(
        user=admin, proposal=proposal, custom_status=forwarded, response="Liegt dem Ortsbeirat vor."
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_REVIEW
    assert proposal.status_label == "An den Ortsbeirat weitergeleitet"
    assert proposal.status_changes.get().status_label == "An den Ortsbeirat weitergeleitet"
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "An den Ortsbeirat weitergeleitet" in page
    listing = client.get(f"/projekte/{project.slug}/vorschlaege/").content.decode()
    assert "An den Ortsbeirat weitergeleitet" in listing
    # A standard status afterwards clears the custom one.
    status_set(user=admin, proposal=proposal, status=ProposalStatus.ACCEPTED, response="Ja.")
    proposal.refresh_from_db()
    assert proposal.custom_status is None and proposal.status_label == "angenommen"


def test_custom_status_of_another_project_is_refused(project, admin):
    other = CustomStatus.objects.create(project=ProjectFactory(), name="Fremd")
    proposal = ProposalFactory(project=project)
    with pytest.raises(ValidationError):
        status_set(user=admin, proposal=proposal, custom_status=other, response="x")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED and not proposal.status_changes.exists()


def test_staff_form_offers_and_validates_custom_statuses(client, project, admin, forwarded):
    proposal = ProposalFactory(project=project)
    client.force_login(admin)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert f'value="eigen-{forwarded.pk}"' in page
    response = client.post(
        f"/vorschlaege/{proposal.pk}/status/", {"status": "eigen-999", "response": "x"}
    )
    assert response.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in response.content.decode()
    response = client.post(
        f"/vorschlaege/{proposal.pk}/status/",
        {"status": f"eigen-{forwarded.pk}", "response": "Weitergeleitet."},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.custom_status == forwarded


def test_filter_by_custom_or_base_status(client, project, admin, forwarded):
    plain = ProposalFactory(project=project, title="Nur in Prüfung")
    status_set(user=admin, proposal=plain, status=ProposalStatus.IN_REVIEW, response="x")
    custom = ProposalFactory(project=project, title="Beim Ortsbeirat")
    status_set(user=admin, proposal=custom, custom_status=forwarded, response="x")
    url = f"/projekte/{project.slug}/vorschlaege/"
    only_custom = client.get(f"{url}?status=eigen-{forwarded.pk}").content.decode()
    assert "Beim Ortsbeirat" in only_custom and "Nur in Prüfung" not in only_custom
    by_base = client.get(f"{url}?status=in_review").content.decode()
    assert "Beim Ortsbeirat" in by_base and "Nur in Prüfung" in by_base
    invalid = client.get(f"{url}?status=eigen-abc")
    assert invalid.status_code == 200
    assert "nicht angewendet" in invalid.content.decode()
    geojson = client.get(f"/projekte/{project.slug}/vorschlaege.geojson").json()
    assert geojson["features"] == []  # no points; the label mapping must not fail


def test_quorum_replaces_a_custom_status_that_stands_for_submitted(project, admin):
    project.support_quorum = 1
    project.save()
    received = CustomStatus.objects.create(
        project=project, name="Im Bürgerbüro angekommen", base=ProposalStatus.SUBMITTED
    )
    proposal = ProposalFactory(project=project)
    status_set(user=admin, proposal=proposal, custom_status=received, response="Danke!")
    support_add(user=UserFactory(), proposal=proposal, notify=False)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.QUORUM_REACHED and proposal.custom_status is None


def test_channel_counts_on_the_list(client, project, region):
    moderator = MembershipFactory(organisation=region["organisation"], role=Role.MODERATOR).user
    for _ in range(3):
        ProposalFactory(project=project)
    ProposalFactory(project=project, channel=Channel.MARKET_STAND)
    spam = ProposalFactory(project=project, channel=Channel.LETTER)
    hide(moderator=moderator, target=spam, reason="Werbung")
    content = client.get(f"/projekte/{project.slug}/vorschlaege/").content.decode()
    assert "Wo die Vorschläge eingingen" in content
    assert '<a class="kern-link" href="?kanal=online">online</a>: 3' in content
    assert '<a class="kern-link" href="?kanal=market_stand">Marktstand</a>: 1' in content
    assert "?kanal=letter" not in content  # only the hidden one came by letter
