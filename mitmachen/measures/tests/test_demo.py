"""The demo measures (mitmachen/measures/demo.py) on top of the demo region."""

import pytest
from django.contrib.auth.models import AnonymousUser

from mitmachen.demo.services import SeedReport
from mitmachen.measures.demo import demo
from mitmachen.measures.models import Measure, StatusKind

pytestmark = pytest.mark.django_db


def test_demo_measures_cover_every_status_come_from_proposals_and_say_they_are_invented(
    client, demo_rows
):
    # demo_rows: the region as seed_demo() leaves it, this module's demo hook included.
    measures = Measure.objects.all()
    assert set(measures.values_list("status__kind", flat=True)) == set(StatusKind.values)
    assert measures.filter(is_demo=False).count() == 0
    assert measures.filter(proposals__isnull=False).distinct().count() >= 3
    assert measures.filter(organisation__slug="wiesenburg-mark").exists()
    # The Klimaschutzagenda's measures work towards the demo climate targets, which
    # list them on their indicator pages; the market square has an area on the map.
    solar = measures.get(title="Photovoltaik auf Schulen und Kitas")
    assert solar.climate_targets.count() == 2
    target = solar.climate_targets.select_related("indicator__organisation").first()
    assert (
        solar.get_absolute_url() in client.get(target.indicator.get_absolute_url()).content.decode()
    )
    assert measures.filter(area__isnull=False).exists()
    page = client.get(measures.first().get_absolute_url()).content.decode()
    assert "Erfundenes Beispiel" in page
    # Idempotent: a second run creates nothing.
    report = SeedReport()
    demo(report)
    assert report.created == []
    assert Measure.objects.count() == measures.count()


def test_demo_measures_come_from_a_survey_a_comment_and_a_paragraph_both_ways(client, demo_rows):
    """The way from a contribution to its measure and back, on the public pages: the
    contribution's page says "Daraus wurde die Maßnahme …", the measure's page links to
    the contribution; the measures say they are invented."""
    from mitmachen.measures.demo_origins import CONTRIBUTIONS, SURVEY_MEASURE
    from mitmachen.measures.origins import origins_of
    from mitmachen.projects import origins

    for spec in CONTRIBUTIONS:
        measure = Measure.objects.get(title=spec["title"])
        assert measure.is_demo and measure.published
        assert measure.status.kind == spec["status"] and measure.progress == spec["progress"]
        (origin,) = origins_of(AnonymousUser(), measure)
        assert origin.kind.key == spec["kind"]
        page = client.get(measure.get_absolute_url()).content.decode()
        assert f'href="{origin.url}"' in page and "Erfundenes Beispiel" in page
        origin_page = client.get(origin.url).content.decode()
        assert "Daraus wurde die Maßnahme" in origin_page
        assert measure.get_absolute_url() in origin_page
    market = Measure.objects.get(title=SURVEY_MEASURE)
    survey = [o for o in origins_of(AnonymousUser(), market) if o.kind.key == "umfrage"]
    assert [o.title for o in survey] == ["Vitale Innenstadt"]
    assert market.get_absolute_url() in client.get(survey[0].url).content.decode()
    assert origins.kind("frage")  # declared by polls
