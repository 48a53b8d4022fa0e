"""ProjectFilter (django-filter): parameters, labels and choices of the project list's form,
and invalid values that fail only their own field."""

from datetime import timedelta

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mitmachen.organisations.tests.factories import DistrictFactory, OrganisationFactory
from mitmachen.projects.filters import ProjectFilter
from mitmachen.projects.models import Project
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory, TopicFactory

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def filtered(query):
    data = QueryDict(query) if query else None
    return ProjectFilter(data, queryset=Project.objects.all().for_listing())


@pytest.fixture
def projects():
    town = OrganisationFactory(slug="stadt", name="Stadt Bad Belzig", short_name="Bad Belzig")
    village = DistrictFactory(organisation=town, name="Lübnitz")
    topic = TopicFactory(slug="mobilitaet")
    running = ProjectFactory(organisation=town, title="Läuft")
    running.topics.add(topic)
    running.districts.add(village)
    PhaseFactory(project=running)
    upcoming = ProjectFactory(title="Kommt")
    PhaseFactory(project=upcoming, start=timezone.now() + 5 * DAY, end=timezone.now() + 9 * DAY)
    return {"town": town, "village": village, "running": running, "upcoming": upcoming}


def test_form_keeps_the_german_parameters_labels_and_choices(projects):
    form = filtered("").form
    assert list(form.fields) == ["kommune", "thema", "ortsteil", "status"]
    assert [str(field.label) for field in form.fields.values()] == [
        "Kommune",
        "Thema",
        "Ortsteil",
        "Zeitraum",
    ]
    assert [str(label) for _value, label in form.fields["status"].choices] == [
        "alle",
        "demnächst",
        "läuft",
        "abgeschlossen",
    ]
    html = str(form["ortsteil"])
    assert '<select name="ortsteil" id="id_ortsteil">' in html
    assert '<option value="" selected>alle Ortsteile</option>' in html
    # Ortsteile of several municipalities in one list: each names its municipality.
    assert f'<option value="{projects["village"].pk}">Lübnitz (Bad Belzig)</option>' in html
    assert '<option value="stadt">' in str(form["kommune"])
    assert '<option value="mobilitaet">' in str(form["thema"])


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("kommune=stadt", ["Läuft"]),
        ("thema=mobilitaet", ["Läuft"]),
        ("status=upcoming", ["Kommt"]),
        ("status=running&kommune=stadt", ["Läuft"]),
    ],
)
def test_valid_filters_narrow_the_list(projects, query, titles):
    assert sorted(p.title for p in filtered(query).qs) == titles


def test_unknown_ortsteil_is_reported_and_ignored(projects):
    everything = sorted(p.title for p in filtered("").qs)
    unknown = filtered("ortsteil=999999&status=upcoming")
    # The same list as without the Ortsteil; the valid filter beside it still applies.
    assert sorted(p.title for p in unknown.qs) == ["Kommt"]
    assert list(unknown.errors) == ["ortsteil"]
    assert "Bitte eine gültige Auswahl treffen" in str(unknown.errors["ortsteil"])
    # Alone, it leaves the whole list.
    assert sorted(p.title for p in filtered("ortsteil=999999").qs) == everything
    assert sorted(p.title for p in filtered("ortsteil=abc").qs) == everything


def test_no_parameters_means_an_unbound_form_without_errors(projects):
    filterset = filtered("")
    assert not filterset.is_bound and not filterset.form.errors
    assert filterset.qs.count() == 2


def test_each_slug_or_id_costs_one_lookup(projects):
    for query, lookups in [("", 0), ("status=running", 0), ("kommune=stadt&thema=x", 2)]:
        with CaptureQueriesContext(connection) as queries:
            filtered(query).qs  # validates the form and builds the queryset
        assert len(queries) == lookups, (query, [q["sql"] for q in queries])
