from datetime import date, timedelta

import pytest
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.channels import Channel
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.proposals.models import Proposal

pytestmark = pytest.mark.django_db


def form_data(**extra):
    return {
        "channel": "market_stand",
        "submitted_on": "2026-05-12",
        "offline_place": "Marktstand auf dem Wochenmarkt",
        "offline_name": "Frau M.",
        "offline_consent": "on",
        "title": "Mehr Fahrradbügel",
        "text": "Am Bahnhof fehlen sie.",
    } | extra


@pytest.fixture
def staff(project):
    return MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user


def test_staff_enter_a_batch(client, project, staff):
    client.force_login(staff)
    url = f"/projekte/{project.slug}/vorschlaege/erfassen/"
    response = client.post(url, form_data(weiter="1"))
    assert response.status_code == 302
    assert (
        "kanal=market_stand" in response["Location"] and "datum=2026-05-12" in response["Location"]
    )
    page = client.get(response["Location"]).content.decode()
    assert "Erfasst: „Mehr Fahrradbügel“" in page
    assert 'value="Marktstand auf dem Wochenmarkt"' in page  # event details kept for the next
    proposal = Proposal.objects.get()
    assert proposal.channel == Channel.MARKET_STAND
    assert proposal.submitted_on == date(2026, 5, 12)
    assert proposal.entered_by == staff and proposal.author is None
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert "eingereicht über Marktstand (Marktstand auf dem Wochenmarkt) am 12. Mai 2026" in detail
    assert "Frau M." in detail


def test_name_is_only_stored_with_consent(client, project, staff):
    client.force_login(staff)
    client.post(
        f"/projekte/{project.slug}/vorschlaege/erfassen/",
        form_data(offline_consent="", offline_name="Herr K."),
    )
    proposal = Proposal.objects.get()
    assert proposal.offline_name == "" and not proposal.offline_consent
    assert "Herr K." not in client.get(proposal.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"channel": "online"}, "wo der Vorschlag einging"),
        ({"submitted_on": (timezone.localdate() + timedelta(days=2)).isoformat()}, "Zukunft"),
        ({"submitted_on": "31.02.2026"}, "gültiges Datum"),
        ({"offline_place": ""}, "wo der Vorschlag abgegeben wurde"),
        ({"offline_name": ""}, "Namen angeben"),
    ],
)
def test_bad_input_stores_nothing(client, project, staff, extra, message):
    client.force_login(staff)
    response = client.post(f"/projekte/{project.slug}/vorschlaege/erfassen/", form_data(**extra))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Proposal.objects.exists()


def test_residents_and_other_staff_cannot_enter(client, project):
    url = f"/projekte/{project.slug}/vorschlaege/erfassen/"
    assert client.get(url).status_code == 302  # to the login
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404
    client.force_login(MembershipFactory(role=Role.ADMIN).user)  # another municipality
    assert client.post(url, form_data()).status_code == 404
    moderator = MembershipFactory(organisation=project.organisation, role=Role.MODERATOR).user
    client.force_login(moderator)
    assert client.get(url).status_code == 404
    assert not Proposal.objects.exists()
