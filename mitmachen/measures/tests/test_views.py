from __future__ import annotations

import pytest
from django.urls import reverse

from mitmachen.measures.models import Measure, MeasureFollow, MeasureUpdate
from mitmachen.measures.tests.factories import (
    FieldOfActionFactory,
    GoalFactory,
    MeasureFactory,
    default_status,
)
from mitmachen.proposals.models import ProposalStatus
from mitmachen.proposals.tests.factories import ProposalFactory


@pytest.fixture
def catalogue(organisation, region, project):
    field = FieldOfActionFactory(organisation=organisation, title="Mobilität")
    goal = GoalFactory(field=field, title="Zum Bahnhof")
    bus = MeasureFactory(goal=goal, title="Rufbus", progress=40, project=project)
    bus.districts.set([region["west"]])
    done = MeasureFactory(goal=goal, title="Radbügel", progress=100, status=default_status("done"))
    done.districts.set([region["east"]])
    draft = MeasureFactory(goal=goal, title="Geheimer Entwurf", published=False)
    return {"bus": bus, "done": done, "draft": draft, "goal": goal}


def overview(organisation, **params):
    return reverse("measures:overview", args=[organisation.slug]), params


def test_overview_shows_tree_progress_and_hides_drafts(client, organisation, catalogue):
    url, _ = overview(organisation)
    page = client.get(url).content.decode()
    assert "Mobilität" in page and "Rufbus" in page and "Radbügel" in page
    assert "Geheimer Entwurf" not in page
    assert "40 %" in page and "70 %" in page  # goal: (40 + 100) / 2


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"status": "done"}, "Radbügel", "Rufbus"),
        ({"ortsteil": "west"}, "Rufbus", "Radbügel"),
        ({"projekt": "zukunft"}, "Rufbus", "Radbügel"),
    ],
)
def test_filters_work_without_javascript(client, organisation, catalogue, params, shown, hidden):
    url, _ = overview(organisation)
    page = client.get(url, params).content.decode()
    assert shown in page and hidden not in page
    assert "70 %" in page  # the goal's figure is over all its measures, not the filtered ones


def test_a_bad_filter_value_is_reported_not_an_error(client, organisation, catalogue):
    url, _ = overview(organisation)
    response = client.get(url, {"status": "erfunden", "ortsteil": "nirgendwo"})
    assert response.status_code == 200
    assert "nicht angewendet" in response.content.decode()


def test_measure_page_and_draft_404(client, catalogue):
    page = client.get(catalogue["bus"].get_absolute_url()).content.decode()
    assert "Rufbus" in page and "40 %" in page
    assert client.get(catalogue["draft"].get_absolute_url()).status_code == 404


def test_follow_and_unfollow(client, resident, catalogue):
    client.force_login(resident)
    url = reverse("measures:follow", args=[catalogue["bus"].pk])
    client.post(url)
    assert MeasureFollow.objects.filter(user=resident).count() == 1
    client.post(url, {"folgen": "0"})
    assert not MeasureFollow.objects.exists()


def test_staff_post_an_update_from_the_page(client, manager, resident, catalogue):
    url = reverse("measures:update", args=[catalogue["bus"].pk])
    client.force_login(resident)
    assert client.post(url, {"text": "Hallo"}).status_code == 404
    client.force_login(manager)
    response = client.post(url, {"text": "Der Bus fährt ab Mai.", "status": ""})
    assert response.status_code == 302
    assert MeasureUpdate.objects.get().text == "Der Bus fährt ab Mai."
    page = client.get(catalogue["bus"].get_absolute_url()).content.decode()
    assert "Der Bus fährt ab Mai." in page


def test_discarding_without_reason_shows_the_error_and_stores_nothing(client, manager, catalogue):
    client.force_login(manager)
    url = reverse("measures:update", args=[catalogue["bus"].pk])
    response = client.post(url, {"text": "Leider nicht.", "status": default_status("discarded").pk})
    assert response.status_code == 200
    assert "begründen" in response.content.decode()
    assert not MeasureUpdate.objects.exists()


def test_feeds(client, organisation, manager, catalogue):
    MeasureUpdate.objects.create(measure=catalogue["bus"], author=manager, text="Neu: Takt")
    MeasureUpdate.objects.create(measure=catalogue["draft"], author=manager, text="Geheim")
    feed = client.get(reverse("measures:feed", args=[organisation.slug]))
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert "Neu: Takt" in body and "Geheim" not in body
    assert (
        client.get(reverse("measures:measure_feed", args=[catalogue["draft"].pk])).status_code
        == 404
    )


def test_staff_turn_a_proposal_into_a_measure_and_the_proposal_page_says_so(
    client, project, manager, goal
):
    proposal = ProposalFactory(project=project, status=ProposalStatus.ACCEPTED, title="Bänke")
    client.force_login(manager)
    page = client.get(proposal.get_absolute_url()).content.decode()
    url = reverse("measures:from_proposal", args=[proposal.pk])
    assert url in page
    response = client.post(url, {"goal": goal.pk, "title": "Bänke am Markt", "published": "on"})
    measure = Measure.objects.get()
    assert response.status_code == 302 and response["Location"] == measure.get_absolute_url()
    client.logout()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Daraus wurde die Maßnahme" in page and "Bänke am Markt" in page
    assert "(Stand: in Umsetzung, 0 %)" in page or "(Stand: geplant, 0 %)" in page


def test_the_conversion_page_is_not_for_residents(client, project, resident):
    proposal = ProposalFactory(project=project, status=ProposalStatus.ACCEPTED)
    client.force_login(resident)
    assert client.get(reverse("measures:from_proposal", args=[proposal.pk])).status_code == 404


def test_sections_on_municipality_district_and_project_pages(
    client, organisation, region, project, catalogue
):
    municipality = client.get(organisation.get_absolute_url()).content.decode()
    assert "Mobilität" in municipality and "70 %" in municipality  # the field's roll-up
    assert "Rufbus" in client.get(region["west"].get_absolute_url()).content.decode()
    assert "Rufbus" in client.get(project.get_absolute_url()).content.decode()
