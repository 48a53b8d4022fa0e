"""The demo debates (mitmachen/demo/debates_data.py) on top of the demo region."""

import pytest

from mitmachen.accounts.models import User
from mitmachen.comments.models import Comment
from mitmachen.debates.models import Debate
from mitmachen.demo.debates_data import CLOSED_DEBATE, OPEN_DEBATE, seed_debates
from mitmachen.notifications.models import Notification
from mitmachen.projects.models import Project

pytestmark = pytest.mark.django_db


def call():
    """The call the demo seed makes (``demo.services._seed_proposals``)."""
    supporters = list(User.objects.filter(email__startswith="unterstuetzer").order_by("pk")[:15])
    return seed_debates(
        project=Project.objects.get(slug="meine-stadt-der-zukunft"),
        staff=User.objects.get(email="projekt@example.org"),
        residents=[User.objects.get(email="bewohnerin@example.org"), *supporters],
    )


def test_demo_debates_are_seeded_once(demo_rows):
    # demo_rows: the region as seed_demo() leaves it, the debates seeded with call() below.
    closed, opened = call()
    assert closed.question == CLOSED_DEBATE["question"] and closed.is_closed
    assert "Verkehrsversuch" in closed.conclusion and closed.opened_by_staff
    assert closed.closed_by.email == "projekt@example.org"
    tops = Comment.objects.filter(debate=closed, parent__isnull=True)
    assert tops.count() == 12
    assert (closed.for_count, closed.against_count, closed.neutral_count) == (5, 4, 3)
    assert (
        closed.comment_count
        == 12 + Comment.objects.filter(debate=closed, parent__isnull=False).count()
    )
    assert Comment.objects.filter(debate=closed, parent__isnull=False).count() >= 5
    assert tops.exclude(channel="online").count() == 2
    assert opened.question == OPEN_DEBATE["question"] and not opened.is_closed
    assert opened.stance_total == 3
    # Renate commented, so she heard about the conclusion.
    assert Notification.objects.filter(
        recipient__email="bewohnerin@example.org", kind="debate_closed"
    ).exists()
    before = (Debate.objects.count(), Comment.objects.count())
    call()
    assert (Debate.objects.count(), Comment.objects.count()) == before
