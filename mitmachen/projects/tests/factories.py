from datetime import timedelta

import factory
from django.utils import timezone

from mitmachen.organisations.tests.factories import OrganisationFactory
from mitmachen.projects.models import Phase, Project, Topic, Visibility


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Beteiligung {n}")
    slug = factory.Sequence(lambda n: f"beteiligung-{n}")
    summary = "Worum es geht, in einem Satz."
    description = "## Hintergrund\n\nText mit **Markdown**."
    visibility = Visibility.PUBLIC


class PhaseFactory(factory.django.DjangoModelFactory):
    """A phase running now (from yesterday for 30 days) unless start/end are given."""

    class Meta:
        model = Phase

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Phase {n}")
    start = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(days=30))
    actions = factory.LazyFunction(lambda: ["comment", "propose"])
