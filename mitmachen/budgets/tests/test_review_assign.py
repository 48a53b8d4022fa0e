"""The feasibility review: an assigned reviewer and the administration's time frame."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.budgets import services
from mitmachen.budgets.models import IDEA_ASSIGNED, VOTE, Idea
from mitmachen.budgets.tests.conftest import set_budget_phase
from mitmachen.notifications.models import Notification
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(project):
    user = MembershipFactory(organisation=project.organisation, role=Role.PROJECT_MANAGER).user
    project.managers.add(user)
    return user


@pytest.fixture
def idea(budget, town):
    return services.idea_submit(
        author=UserFactory(),
        budget=budget,
        group=town,
        title="Trinkbrunnen",
        description="Am Markt.",
        estimated_cost=400,
    )


def test_staff_assign_a_reviewer_who_is_told(idea, manager, colleague):
    services.idea_assign_reviewer(user=manager, idea=idea, reviewer=colleague)
    assert Idea.objects.get(pk=idea.pk).reviewer == colleague
    note = Notification.objects.get(recipient=colleague, kind=IDEA_ASSIGNED)
    assert "Trinkbrunnen" in note.title
    services.idea_assign_reviewer(user=manager, idea=idea, reviewer=None)
    assert Idea.objects.get(pk=idea.pk).reviewer is None


def test_assignment_refusals_change_nothing(idea, manager, resident, project):
    with pytest.raises(ValidationError, match="Verwaltung des Projekts"):
        services.idea_assign_reviewer(user=manager, idea=idea, reviewer=resident)
    with pytest.raises(PermissionDenied):
        services.idea_assign_reviewer(user=resident, idea=idea, reviewer=manager)
    set_budget_phase(project, [VOTE])
    with pytest.raises(PermissionDenied, match="Abstimmung hat begonnen"):
        services.idea_assign_reviewer(user=manager, idea=idea, reviewer=manager)
    assert Idea.objects.get(pk=idea.pk).reviewer is None


def test_time_frame_is_stored_with_a_feasible_review(idea, manager):
    services.idea_review(
        user=manager,
        idea=idea,
        feasible=True,
        explanation="Machbar.",
        official_cost=450,
        time_frame="  2027,   2. Halbjahr ",
    )
    assert Idea.objects.get(pk=idea.pk).time_frame == "2027, 2. Halbjahr"
    with pytest.raises(ValidationError) as error:
        services.idea_review(
            user=manager,
            idea=idea,
            feasible=True,
            explanation="Machbar.",
            official_cost=450,
            time_frame="x" * 201,
        )
    assert "time_frame" in error.value.message_dict
    assert Idea.objects.get(pk=idea.pk).time_frame == "2027, 2. Halbjahr"
    services.idea_review(user=manager, idea=idea, feasible=False, explanation="Doch nicht.")
    assert Idea.objects.get(pk=idea.pk).time_frame == ""


def test_assign_and_review_through_the_pages(client, idea, manager, colleague, resident):
    client.force_login(resident)
    assert client.post(reverse("budgets:assign", args=[idea.pk])).status_code == 404
    client.force_login(manager)
    review = reverse("budgets:review", args=[idea.pk])
    assert "Zuständig für die Prüfung" in client.get(review).content.decode()
    response = client.post(
        reverse("budgets:assign", args=[idea.pk]), {"reviewer": colleague.pk}, follow=True
    )
    assert "Zuständig für die Prüfung:" in response.content.decode()
    assert Idea.objects.get(pk=idea.pk).reviewer == colleague
    response = client.post(
        reverse("budgets:assign", args=[idea.pk]), {"reviewer": "999999"}, follow=True
    )
    assert "Bitte wählen Sie eine Person aus der Liste." in response.content.decode()
    assert Idea.objects.get(pk=idea.pk).reviewer == colleague
    client.post(
        review,
        {
            "feasible": "ja",
            "official_cost": "450",
            "time_frame": "Frühjahr 2027",
            "explanation": "Der Bauhof stellt ihn auf.",
        },
    )
    detail = client.get(idea.get_absolute_url()).content.decode()
    assert "Zeitrahmen laut Verwaltung" in detail and "Frühjahr 2027" in detail
