"""Targets link to what other modules register for them (section "climate.target", e.g.
the measures that work towards a target) without the climate module importing them."""

from __future__ import annotations

from datetime import date

import pytest

from mitmachen.climate.models import Target, Value
from mitmachen.climate.services import summaries_refresh
from mitmachen.climate.tests.factories import IndicatorFactory, TargetFactory
from mitmachen.core import sections

pytestmark = pytest.mark.django_db


def test_a_module_shows_its_part_under_each_target(client, monkeypatch):
    indicator = IndicatorFactory()  # no Beispieldaten: the notice below comes from the section
    Value.objects.create(indicator=indicator, date=date(2024, 1, 1), value=80)
    summaries_refresh(indicator=indicator)
    ours = TargetFactory(indicator=indicator, title="Halbieren")
    TargetFactory(indicator=indicator, title="Ohne Maßnahmen", target_year=2040)
    seen = []

    def load(request, target):
        assert isinstance(target, Target)
        seen.append(target.title)
        return {"n": 1} if target == ours else None

    monkeypatch.setitem(sections._sections, "climate.target", {})
    sections.register(
        sections.Section("climate.target", "probe", "climate/partials/example_notice.html", load)
    )
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert sorted(seen) == ["Halbieren", "Ohne Maßnahmen"]
    assert page.count("Es sind keine echten Messungen.") == 1
    section_start = page.index("Halbieren")
    assert page.index("Es sind keine echten Messungen.") > section_start


def test_without_a_registered_section_the_target_shows_alone(client, monkeypatch):
    monkeypatch.setitem(sections._sections, "climate.target", {})
    indicator = IndicatorFactory()
    TargetFactory(indicator=indicator)
    response = client.get(indicator.get_absolute_url())
    assert response.status_code == 200
    assert "Es sind keine echten Messungen." not in response.content.decode()
