import factory

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.projects.tests.factories import ProjectFactory
from mitmachen.proposals.models import Proposal


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal created directly (bypassing services) for read-side tests."""

    class Meta:
        model = Proposal

    project = factory.SubFactory(ProjectFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Vorschlag {n}")
    text = "Mehr Bänke und Schatten am Marktplatz."
