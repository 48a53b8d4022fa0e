import factory

from mitmachen.climate.models import Indicator, Target, Value
from mitmachen.organisations.tests.factories import OrganisationFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    organisation = factory.SubFactory(OrganisationFactory)
    slug = factory.Sequence(lambda n: f"indikator-{n}")
    title = factory.Sequence(lambda n: f"Indikator {n}")
    explanation = "Was die Zahl misst."
    unit = "t CO₂"
    topic = "energie"
    spatial_level = "kommune"
    resolution = "jahr"
    aggregation = "summe"
    source = "Energiebilanz"
    licence = "CC BY 4.0"
    update_rhythm = "jährlich"
    responsible_body = "Klimaschutzmanagement"


class ValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Value

    indicator = factory.SubFactory(IndicatorFactory)
    date = factory.Sequence(lambda n: __import__("datetime").date(2000 + n, 1, 1))
    value = 1.0


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    title = "Halbieren bis 2030"
    baseline_year = 2015
    baseline_value = 100.0
    target_year = 2030
    target_value = 50.0


def campaign_in(project, **fields):
    """A running campaign asking for a number in °C (Hitzeorte), from yesterday on."""
    from datetime import timedelta

    from django.utils import timezone

    from mitmachen.climate.models import Campaign

    today = timezone.localdate()
    values = {
        "title": "Hitzeorte melden",
        "question": "Wie heiß ist es hier am Nachmittag?",
        "description": "Wo wird es im Sommer besonders heiß?",
        "value_kind": "zahl",
        "unit": "°C",
        "starts_on": today - timedelta(days=10),
        "ends_on": today + timedelta(days=30),
    }
    values.update(fields)
    return Campaign.objects.create(project=project, **values)
