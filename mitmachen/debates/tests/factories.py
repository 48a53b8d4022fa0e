import factory

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.debates.models import Debate
from mitmachen.projects.tests.factories import ProjectFactory


class DebateFactory(factory.django.DjangoModelFactory):
    """A debate created directly (bypassing services) for read-side tests."""

    class Meta:
        model = Debate

    project = factory.SubFactory(ProjectFactory)
    author = factory.SubFactory(UserFactory)
    question = factory.Sequence(lambda n: f"Soll die Straße {n} autofrei werden?")
    description = "Für den **Einzelhandel** wäre das gut, sagen die einen."
