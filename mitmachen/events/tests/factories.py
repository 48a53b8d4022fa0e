from datetime import timedelta

import factory
from django.utils import timezone

from mitmachen.events.models import Event, Kind
from mitmachen.organisations.tests.factories import OrganisationFactory


class EventFactory(factory.django.DjangoModelFactory):
    """A published in-person event a week from now (rows, not the service: tests that
    check the service's rules call it themselves)."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Kind.WORKSHOP
    title = factory.Sequence(lambda n: f"Workshop {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    place_name = "Rathaus, Saal 1"
    is_published = True

    @factory.post_generation
    def projects(self, create, extracted, **kwargs):
        if create and extracted:
            self.projects.set(extracted)
