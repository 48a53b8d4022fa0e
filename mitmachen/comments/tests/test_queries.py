"""A thread costs the same number of queries with 10 comments as with 500."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.models import Comment, CommentRating
from mitmachen.comments.selectors import PAGE_SIZE, REPLIES_SHOWN, thread_for
from mitmachen.core.channels import Channel
from mitmachen.proposals.models import Proposal

pytestmark = pytest.mark.django_db
REPLIES_EACH = 4  # one more than the list shows, so every thread has its "alle … anzeigen"


def grow(proposal, total, viewer):
    """Add comments until the proposal has ``total``: threads of 1 + 4, rated by ``viewer``."""
    authors = [UserFactory() for _ in range(5)]
    start = timezone.now() - timedelta(days=30)
    existing = Comment.objects.filter(proposal=proposal).count()
    for n in range(existing, total, 1 + REPLIES_EACH):
        top = Comment.objects.create(
            project=proposal.project,
            proposal=proposal,
            author=authors[n % 5],
            text=f"Beitrag {n} mit **Markdown**",
            channel=Channel.ONLINE if n % 10 else Channel.WORKSHOP,
            up_count=n % 7,
            reply_count=REPLIES_EACH,
        )
        replies = Comment.objects.bulk_create(
            Comment(
                project=proposal.project,
                proposal=proposal,
                parent=top,
                reply_to=top,
                author=authors[(n + i) % 5],
                text=f"Antwort {i}",
            )
            for i in range(REPLIES_EACH)
        )
        # A reply to a reply ("Antwort an …") and a deleted one in every thread.
        Comment.objects.filter(pk=replies[1].pk).update(reply_to=replies[0])
        Comment.objects.filter(pk=replies[2].pk).update(deleted_at=start, text="")
        Comment.objects.filter(pk__in=[top.pk, *[r.pk for r in replies]]).update(
            created_at=start + timedelta(minutes=n)
        )
        CommentRating.objects.bulk_create(
            [
                CommentRating(comment=top, user=viewer, value=1),
                CommentRating(comment=replies[0], user=viewer, value=-1),
            ]
        )
    visible = Comment.objects.filter(proposal=proposal, deleted_at__isnull=True).count()
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=visible)
    assert Comment.objects.filter(proposal=proposal).count() == total


@pytest.mark.parametrize("logged_in", [False, True])
@pytest.mark.parametrize("sort", ["neueste", "beste"])
def test_thread_page_query_count_does_not_grow(client, proposal, logged_in, sort):
    viewer = UserFactory()
    if logged_in:
        client.force_login(viewer)
    counts = []
    for total in (10, 500):
        grow(proposal, total, viewer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/vorschlaege/{proposal.pk}/kommentare/?kommentare={sort}")
        assert response.status_code == 200
        thread = response.context["thread"]
        assert len(thread.entries) == min(total // 5, PAGE_SIZE)
        assert all(
            len(e.replies) == REPLIES_SHOWN and e.hidden_replies == REPLIES_EACH - REPLIES_SHOWN
            for e in thread.entries
        )
        if logged_in:
            assert {e.rating for e in thread.entries} == {1}
            assert thread.form is not None
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # Signed in: session, user, roles, blocks and the unread-notification count included.
    assert counts[1] <= 16, counts
    print(f"\n{sort}, logged in={logged_in}: {counts[0]} queries (10), {counts[1]} (500)")


def test_selector_alone(proposal, django_assert_max_num_queries):
    """What the proposal detail page adds by including the thread partial."""
    viewer = UserFactory()
    grow(proposal, 500, viewer)
    proposal = Proposal.objects.prefetch_related("project__phases").get(pk=proposal.pk)
    project = proposal.project  # as the detail page has it, phases prefetched
    with django_assert_max_num_queries(5):
        # count, page, first replies, the viewer's ratings, and once for the offline
        # comments shown: may the viewer manage the project (delete offline comments)?
        thread = thread_for(user=viewer, project=project, proposal=proposal, page="3")
    assert thread.page.number == 3
    stats = Comment.objects.filter(parent__in=[e.comment for e in thread.entries]).aggregate(
        n=Count("pk"), deleted=Count("pk", filter=Q(deleted_at__isnull=False))
    )
    assert stats == {"n": PAGE_SIZE * REPLIES_EACH, "deleted": PAGE_SIZE}
