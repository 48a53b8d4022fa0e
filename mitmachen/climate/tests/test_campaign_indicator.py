"""Staff turn a campaign's observations into an indicator: visible observations counted
per Ortsteil and month, counted again with the same result, for staff only."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.climate import services
from mitmachen.climate.models import Indicator, Observation, Value
from mitmachen.climate.tests.factories import campaign_in
from mitmachen.climate.tests.test_observations import page_url, town  # noqa: F401
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def observe(campaign, day, district, hidden=False):
    author = UserFactory()
    return Observation.objects.create(
        campaign=campaign, project=campaign.project, author=author, observed_on=day,
        district=district, place_key=f"o:{district.pk if district else 0}:{author.pk}",
        number_value=30.0, hidden_at=timezone.now() if hidden else None,
    )  # fmt: skip


@pytest.fixture
def observed(town):  # noqa: F811
    project, altstadt, neustadt = town
    campaign = campaign_in(project, is_example_data=True)
    for day, district in (
        (date(2026, 6, 3), altstadt),
        (date(2026, 6, 20), altstadt),
        (date(2026, 6, 21), neustadt),
        (date(2026, 7, 1), altstadt),
        (date(2026, 7, 2), None),  # reported without an Ortsteil
    ):
        observe(campaign, day, district)
    observe(campaign, date(2026, 7, 3), neustadt, hidden=True)  # hidden: not counted
    staff = MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user
    return campaign, staff, altstadt, neustadt


def values(indicator):
    return sorted(
        (v.date, v.district.name if v.district else "", v.value)
        for v in Value.objects.filter(indicator=indicator).select_related("district")
    )


def test_staff_count_observations_per_ortsteil_and_month(client, observed):
    campaign, staff, _altstadt, _neustadt = observed
    client.force_login(staff)
    form = client.get(page_url(campaign, "als-indikator/"))
    assert form.status_code == 200
    assert "Die Kampagne hat 5 sichtbare Beobachtungen." in text(form)
    response = client.post(
        page_url(campaign, "als-indikator/"),
        {"title": "Hitzeorte: Meldungen", "slug": "hitzeorte-meldungen", "topic": "klima-wetter",
         "responsible_body": "Klimaschutzmanagement", "is_published": "on"},
    )  # fmt: skip
    indicator = Indicator.objects.get(campaign=campaign)
    assert response.status_code == 302 and response["Location"] == indicator.get_absolute_url()
    assert values(indicator) == [
        (date(2026, 6, 1), "Altstadt", 2.0),
        (date(2026, 6, 1), "Neustadt", 1.0),
        (date(2026, 7, 1), "", 1.0),
        (date(2026, 7, 1), "Altstadt", 1.0),
    ]
    assert indicator.resolution == "monat" and indicator.aggregation == "summe"
    assert indicator.spatial_level == "ortsteil" and indicator.unit == "Beobachtungen"
    assert indicator.licence == "CC BY 4.0" and indicator.is_example_data
    assert indicator.source.startswith("Mitmach-Daten: Hitzeorte melden")
    assert indicator.source_url == "http://testserver" + campaign.get_absolute_url()
    assert indicator.is_published and indicator.title == "Hitzeorte: Meldungen"
    page = text(client.get(indicator.get_absolute_url()))
    assert "5 Beobachtungen gezählt, je Ortsteil und Monat." in page
    # The campaign page links the indicator.
    assert f'href="{indicator.get_absolute_url()}">Hitzeorte: Meldungen</a>' in text(
        client.get(page_url(campaign))
    )


def test_counting_again_replaces_the_values_and_is_idempotent(client, observed):
    campaign, staff, altstadt, _neustadt = observed
    indicator, counted = services.campaign_indicator_count(
        user=staff, campaign=campaign, source_url="",
        data={"title": "Meldungen", "slug": "meldungen", "topic": "natur",
              "responsible_body": "Amt", "is_published": False},
    )  # fmt: skip
    assert counted == 5
    first = values(indicator)
    again, counted = services.campaign_indicator_count(
        user=staff, campaign=campaign, source_url="", data={}
    )
    assert again.pk == indicator.pk and counted == 5 and values(indicator) == first
    observe(campaign, date(2026, 7, 9), altstadt)
    Observation.objects.filter(observed_on=date(2026, 6, 21)).update(hidden_at=timezone.now())
    client.force_login(staff)
    assert "Neu zählen ersetzt alle seine Werte" in text(
        client.get(page_url(campaign, "als-indikator/"))
    )
    client.post(page_url(campaign, "als-indikator/"), {})
    assert values(indicator) == [
        (date(2026, 6, 1), "Altstadt", 2.0),
        (date(2026, 7, 1), "", 1.0),
        (date(2026, 7, 1), "Altstadt", 2.0),
    ]
    assert Indicator.objects.filter(campaign=campaign).count() == 1


def test_a_taken_address_is_refused_with_a_message_and_nothing_stored(client, observed):
    campaign, staff, _a, _n = observed
    Indicator.objects.create(
        organisation=campaign.project.organisation, slug="belegt", title="Schon da",
        explanation="…", unit="t", topic="energie", spatial_level="kommune",
        resolution="jahr", aggregation="summe", source="x", licence="CC BY 4.0",
        update_rhythm="jährlich", responsible_body="Amt",
    )  # fmt: skip
    client.force_login(staff)
    response = client.post(
        page_url(campaign, "als-indikator/"),
        {"title": "Meldungen", "slug": "belegt", "topic": "natur", "responsible_body": "Amt"},
    )
    page = text(response)
    assert response.status_code == 400
    assert "<title>Fehler:" in page and 'id="form-errors" autofocus' in page
    assert "Diese Kurzbezeichnung hat schon ein anderer Indikator von" in page
    assert not Indicator.objects.filter(campaign=campaign).exists()
    assert not Value.objects.exists()


def test_residents_and_other_staff_may_not(client, observed):
    campaign, _staff, _a, _n = observed
    resident = UserFactory()
    with pytest.raises(PermissionDenied):
        services.campaign_indicator_count(user=resident, campaign=campaign, source_url="", data={})
    client.force_login(resident)
    assert client.get(page_url(campaign, "als-indikator/")).status_code == 403
    assert client.post(page_url(campaign, "als-indikator/"), {}).status_code == 403
    assert "als Indikator zählen" not in text(client.get(page_url(campaign)))
    client.force_login(MembershipFactory(role=Role.ADMIN).user)  # of another municipality
    assert client.post(page_url(campaign, "als-indikator/"), {}).status_code == 403
    assert not Indicator.objects.exists()
