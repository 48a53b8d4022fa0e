"""Winning ideas become measures (``budgets.origin``, issue 15 §5): budget ideas are an
origin kind of the measures module; the idea page and the results page say what became
of a winner. Budgets import no measures code (``make lint``); the tests may."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.services import account_delete, personal_data_export
from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.budgets.models import VOTE, GroupResult, ResultState
from mitmachen.budgets.origin import ORIGIN, idea_won
from mitmachen.budgets.results import Election, compute
from mitmachen.budgets.tests.conftest import feasible_idea, set_budget_phase
from mitmachen.measures import services as measures_services
from mitmachen.measures.models import Measure, MeasureOrigin
from mitmachen.measures.tests.factories import GoalFactory
from mitmachen.notifications.models import Notification
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects import origins

pytestmark = pytest.mark.django_db


def decide_result(group, ideas, *, winners):
    """Store the group's result as the background task would: everyone voted for the
    ``winners``, nobody for the rest (so they lose under both rules)."""
    costs = {idea.pk: idea.cost for idea in ideas}
    election = Election(
        costs=costs,
        budget=sum(costs.values()),
        ballots=[frozenset(idea.pk for idea in winners)] * 3,
    )
    data = compute(election, binding=group.budget.result_rule)
    data.update(paper_ballots=0, online_ballots=3, paper_votes={}, corrections=[])
    GroupResult.objects.update_or_create(
        group=group,
        defaults={"state": ResultState.DONE, "data": data, "computed_at": timezone.now()},
    )


@pytest.fixture
def decided(ballot_open, town, project):
    """The ballot is over: of the three town ideas, the first two won, the third lost."""
    won_a, won_b, lost, west_idea = ballot_open
    set_budget_phase(project, [VOTE], when="past")
    decide_result(town, [won_a, won_b, lost], winners=[won_a, won_b])
    decide_result(west_idea.group, [west_idea], winners=[])
    return won_a, won_b, lost


@pytest.fixture
def goal(project):
    return GoalFactory(field__organisation=project.organisation, title="Spielplätze")


def test_budget_ideas_declare_themselves_as_an_origin():
    kind = origins.kind("buergerhaushalt")
    assert kind is ORIGIN
    assert kind.model == "budgets.Idea" and kind.footer == "budget_idea.footer"


def test_only_a_winner_of_the_binding_result_is_ready(ballot_open, town, project):
    first = ballot_open[0]
    assert not idea_won(first)  # the ballot is still open: nothing has won yet
    set_budget_phase(project, [VOTE], when="past")
    decide_result(town, ballot_open[:3], winners=[first])
    assert idea_won(first)
    assert not idea_won(ballot_open[1])


def test_a_winning_idea_becomes_a_measure_and_its_author_is_told(
    decided, manager, goal, django_capture_on_commit_callbacks
):
    idea = decided[0]
    with django_capture_on_commit_callbacks(execute=True):
        measure = measures_services.measure_from_origin(user=manager, origin=idea, goal=goal)
    assert measure.title == idea.title and measure.project_id == idea.project_id
    assert MeasureOrigin.objects.get().object_id == idea.pk
    note = Notification.objects.get(recipient=idea.author, kind="measure_from_origin")
    assert idea.title in note.title


def test_a_losing_idea_cannot_become_a_measure(client, decided, manager, goal):
    lost = decided[2]
    with pytest.raises(PermissionDenied, match="Daraus kann noch keine Maßnahme werden"):
        measures_services.measure_from_origin(user=manager, origin=lost, goal=goal)
    # Through the page: a German message on the idea, nothing stored.
    client.force_login(manager)
    url = reverse("measures:from_origin", args=["buergerhaushalt", lost.pk])
    response = client.post(url, {"goal": goal.pk, "title": "X", "published": "on"}, follow=True)
    assert "Daraus kann noch keine Maßnahme werden." in response.content.decode()
    assert response.redirect_chain[-1][0] == lost.get_absolute_url()
    assert not Measure.objects.exists()


@pytest.mark.parametrize("who", ["resident", "moderator", "stranger_staff"])
def test_only_the_municipality_managers_convert(request, who, decided, goal, project):
    user = {
        "resident": lambda: UserFactory(),
        "moderator": lambda: (
            MembershipFactory(organisation=project.organisation, role=Role.MODERATOR).user
        ),
        "stranger_staff": lambda: (
            MembershipFactory(organisation=OrganisationFactory(), role=Role.ADMIN).user
        ),
    }[who]()
    with pytest.raises(PermissionDenied, match="Nur die Verwaltung der Kommune"):
        measures_services.measure_from_origin(user=user, origin=decided[0], goal=goal)
    client = request.getfixturevalue("client")
    client.force_login(user)
    url = reverse("measures:from_origin", args=["buergerhaushalt", decided[0].pk])
    assert client.post(url, {"goal": goal.pk, "title": "X"}).status_code == 404
    page = client.get(decided[0].get_absolute_url()).content.decode()
    assert "Maßnahme daraus machen" not in page
    assert not Measure.objects.exists()


def test_the_idea_page_offers_staff_the_conversion_then_shows_the_measure(
    client, decided, manager, goal
):
    idea, _other, lost = decided
    client.force_login(manager)
    assert "Maßnahme daraus machen" in client.get(idea.get_absolute_url()).content.decode()
    assert "Maßnahme daraus machen" not in client.get(lost.get_absolute_url()).content.decode()
    url = reverse("measures:from_origin", args=["buergerhaushalt", idea.pk])
    form = client.get(url)
    assert form.status_code == 200 and idea.title in form.content.decode()
    response = client.post(
        url, {"goal": goal.pk, "title": "Spielplatz Teichstraße", "published": "on"}
    )
    measure = Measure.objects.get()
    assert response.status_code == 302 and response.url == measure.get_absolute_url()
    client.logout()
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Daraus wurde die Maßnahme" in page and "Spielplatz Teichstraße" in page
    assert "(Stand: geplant, 0 %)" in page
    assert "Idee im Bürgerhaushalt" in client.get(measure.get_absolute_url()).content.decode()


def test_the_results_page_shows_each_winners_measure_or_none(
    client, decided, manager, goal, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    won_a, won_b, lost = decided
    measure = measures_services.measure_from_origin(
        user=manager, origin=won_a, goal=goal, title="Neue Bänke am Teich"
    )
    Measure.objects.filter(pk=measure.pk).update(progress=40)
    url = reverse("budgets:results", args=[won_a.budget_id])
    page = client.get(url).content.decode()
    assert "Was aus den gewählten Ideen in „Ganze Stadt“ wurde" in page
    part = page.split("Was aus den gewählten Ideen")[1].split("</ul>")[0]
    assert "Neue Bänke am Teich" in part and "(Stand: geplant, 40 %)" in part
    assert won_b.title in part and "noch keine Maßnahme." in part
    assert lost.title not in part
    # A draft measure shows to the municipality's staff only.
    Measure.objects.filter(pk=measure.pk).update(published=False)
    assert "Neue Bänke am Teich" not in client.get(url).content.decode()
    client.force_login(manager)
    assert "Neue Bänke am Teich" in client.get(url).content.decode()


def _results_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode().count("Daraus wurde die Maßnahme")


@pytest.mark.parametrize("signed_in", [False, True])
def test_results_page_queries_do_not_grow_with_winners(
    client, budget, town, west, manager, goal, project, settings, signed_in
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    if signed_in:
        client.force_login(manager)
    ideas = []

    def grow(total):
        while len(ideas) < total:
            ideas.append(feasible_idea(budget, town, 10, manager=manager))
        set_budget_phase(project, [VOTE], when="past")
        decide_result(town, ideas, winners=ideas)
        for idea in ideas:
            if not MeasureOrigin.objects.filter(object_id=idea.pk).exists():
                measures_services.measure_from_origin(user=manager, origin=idea, goal=goal)
        set_budget_phase(project, [VOTE], when="past")

    url = reverse("budgets:results", args=[budget.pk])
    grow(5)
    decide_result(west, [], winners=[])
    client.get(url)  # warm-up: content types
    few, shown = _results_queries(client, url)
    assert shown == 5
    grow(50)
    many, shown = _results_queries(client, url)
    assert shown == 50
    assert many == few


def test_deleting_the_author_keeps_the_measure_and_meine_daten_unchanged(decided, manager, goal):
    idea = decided[0]
    author = idea.author
    before = personal_data_export(user=author)["buergerhaushalt"]
    measures_services.measure_from_origin(user=manager, origin=idea, goal=goal)
    assert personal_data_export(user=author)["buergerhaushalt"] == before
    account_delete(user=author)
    idea.refresh_from_db()
    assert idea.author_id is None
    assert MeasureOrigin.objects.get().object_id == idea.pk
    # Nobody is left to tell.
    assert list(ORIGIN.people(idea)) == []


def test_deleting_a_winning_idea_removes_the_reference(
    decided, manager, goal, django_capture_on_commit_callbacks
):
    idea = decided[0]
    measure = measures_services.measure_from_origin(user=manager, origin=idea, goal=goal)
    with django_capture_on_commit_callbacks(execute=True):
        idea.delete()
    assert Measure.objects.filter(pk=measure.pk).exists()
    assert not MeasureOrigin.objects.exists()


def test_a_result_without_any_module_reading_outcomes_says_nothing(client, decided, monkeypatch):
    monkeypatch.setattr(origins, "_readers", [])
    page = client.get(reverse("budgets:results", args=[decided[0].budget_id])).content.decode()
    assert "Was aus den gewählten Ideen" not in page and "noch keine Maßnahme" not in page
