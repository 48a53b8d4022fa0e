import factory

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.models import Comment
from mitmachen.projects.tests.factories import ProjectFactory


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment created directly (bypassing services, so counters are not kept) for reads."""

    class Meta:
        model = Comment

    project = factory.LazyAttribute(
        lambda o: o.proposal.project if o.proposal else ProjectFactory()
    )
    proposal = None
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Kommentar {n}: Gute Idee, aber bitte mit Schatten.")
