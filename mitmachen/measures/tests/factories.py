import factory

from mitmachen.measures import services
from mitmachen.measures.models import FieldOfAction, Goal, Measure, MeasureStatus, Milestone
from mitmachen.organisations.tests.factories import OrganisationFactory


def default_status(kind: str = "planned") -> MeasureStatus:
    return services.default_status(kind)


class FieldOfActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FieldOfAction

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Handlungsfeld {n}")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    field = factory.SubFactory(FieldOfActionFactory)
    title = factory.Sequence(lambda n: f"Ziel {n}")


class MeasureFactory(factory.django.DjangoModelFactory):
    """A published measure created directly (bypassing services) for read-side tests."""

    class Meta:
        model = Measure

    goal = factory.SubFactory(GoalFactory)
    organisation = factory.LazyAttribute(lambda m: m.goal.field.organisation)
    title = factory.Sequence(lambda n: f"Maßnahme {n}")
    status = factory.LazyFunction(lambda: default_status("in_progress"))
    published = True


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    measure = factory.SubFactory(MeasureFactory)
    title = factory.Sequence(lambda n: f"Meilenstein {n}")
