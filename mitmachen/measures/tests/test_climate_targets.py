"""Measures fill the climate module's section "climate.target": each target of the
climate agenda lists the measures that work towards it, and a measure names its targets."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from mitmachen.climate.tests.factories import IndicatorFactory, TargetFactory
from mitmachen.measures import services
from mitmachen.measures.models import Measure
from mitmachen.measures.tests.factories import MeasureFactory, default_status
from mitmachen.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(organisation):
    indicator = IndicatorFactory(organisation=organisation, title="CO₂ der Region")
    return TargetFactory(indicator=indicator, title="Halbieren bis 2030")


def test_the_indicator_page_lists_the_measures_of_a_target(client, goal, target, manager):
    serving = services.measure_save(
        user=manager,
        measure=Measure(
            goal=goal, title="Solardächer auf Schulen", published=True, progress_manual=40
        ),
        climate_targets=[target],
    )
    draft = MeasureFactory(goal=goal, title="Geheimer Entwurf", published=False)
    draft.climate_targets.add(target)
    MeasureFactory(goal=goal, title="Andere Maßnahme")
    page = client.get(target.indicator.get_absolute_url()).content.decode()
    assert "Maßnahmen für dieses Ziel" in page
    assert serving.get_absolute_url() in page
    assert "Fortschritt: <strong>40 %</strong>" in page
    assert "Geheimer Entwurf" not in page  # drafts only for staff
    assert "Andere Maßnahme" not in page
    assert page.index("Halbieren bis 2030") < page.index("Solardächer auf Schulen")


def test_staff_see_draft_measures_under_a_target(client, goal, target, manager):
    draft = MeasureFactory(goal=goal, title="Geheimer Entwurf", published=False)
    draft.climate_targets.add(target)
    client.force_login(manager)
    assert "Geheimer Entwurf" in client.get(target.indicator.get_absolute_url()).content.decode()


def test_a_target_without_measures_shows_no_measure_box(client, target):
    page = client.get(target.indicator.get_absolute_url()).content.decode()
    assert "Halbieren bis 2030" in page
    assert "Maßnahmen für dieses Ziel" not in page


def test_the_measure_page_names_its_targets(client, goal, target):
    measure = MeasureFactory(goal=goal)
    measure.climate_targets.add(target)
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "Trägt bei zu den Klimazielen" in page
    assert target.indicator.get_absolute_url() in page


def test_an_unpublished_indicator_is_not_linked(client, goal, target):
    target.indicator.is_published = False
    target.indicator.save()
    measure = MeasureFactory(goal=goal)
    measure.climate_targets.add(target)
    assert (
        "Trägt bei zu den Klimazielen"
        not in client.get(measure.get_absolute_url()).content.decode()
    )


def test_a_target_of_another_municipality_is_refused(goal, manager):
    foreign = TargetFactory(indicator=IndicatorFactory(organisation=OrganisationFactory()))
    with pytest.raises(ValidationError) as error:
        services.measure_save(
            user=manager, measure=Measure(goal=goal, title="Bänke"), climate_targets=[foreign]
        )
    assert "climate_targets" in error.value.message_dict
    assert not Measure.objects.exists()


def test_target_section_queries_do_not_grow_with_measures(client, goal, target, region):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(target.indicator.get_absolute_url()).status_code == 200
        return len(queries)

    MeasureFactory(goal=goal, status=default_status("done")).climate_targets.add(target)
    few = count()
    for _ in range(20):
        measure = MeasureFactory(goal=goal)
        measure.climate_targets.add(target)
        measure.districts.add(region["west"])
    assert count() == few  # 21 measures: all listed, counted without a query


def test_a_long_list_under_a_target_is_cut_and_counted(client, goal, target):
    from mitmachen.measures.module import TARGET_LISTED

    for n in range(TARGET_LISTED + 2):
        MeasureFactory(goal=goal, title=f"Maßnahme {n:03}").climate_targets.add(target)
    page = client.get(target.indicator.get_absolute_url()).content.decode()
    assert f"Die ersten {TARGET_LISTED} von {TARGET_LISTED + 2} Maßnahmen" in page
    assert "Maßnahme 000" in page and f"Maßnahme {TARGET_LISTED + 1:03}" not in page
