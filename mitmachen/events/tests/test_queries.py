"""Bounded queries: the calendar with 2,000 events, an event with 500 registrations."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.events.models import Event, Kind, Registration

pytestmark = pytest.mark.django_db


def _many_events(region, project, n):
    start = timezone.now() + timedelta(days=1)
    events = Event.objects.bulk_create(
        Event(
            organisation=region["organisation"],
            district=region["west"] if i % 2 else region["east"],
            kind=Kind.WORKSHOP,
            title=f"Termin {i}",
            starts_at=start + timedelta(hours=5 * i),
            ends_at=start + timedelta(hours=5 * i + 1),
            place_name="Rathaus",
            is_published=True,
        )
        for i in range(n)
    )
    Event.projects.through.objects.bulk_create(
        Event.projects.through(event=e, project=project) for e in events
    )
    return events


@pytest.mark.parametrize("n", [3, 2000])
def test_calendar_queries_do_not_grow(client, region, project, n, django_assert_max_num_queries):
    _many_events(region, project, n)
    month = (timezone.localdate() + timedelta(days=2)).strftime("%Y-%m")
    with django_assert_max_num_queries(10):
        list_page = client.get(reverse("events:calendar"), {"projekt": project.slug})
    with django_assert_max_num_queries(10):
        month_page = client.get(reverse("events:calendar"), {"ansicht": "monat", "monat": month})
    assert list_page.status_code == month_page.status_code == 200
    assert "Termin 0" in list_page.content.decode()


@pytest.mark.parametrize("n", [3, 500])
def test_event_page_and_attendees_with_many_registrations(
    client, event, organiser, n, django_assert_max_num_queries
):
    event.capacity = 250
    event.save()
    users = UserFactory.create_batch(n)
    Registration.objects.bulk_create(
        Registration(
            event=event,
            user=u,
            status="angemeldet" if i < 250 else "warteliste",
            queued_at=timezone.now(),
        )
        for i, u in enumerate(users)
    )
    client.force_login(users[-1])
    with django_assert_max_num_queries(14):
        assert client.get(event.get_absolute_url()).status_code == 200
    client.force_login(organiser)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("events:attendees", args=[event.pk])).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("events:attendees_csv", args=[event.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("events:check_in", args=[event.pk])).status_code == 200


@pytest.mark.parametrize("n", [3, 300])
def test_sections_and_feeds_stay_bounded(client, region, project, n, django_assert_max_num_queries):
    _many_events(region, project, n)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("events:feed")).status_code == 200
    district = region["west"]
    with django_assert_max_num_queries(25):
        assert client.get(district.get_absolute_url()).status_code == 200


def _count(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_bench_pages_run_as_many_queries_with_few_and_many_events(client, region, project):
    """The pages ``make bench`` loads (``events/bench.py``): the filtered calendar, the
    month, the feeds – the same number of queries with 3 and 300 events."""
    district = region["west"]
    month = (timezone.localdate() + timedelta(days=2)).strftime("%Y-%m")
    paths = [
        f"{reverse('events:calendar')}?ortsteil={district.pk}&art=workshop",
        f"{reverse('events:calendar')}?ansicht=monat&monat={month}",
        reverse("events:feed"),
        reverse("events:feed_project", kwargs={"slug": project.slug}),
    ]
    few_events = _many_events(region, project, 3)
    few = [_count(client, path) for path in paths]
    Event.objects.filter(pk__in=[e.pk for e in few_events]).delete()
    _many_events(region, project, 300)
    many = [_count(client, path) for path in paths]
    assert few == many, (few, many)
