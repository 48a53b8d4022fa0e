"""A target links the place in the agenda's text that sets it: a page of this site only
(a path, or a full address on the site's own host), checked to exist; both or neither."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from mitmachen.climate import services
from mitmachen.climate.models import Target
from mitmachen.climate.tests.factories import IndicatorFactory, TargetFactory

pytestmark = pytest.mark.django_db

AGENDA = "/projekte/klimawerkstatt/texte/klimaschutzagenda/"
DATA = {
    "title": "Halbieren",
    "baseline_year": 2015,
    "baseline_value": 100.0,
    "target_year": 2030,
    "target_value": 50.0,
}


@override_settings(SITE_URL="https://mitmachen.example.org")
@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (AGENDA, AGENDA),
        (f"{AGENDA}#kapitel-2", f"{AGENDA}#kapitel-2"),
        (f" {AGENDA}absatz/ab12/ ", f"{AGENDA}absatz/ab12/"),
        (f"https://mitmachen.example.org{AGENDA}#kapitel-1", f"{AGENDA}#kapitel-1"),
        (f"https://MITMACHEN.example.org{AGENDA}", AGENDA),
    ],
)
def test_a_page_of_this_site_is_stored_as_its_path(given, stored):
    indicator = IndicatorFactory()
    target = services.target_save(
        user=None,
        indicator=indicator,
        data={**DATA, "agenda_url": given, "agenda_label": "Kapitel Energie"},
    )
    target.refresh_from_db()
    assert target.agenda_url == stored


@override_settings(SITE_URL="https://mitmachen.example.org")
@pytest.mark.parametrize(
    "given",
    [
        f"https://andere.example.org{AGENDA}",
        f"http://mitmachen.example.org{AGENDA}",  # another scheme
        f"//andere.example.org{AGENDA}",
        "javascript:alert(1)",
        "projekte/klimawerkstatt/",  # relative
        "/gibt-es-nicht/",  # no page answers
        f"{AGENDA}\nx",
    ],
)
def test_anything_else_is_refused_with_a_message_and_nothing_stored(given):
    indicator = IndicatorFactory()
    with pytest.raises(ValidationError) as refused:
        services.target_save(
            user=None,
            indicator=indicator,
            data={**DATA, "agenda_url": given, "agenda_label": "Kapitel Energie"},
        )
    assert "Seite dieser Website" in str(refused.value.message_dict["agenda_url"])
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    ("url", "label", "field"), [(AGENDA, "", "agenda_label"), ("", "Kapitel", "agenda_url")]
)
def test_address_and_label_come_together(url, label, field):
    with pytest.raises(ValidationError) as refused:
        services.target_save(
            user=None,
            indicator=IndicatorFactory(),
            data={**DATA, "agenda_url": url, "agenda_label": label},
        )
    assert list(refused.value.message_dict) == [field]


def test_the_indicator_page_links_the_agenda_text(client):
    indicator = IndicatorFactory()
    TargetFactory(
        indicator=indicator, agenda_url=f"{AGENDA}#kapitel-2", agenda_label="Kapitel Energie"
    )
    TargetFactory(indicator=indicator, title="Ohne Text", target_year=2040)
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert page.count("Im Text der Klimaschutzagenda:") == 1
    assert f'<a class="kern-link" href="{AGENDA}#kapitel-2">Kapitel Energie</a>' in page
