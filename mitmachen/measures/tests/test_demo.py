"""The demo measures (mitmachen/measures/demo.py) on top of the demo region."""

import pytest

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
