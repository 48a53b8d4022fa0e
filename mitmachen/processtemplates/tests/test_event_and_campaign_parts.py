"""The events' and the Mitmach-Daten campaigns' parts of a process template
(``events/process_template.py``, ``climate/process_template.py``): what the export reads
and leaves out, the schema's choices against the models', and imports that are refused
with a German message naming the event or campaign, storing nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import get_args

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from mitmachen.climate.models import Campaign, ValueKind
from mitmachen.climate.process_template import CampaignEntry
from mitmachen.events.models import Kind, Question, Status, Tour
from mitmachen.events.process_template import EventEntry, KindKey
from mitmachen.events.tests.factories import EventFactory
from mitmachen.processtemplates import services
from mitmachen.processtemplates.tests.helpers import document, raw, two_towns
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db

START = date(2027, 3, 1)


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_the_schemas_offer_exactly_the_models_choices():
    assert set(get_args(KindKey)) == set(Kind.values)
    value_kind = CampaignEntry.model_fields["value_kind"].annotation
    assert set(get_args(value_kind)) == set(ValueKind.values)
    assert set(get_args(EventEntry.model_fields["kind"].annotation)) == set(Kind.values)


def test_the_export_reads_events_and_campaigns_and_leaves_out_one_towns_things():
    project = ProjectFactory(title="Gebaut")
    first = timezone.make_aware(datetime(2027, 5, 10, 9, 0))
    PhaseFactory(project=project, start=first, end=first + timedelta(days=20))
    organisation = project.organisation
    workshop = EventFactory(
        organisation=organisation,
        projects=[project],
        title="Werkstatt",
        starts_at=timezone.make_aware(datetime(2027, 5, 8, 18, 0)),
        ends_at=timezone.make_aware(datetime(2027, 5, 8, 20, 0)),
        address="Marktplatz 1, 14806 Bad Belzig",
        lat=52.14,
        lon=12.59,
        registration_enabled=True,
        capacity=30,
        step_free=True,
    )
    Question.objects.create(event=workshop, text="Essen?", kind="janein", required=True)
    EventFactory(
        organisation=organisation,
        projects=[project],
        kind=Kind.VAN_STOP,
        title="Halt am Markt",
        tour=Tour.objects.create(organisation=organisation, title="Sommertour"),
        starts_at=timezone.make_aware(datetime(2027, 5, 12, 10, 0)),
        ends_at=timezone.make_aware(datetime(2027, 5, 12, 12, 0)),
    )
    EventFactory(
        organisation=organisation,
        projects=[project],
        title="Abgesagt",
        status=Status.CANCELLED,
        status_note="Krank",
    )
    EventFactory(organisation=organisation, title="Anderer Prozess")
    Campaign.objects.create(
        project=project,
        title="Hitzeorte",
        question="Wie heiß?",
        description="Heiße Orte.",
        value_kind=ValueKind.CHOICE,
        choices="heiß\nsehr heiß",
        starts_on=date(2027, 5, 15),
        ends_on=date(2027, 6, 15),
        is_example_data=True,
    )
    data = services.template_export(project=project)
    events = data["modules"]["events"]
    assert [e["title"] for e in events] == ["Werkstatt", "Halt am Markt"]
    assert events[0]["start_day"] == -2 and events[0]["start_time"] == "18:00"
    assert events[0]["questions"] == [
        {"text": "Essen?", "kind": "janein", "options": [], "required": True}
    ]
    assert events[0]["capacity"] == 30 and events[0]["step_free"] is True
    for left_out in ("address", "lat", "lon", "district", "tour", "route", "status"):
        assert left_out not in events[0]
    assert "Marktplatz 1" not in str(data) and "Sommertour" not in str(data)
    assert data["modules"]["climate"] == [
        {
            "title": "Hitzeorte",
            "question": "Wie heiß?",
            "description": "Heiße Orte.",
            "value_kind": "auswahl",
            "unit": "",
            "choices": ["heiß", "sehr heiß"],
            "photo_allowed": True,
            "start_day": 5,
            "end_day": 36,
        }
    ]
    # The file passes its own check (a new town can read it).
    checked = services.check_document(services.template_dumps(data))
    assert len(checked.entries["events"]) == 2


def test_an_event_that_would_start_in_the_past_is_refused_by_name_and_nothing_stored():
    towns = two_towns()
    counts = _counts()
    three_days_ago = timezone.localdate() - timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        services.template_import(
            user=towns["admin_home"], organisation=towns["home"], raw=raw(), start=three_days_ago
        )
    # The workshop on the second day lay two days ago.
    assert error.value.messages == [
        "Veranstaltung „Auftaktwerkstatt“: Eine neue Veranstaltung kann nicht in der "
        "Vergangenheit beginnen."
    ]
    assert _counts() == counts


def test_a_campaign_breaking_its_rules_is_refused_by_name_and_nothing_stored():
    towns = two_towns()
    data = document()
    data["modules"]["climate"][0]["unit"] = ""  # a number needs its unit
    counts = _counts()
    with pytest.raises(ValidationError) as error:
        services.template_import(
            user=towns["manager_home"], organisation=towns["home"], raw=raw(data), start=START
        )
    assert error.value.messages == [
        "Kampagne „Hitzeorte melden“: Bitte geben Sie die Einheit der Zahl an."
    ]
    assert _counts() == counts


def test_ends_before_starts_are_named_before_anything_is_stored():
    data = document()
    data["modules"]["events"][1]["end_time"] = "18:00"  # before 19:00 on the same day
    data["modules"]["climate"][0]["end_day"] = 10  # before day 15
    with pytest.raises(services.TemplateProblems) as error:
        services.check_document(raw(data))
    assert error.value.problems == [
        "Mitmach-Daten: Kampagne „Hitzeorte melden“: Das Ende darf nicht vor dem Beginn liegen.",
        "Veranstaltungen: Veranstaltung „Fragestunde online“: Das Ende muss nach dem Beginn "
        "liegen.",
    ]


def test_a_time_the_clocks_skip_is_refused_naming_the_event():
    towns = two_towns()
    data = document()
    # 2027-03-28 is the day the clocks go forward in Germany: 02:30 does not exist.
    data["modules"]["events"][1].update(
        start_day=27, start_time="02:30", end_day=27, end_time="04:00"
    )
    with pytest.raises(ValidationError) as error:
        services.template_import(
            user=towns["admin_home"], organisation=towns["home"], raw=raw(data), start=START
        )
    assert error.value.messages == [
        "Veranstaltung „Fragestunde online“: 28.03.2027 02:30 gibt es an diesem Tag nicht "
        "(Zeitumstellung)."
    ]


def test_the_preview_lines_count_days_from_one():
    data = document()
    data["modules"]["events"][0].update(start_day=-2, end_day=-2)  # a kick-off before
    checked = services.check_document(raw(data))
    from mitmachen.projects import modules

    parts = modules.template_parts()
    lines = [parts["events"].describe(e) for e in checked.entries["events"]]
    assert lines == [
        "Auftaktwerkstatt (2 Tage vor dem ersten Tag, 18:00 Uhr, Rathaus, Saal 1)",
        "Fragestunde online (Tag 21, 19:00 Uhr, online)",
    ]
    assert parts["climate"].describe(checked.entries["climate"][0]) == (
        "Hitzeorte melden: Wie heiß ist es hier am Nachmittag?"
    )


def test_a_phase_at_a_time_the_clocks_skip_is_refused_too():
    towns = two_towns()
    data = document()
    data["phases"][1]["start_time"] = "02:30"  # day 15 from 2027-03-13 is 2027-03-28
    counts = _counts()
    with pytest.raises(ValidationError) as error:
        services.template_import(
            user=towns["admin_home"],
            organisation=towns["home"],
            raw=raw(data),
            start=START + timedelta(days=12),
        )
    assert error.value.messages == [
        "Phase „Ideen“: 28.03.2027 02:30 gibt es an diesem Tag nicht (Zeitumstellung)."
    ]
    assert _counts() == counts


def test_the_preview_already_names_what_only_storing_reveals(client):
    """An event that would start in the past is named at the first step (the preview),
    not only after "Als Entwurf anlegen"; nothing is stored."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    towns = two_towns()
    client.force_login(towns["admin_home"])
    counts = _counts()
    response = client.post(
        reverse("processtemplates:import"),
        {
            "organisation": towns["home"].pk,
            "start": (timezone.localdate() - timedelta(days=3)).isoformat(),
            "file": SimpleUploadedFile("v.json", raw(), "application/json"),
            "pruefen": "1",
        },
    )
    assert response.status_code == 200
    assert response.context["general_errors"] == [
        "Veranstaltung „Auftaktwerkstatt“: Eine neue Veranstaltung kann nicht in der "
        "Vergangenheit beginnen."
    ]
    assert "Vorschau: Das wird angelegt" not in response.content.decode()
    assert _counts() == counts
