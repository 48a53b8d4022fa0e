"""Staff run the catalogue in the admin, scoped to their municipality, through the services."""

from __future__ import annotations

from django.urls import reverse

from mitmachen.measures.models import Measure
from mitmachen.measures.tests.factories import GoalFactory, MeasureFactory, default_status


def _form(goal, **extra):
    data = {
        "goal": goal.pk,
        "title": "Bänke am Markt",
        "description": "",
        "published": "on",
        "responsible": "Bauamt",
        "status": default_status("in_progress").pk,
        "status_reason": "",
        "priority": "medium",
        "progress_mode": "milestones",
        "progress_manual": "0",
        "weight": "1",
        "cost": "",
        "funding_source": "",
        "latitude": "",
        "longitude": "",
        "milestones-TOTAL_FORMS": "2",
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
        "milestones-0-title": "Standorte",
        "milestones-0-weight": "1",
        "milestones-0-done": "on",
        "milestones-1-title": "Aufstellen",
        "milestones-1-weight": "3",
    }
    data.update(extra)
    return data


def test_manager_adds_a_measure_with_milestones_and_progress_follows(client, goal, manager):
    client.force_login(manager)
    response = client.post(reverse("admin:measures_measure_add"), _form(goal))
    assert response.status_code == 302, response.content.decode()[:3000]
    measure = Measure.objects.get()
    assert measure.organisation == goal.field.organisation
    assert measure.progress == 25


def test_a_goal_of_another_municipality_is_not_offered(client, goal, manager):
    other = GoalFactory()
    client.force_login(manager)
    response = client.post(reverse("admin:measures_measure_add"), _form(other))
    assert response.status_code == 200
    assert not Measure.objects.exists()


def test_discarded_without_reason_is_an_error_at_the_field(client, goal, manager):
    client.force_login(manager)
    data = _form(goal, status=default_status("discarded").pk)
    response = client.post(reverse("admin:measures_measure_add"), data)
    assert response.status_code == 200
    assert "begründen" in response.content.decode()
    assert not Measure.objects.exists()


def test_lists_are_scoped(client, goal, stranger_staff, manager):
    MeasureFactory(goal=goal, title="Unsere Maßnahme")
    client.force_login(stranger_staff)
    page = client.get(reverse("admin:measures_measure_changelist")).content.decode()
    assert "Unsere Maßnahme" not in page
    client.force_login(manager)
    page = client.get(reverse("admin:measures_measure_changelist")).content.decode()
    assert "Unsere Maßnahme" in page
