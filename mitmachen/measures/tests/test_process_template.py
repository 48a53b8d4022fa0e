"""The measures' part of a process template: a project's fields of action and goals go
into the file and come out as the same structure in another town's new project;
measures, progress and updates stay out; a bad entry stores nothing."""

from __future__ import annotations

from datetime import date

import pytest

from mitmachen.measures.models import FieldOfAction, Goal
from mitmachen.measures.tests.factories import FieldOfActionFactory, GoalFactory, MeasureFactory
from mitmachen.processtemplates import services
from mitmachen.processtemplates.services import TemplateProblems
from mitmachen.processtemplates.tests.helpers import document, raw, two_towns
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db

START = date(2027, 3, 1)


def test_fields_and_goals_travel_to_another_town():
    towns = two_towns()
    project = ProjectFactory(organisation=towns["home"])
    PhaseFactory(project=project)
    field = FieldOfActionFactory(
        organisation=towns["home"], project=project, title="Lokale Mobilität", order=1
    )
    GoalFactory(field=field, title="Mobil ohne Auto", weight=2, order=0)
    GoalFactory(field=field, title="Sichere Schulwege", order=1)
    MeasureFactory(goal=field.goals.first(), title="Rufbus", progress=40)
    FieldOfActionFactory(organisation=towns["home"], title="Ohne Projekt")  # not this project's

    exported = services.template_export(project=project)
    assert exported["modules"]["measures"] == [
        {
            "title": "Lokale Mobilität",
            "description": "",
            "goals": [
                {"title": "Mobil ohne Auto", "description": "", "weight": 2},
                {"title": "Sichere Schulwege", "description": "", "weight": 1},
            ],
        }
    ]
    new = services.template_import(
        user=towns["admin_other"],
        organisation=towns["other"],
        raw=services.template_dumps(exported),
        start=START,
    )
    copied = FieldOfAction.objects.get(project=new)
    assert copied.organisation == towns["other"] and copied.title == "Lokale Mobilität"
    assert list(copied.goals.order_by("order").values_list("title", "weight")) == [
        ("Mobil ohne Auto", 2),
        ("Sichere Schulwege", 1),
    ]
    assert not copied.goals.filter(measures__isnull=False).exists()  # no measures
    assert (
        services.template_export(project=new)["modules"]["measures"]
        == (exported["modules"]["measures"])
    )


def test_a_bad_goal_stores_nothing():
    towns = two_towns()
    data = document()
    data["modules"] = {
        **data["modules"],
        "measures": [{"title": "Wohnen", "goals": [{"title": "Mehr Wohnungen", "weight": 0}]}],
    }
    fields_before, goals_before = FieldOfAction.objects.count(), Goal.objects.count()
    with pytest.raises(TemplateProblems):
        services.template_import(
            user=towns["admin_other"], organisation=towns["other"], raw=raw(data), start=START
        )
    assert (FieldOfAction.objects.count(), Goal.objects.count()) == (fields_before, goals_before)
