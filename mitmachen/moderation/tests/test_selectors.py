"""The read moderation views and services share: a person's contributions in a town."""

import pytest

from mitmachen.comments.models import Comment
from mitmachen.moderation import selectors, services, views
from mitmachen.projects.tests.factories import ProjectFactory
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_contributions_of_lists_only_this_towns_contributions_of_the_person():
    here, elsewhere = ProjectFactory(), ProjectFactory()
    mine = ProposalFactory(project=here)
    person = mine.author
    ProposalFactory(project=elsewhere, author=person)
    ProposalFactory(project=here)  # someone else's
    comment = Comment.objects.create(project=here, author=person, text="Gute Idee")

    found = {t.key: list(rows) for t, rows in selectors.contributions_of(here.organisation, person)}

    # Other modules' kinds (declared targets of their own) have nothing of the person.
    assert {k: v for k, v in found.items() if k not in ("comment", "proposal", "debate")} == {
        k: [] for k in found if k not in ("comment", "proposal", "debate")
    }
    assert {k: found[k] for k in ("comment", "proposal", "debate")} == {
        "comment": [comment],
        "proposal": [mine],
        "debate": [],
    }
    # In the lock order: comments, proposals, debates (then the kinds of other modules).
    keys = [t.key for t, _rows in selectors.contributions_of(here.organisation, person)]
    assert keys[:3] == ["comment", "proposal", "debate"]


def test_views_and_services_use_the_selector_not_a_private_helper():
    assert not hasattr(services, "_contributions")
    assert services.contributions_of is selectors.contributions_of
    assert views.selectors is selectors
