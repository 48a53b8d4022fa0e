import factory

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.models import District, Membership, Organisation, Role


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    """A square GeoJSON polygon with its south-west corner at (lon, lat)."""
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [lon, lat],
                [lon + size, lat],
                [lon + size, lat + size],
                [lon, lat + size],
                [lon, lat],
            ]
        ],
    }


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    slug = factory.Sequence(lambda n: f"gemeinde-{n}")
    imprint = "Impressum der Gemeinde"
    privacy = "Datenschutz der Gemeinde"
    accessibility = "Erklärung zur Barrierefreiheit"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Ortsteil {n}")
    slug = factory.Sequence(lambda n: f"ortsteil-{n}")
    geometry = factory.Sequence(lambda n: square(12.0 + (n % 50) * 0.02, 52.0 + (n // 50) * 0.02))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.ADMIN
