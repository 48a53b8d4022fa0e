"""Ideas as a moderation target (reported by residents, hidden and shown by moderators,
authors told) and ideas entered by staff from offline channels."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.budgets import services
from mitmachen.budgets.models import SUBMIT_IDEA, VOTE, Ballot, Idea
from mitmachen.budgets.tests.conftest import feasible_idea, set_budget_phase
from mitmachen.core.channels import Channel
from mitmachen.moderation.models import ModerationAction, Report
from mitmachen.moderation.services import hide, report_create, restore
from mitmachen.notifications.models import Notification
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(region):
    return MembershipFactory(organisation=region["organisation"], role=Role.MODERATOR).user


@pytest.fixture
def idea(budget, town, resident):
    return services.idea_submit(
        author=resident,
        budget=budget,
        group=town,
        title="Werbung für meinen Laden",
        description="Kaufen Sie bei uns.",
        estimated_cost=300,
    )


def test_residents_report_moderators_hide_and_show_the_author_is_told(
    client, idea, resident, moderator, django_capture_on_commit_callbacks, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    reporter = UserFactory()
    client.force_login(reporter)
    page = client.get(idea.get_absolute_url()).content.decode()
    report_url = f"/melden/buergerhaushalt-idee/{idea.pk}/"
    assert report_url in page, "the idea page draws the footer with the report link"
    assert client.get(report_url).status_code == 200
    report_create(reporter=reporter, target=idea, reason="spam")
    assert Report.objects.filter(target_kind="budget_idea").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert hide(moderator=moderator, target=idea, reason="Werbung")
    idea.refresh_from_db()
    assert idea.is_hidden
    told = Notification.objects.get(recipient=resident, kind="content_hidden")
    assert told.url == idea.get_absolute_url() and told.text == "Werbung"
    log = ModerationAction.objects.get(target_kind="budget_idea")
    assert "Werbung für meinen Laden" in log.subject
    # The public no longer sees it: not in the list, not on its page; the author learns why.
    budget_page = client.get(idea.budget.get_absolute_url()).content.decode()
    assert "Werbung für meinen Laden" not in budget_page
    hidden_page = client.get(idea.get_absolute_url()).content.decode()
    assert "Ausgeblendete Idee" in hidden_page and "Werbung für meinen Laden" not in hidden_page
    client.force_login(resident)
    assert "Begründung: Werbung" in client.get(idea.get_absolute_url()).content.decode()
    # Staff of the municipality see it, marked.
    client.force_login(moderator)
    assert "Von der Moderation ausgeblendet" in client.get(idea.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert restore(moderator=moderator, target=idea, reason="Doch in Ordnung")
    client.force_login(reporter)
    assert "Werbung für meinen Laden" in client.get(idea.budget.get_absolute_url()).content.decode()


def test_a_hidden_idea_leaves_the_ballot_and_its_votes_count_for_nothing(
    budget, town, manager, moderator, project, resident
):
    a = feasible_idea(budget, town, 400, manager=manager)
    b = feasible_idea(budget, town, 300, manager=manager)
    set_budget_phase(project, [VOTE])
    services.ballot_submit(voter=resident, group=town, idea_ids=[a.pk, b.pk])
    hide(moderator=moderator, target=a, reason="Beleidigend")
    with pytest.raises(ValidationError, match="nicht zur Wahl"):
        services.ballot_submit(voter=UserFactory(), group=town, idea_ids=[a.pk])
    election = services.election_of(town)
    assert set(election.costs) == {b.pk}
    assert election.ballots == [frozenset({b.pk})]


def test_staff_enter_an_offline_idea_with_its_channel(client, budget, town, manager, region):
    url = reverse("budgets:idea_offline_create", args=[budget.pk])
    client.force_login(manager)
    assert client.get(url).status_code == 200
    day = timezone.localdate() - timedelta(days=2)
    data = {
        "channel": Channel.MARKET_STAND,
        "submitted_on": day.isoformat(),
        "offline_place": "Marktstand auf dem Wochenmarkt",
        "offline_name": "Erika Muster",
        "offline_consent": "",  # no consent: the name is not stored
        "group": town.pk,
        "title": "Bänke am Teich",
        "description": "Drei Bänke mit Lehne.",
        "estimated_cost": "900",
        "district": region["west"].pk,
        "weiter": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302 and "kanal=market_stand" in response.url
    idea = Idea.objects.get(title="Bänke am Teich")
    assert idea.author is None and idea.entered_by == manager
    assert idea.channel == Channel.MARKET_STAND and idea.submitted_on == day
    assert idea.offline_name == "" and idea.public_author() != "Erika Muster"
    # The next entry starts with the channel, day and place of the batch.
    form_page = client.get(response.url).content.decode()
    assert 'value="Marktstand auf dem Wochenmarkt"' in form_page
    client.post(url, {**data, "title": "Laterne", "offline_consent": "on", "weiter": ""})
    named = Idea.objects.get(title="Laterne")
    assert named.offline_name == "Erika Muster" and named.public_author() == "Erika Muster"
    page = client.get(named.get_absolute_url()).content.decode()
    assert "über Marktstand am" in page and "Marktstand auf dem Wochenmarkt" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"channel": ""}, "Bitte wählen Sie, wo die Idee einging."),
        ({"channel": "online"}, "Bitte wählen Sie, wo die Idee einging."),
        ({"submitted_on": "2999-01-01"}, "Das Datum liegt in der Zukunft."),
        ({"offline_place": ""}, "Bitte geben Sie an, wo die Idee abgegeben wurde."),
        ({"estimated_cost": "-5"}, "Der Betrag muss mindestens 1 € sein."),
        ({"estimated_cost": "999999999"}, "unrealistisch hoch"),
        ({"offline_consent": "on", "offline_name": ""}, "Bitte den Namen angeben"),
    ],
)
def test_bad_offline_input_gets_a_german_message_and_stores_nothing(
    client, budget, town, manager, change, message
):
    client.force_login(manager)
    data = {
        "channel": Channel.LETTER,
        "submitted_on": timezone.localdate().isoformat(),
        "offline_place": "Brief an das Rathaus",
        "group": town.pk,
        "title": "Idee per Brief",
        "description": "Text",
        "estimated_cost": "100",
        **change,
    }
    response = client.post(reverse("budgets:idea_offline_create", args=[budget.pk]), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Idea.objects.exists()


def test_only_staff_enter_offline_ideas_and_not_once_the_ballot_began(
    client, budget, town, manager, resident, project
):
    url = reverse("budgets:idea_offline_create", args=[budget.pk])
    client.force_login(resident)
    assert client.get(url).status_code == 404
    origin = services.OfflineOrigin(
        channel=Channel.WORKSHOP, submitted_on=timezone.localdate(), place="Workshop"
    )
    with pytest.raises(PermissionDenied):
        services.idea_submit(
            author=None,
            budget=budget,
            group=town,
            title="T",
            description="D",
            estimated_cost=10,
            offline=origin,
            entered_by=resident,
        )
    # Staff may enter in any phase before the ballot (not only the idea phase) …
    set_budget_phase(project, [SUBMIT_IDEA], when="past")
    idea = services.idea_submit(
        author=None,
        budget=budget,
        group=town,
        title="T",
        description="D",
        estimated_cost=10,
        offline=origin,
        entered_by=manager,
    )
    assert idea.is_offline
    # … but not once the ballot has begun (the costs on the ballot are fixed).
    set_budget_phase(project, [VOTE])
    budget.project.refresh_from_db()
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 302
    assert not Ballot.objects.exists()
    assert Idea.objects.count() == 1
