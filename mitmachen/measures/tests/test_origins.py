"""Origins other than proposals (``projects.origins``): a debate – declared by the debates
module – becomes a measure, shows "Daraus wurde …", and the measure lists it; measures
imports no debates code (``make lint``)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mitmachen.debates.tests.factories import DebateFactory
from mitmachen.measures import services
from mitmachen.measures.models import Measure, MeasureOrigin
from mitmachen.measures.origins import origins_of
from mitmachen.measures.tests.factories import GoalFactory, MeasureFactory
from mitmachen.notifications.models import Notification
from mitmachen.organisations.tests.factories import OrganisationFactory
from mitmachen.projects import origins
from mitmachen.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def debate(project):
    return DebateFactory(project=project, question="Soll der Markt autofrei werden?")


def test_debates_declare_themselves_as_an_origin():
    kind = origins.kind("debatte")
    assert kind.model == "debates.Debate"
    assert kind.footer == "debate.footer"


def test_a_debate_becomes_a_measure_and_its_author_is_told(
    debate, goal, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        measure = services.measure_from_origin(user=manager, origin=debate, goal=goal)
    assert measure.title == "Soll der Markt autofrei werden?"
    assert measure.description == debate.description
    assert measure.project == debate.project
    assert MeasureOrigin.objects.get().measure == measure
    note = Notification.objects.get(recipient=debate.author, kind="measure_from_origin")
    assert "Soll der Markt autofrei werden?" in note.title
    assert note.url == measure.get_absolute_url()


def test_a_contribution_becomes_a_measure_once(debate, goal, manager):
    services.measure_from_origin(user=manager, origin=debate, goal=goal, title="Autofreier Markt")
    with pytest.raises(ValidationError, match="Autofreier Markt"):
        services.measure_from_origin(user=manager, origin=debate, goal=goal)
    assert Measure.objects.count() == 1


@pytest.mark.parametrize("who", ["resident", "moderator", "stranger_staff"])
def test_only_the_municipality_managers_make_measures_of_contributions(request, who, debate, goal):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.measure_from_origin(user=user, origin=debate, goal=goal)
    assert not Measure.objects.exists()


def test_a_hidden_debate_does_not_become_a_measure(debate, goal, manager):
    from django.utils import timezone

    debate.hidden_at = timezone.now()
    debate.save()
    with pytest.raises(PermissionDenied, match="ausgeblendet"):
        services.measure_from_origin(user=manager, origin=debate, goal=goal)


def test_the_goal_must_be_of_the_contributions_municipality(debate, manager):
    foreign_goal = GoalFactory(field__organisation=OrganisationFactory())
    with pytest.raises((ValidationError, PermissionDenied)):
        services.measure_from_origin(user=manager, origin=debate, goal=foreign_goal)
    assert not Measure.objects.exists()


def test_several_contributions_feed_one_measure(project, goal, manager):
    measure = MeasureFactory(goal=goal)
    first, second = DebateFactory(project=project), DebateFactory(project=project)
    assert services.origin_add(user=manager, measure=measure, origin=first)
    assert services.origin_add(user=manager, measure=measure, origin=second)
    assert not services.origin_add(user=manager, measure=measure, origin=first)  # once
    assert [o.row for o in origins_of(manager, measure)] == [first, second]


def test_a_contribution_of_another_municipality_is_not_linked(goal, manager):
    measure = MeasureFactory(goal=goal)
    foreign = DebateFactory(project=ProjectFactory(organisation=OrganisationFactory()))
    with pytest.raises(PermissionDenied):
        services.origin_add(user=manager, measure=measure, origin=foreign)
    assert not MeasureOrigin.objects.exists()


def test_the_debate_page_says_what_became_of_it(client, debate, goal):
    measure = MeasureFactory(goal=goal, title="Autofreier Markt", progress=40)
    MeasureOrigin.objects.create(measure=measure, content_type_id=_type_id(), object_id=debate.pk)
    page = client.get(debate.get_absolute_url()).content.decode()
    assert "Daraus wurde die Maßnahme" in page
    assert measure.get_absolute_url() in page
    assert "40 %" in page
    assert reverse("measures:from_origin", args=["debatte", debate.pk]) not in page


def test_a_draft_measure_shows_under_the_debate_only_to_staff(client, debate, goal, manager):
    measure = MeasureFactory(goal=goal, title="Entwurf", published=False)
    MeasureOrigin.objects.create(measure=measure, content_type_id=_type_id(), object_id=debate.pk)
    assert "Entwurf" not in client.get(debate.get_absolute_url()).content.decode()
    client.force_login(manager)
    assert "Entwurf" in client.get(debate.get_absolute_url()).content.decode()


def test_the_measure_page_lists_a_debate_it_came_from(client, debate, goal):
    measure = MeasureFactory(goal=goal)
    MeasureOrigin.objects.create(measure=measure, content_type_id=_type_id(), object_id=debate.pk)
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "Debatte: <a" in page
    assert debate.get_absolute_url() in page


def test_a_hidden_debate_is_not_listed_on_the_measure_page(client, debate, goal):
    from django.utils import timezone

    measure = MeasureFactory(goal=goal)
    MeasureOrigin.objects.create(measure=measure, content_type_id=_type_id(), object_id=debate.pk)
    debate.hidden_at = timezone.now()
    debate.save()
    assert debate.get_absolute_url() not in client.get(measure.get_absolute_url()).content.decode()


def test_deleting_the_debate_removes_the_reference(
    debate, goal, django_capture_on_commit_callbacks
):
    measure = MeasureFactory(goal=goal)
    MeasureOrigin.objects.create(measure=measure, content_type_id=_type_id(), object_id=debate.pk)
    with django_capture_on_commit_callbacks(execute=True):
        debate.delete()
    assert not MeasureOrigin.objects.exists()
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_staff_turn_a_debate_into_a_measure_on_its_page(client, debate, goal, manager):
    client.force_login(manager)
    url = reverse("measures:from_origin", args=["debatte", debate.pk])
    assert url in client.get(debate.get_absolute_url()).content.decode()
    response = client.post(url, {"title": "", "published": "on"})
    assert response.status_code == 200
    assert "Bitte wählen Sie ein Ziel" in response.content.decode()
    assert not Measure.objects.exists()
    response = client.post(url, {"goal": goal.pk, "title": "Autofreier Markt", "published": "on"})
    measure = Measure.objects.get()
    assert response.url == measure.get_absolute_url()
    assert measure.title == "Autofreier Markt"
    # Once it is a measure, the page only links further measures.
    other = MeasureFactory(goal=goal, title="Zweite Maßnahme")
    page = client.get(url).content.decode()
    assert 'name="goal"' not in page
    response = client.post(url, {"measure": other.pk})
    assert response.url == other.get_absolute_url()
    assert MeasureOrigin.objects.filter(measure=other, object_id=debate.pk).exists()


def test_staff_unlink_a_contribution(client, debate, goal, manager):
    measure = MeasureFactory(goal=goal)
    reference = MeasureOrigin.objects.create(
        measure=measure, content_type_id=_type_id(), object_id=debate.pk
    )
    url = reverse("measures:origin_remove", args=[reference.pk])
    client.force_login(manager)
    assert url in client.get(measure.get_absolute_url()).content.decode()
    assert client.post(url).url == measure.get_absolute_url()
    assert not MeasureOrigin.objects.exists()


@pytest.mark.parametrize("who", ["resident", "moderator", "stranger_staff"])
def test_others_find_no_conversion_page(request, client, who, debate, goal):
    client.force_login(request.getfixturevalue(who))
    url = reverse("measures:from_origin", args=["debatte", debate.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"goal": goal.pk, "title": "X"}).status_code == 404
    assert url not in client.get(debate.get_absolute_url()).content.decode()
    assert not Measure.objects.exists()


def test_an_unknown_kind_is_not_found(client, manager):
    client.force_login(manager)
    assert client.get("/massnahmen/aus/unbekannt/1/").status_code == 404


def test_origin_queries_do_not_grow(client, project, goal):
    measure = MeasureFactory(goal=goal)
    debate = DebateFactory(project=project)
    MeasureOrigin.objects.create(measure=measure, content_type_id=_type_id(), object_id=debate.pk)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count(measure.get_absolute_url()), count(debate.get_absolute_url())
    for _ in range(15):
        other = DebateFactory(project=project)
        MeasureOrigin.objects.create(
            measure=measure, content_type_id=_type_id(), object_id=other.pk
        )
        more = MeasureFactory(goal=goal)
        MeasureOrigin.objects.create(measure=more, content_type_id=_type_id(), object_id=debate.pk)
    assert (count(measure.get_absolute_url()), count(debate.get_absolute_url())) == few


def _type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    from mitmachen.debates.models import Debate

    return ContentType.objects.get_for_model(Debate).pk
