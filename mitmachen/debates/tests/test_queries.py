"""A debate page costs the same number of queries with 5 comments as with 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.models import Comment, CommentRating
from mitmachen.comments.selectors import PAGE_SIZE
from mitmachen.core.channels import Channel
from mitmachen.debates.models import Debate, Stance
from mitmachen.debates.tests.factories import DebateFactory

pytestmark = pytest.mark.django_db
STANCES = Stance.values


def grow(debate, total, viewer):
    """Top-level comments with stances until the debate has ``total`` top-level comments;
    every second with three replies, some offline, some rated by ``viewer``; then the
    counters set as the services would have kept them. Each stance has replies and
    offline comments (which cost a query each when shown) among the first five, too."""
    authors = [UserFactory() for _ in range(4)]
    existing = Comment.objects.filter(debate=debate, parent__isnull=True).count()
    for n in range(existing, total):
        offline = n < 3 or n % 7 == 0
        top = Comment.objects.create(
            project=debate.project,
            debate=debate,
            stance=STANCES[n % 3],
            author=None if offline else authors[n % 4],
            channel=Channel.WORKSHOP if offline else Channel.ONLINE,
            text=f"Beitrag {n} mit **Markdown**",
            reply_count=3 if n % 2 == 0 else 0,
        )
        if n % 2 == 0:
            Comment.objects.bulk_create(
                Comment(
                    project=debate.project,
                    debate=debate,
                    parent=top,
                    reply_to=top,
                    author=authors[(n + i) % 4],
                    text=f"Antwort {i}",
                )
                for i in range(3)
            )
        if n % 2:
            CommentRating.objects.create(comment=top, user=viewer, value=1)
    visible = Comment.objects.filter(debate=debate).visible()
    tops = visible.filter(parent__isnull=True)
    Debate.objects.filter(pk=debate.pk).update(
        comment_count=visible.count(),
        for_count=tops.filter(stance="for").count(),
        against_count=tops.filter(stance="against").count(),
        neutral_count=tops.filter(stance="neutral").count(),
    )


@pytest.mark.parametrize("viewer_kind", ["anonymous", "resident", "staff"])
@pytest.mark.parametrize("query", ["", "?haltung=dagegen", "?kommentare=beste&kseite=2"])
def test_debate_page_query_count_does_not_grow(client, debating, manager, viewer_kind, query):
    debate = DebateFactory(project=debating)
    viewer = {"anonymous": UserFactory(), "resident": UserFactory(), "staff": manager}[viewer_kind]
    if viewer_kind != "anonymous":
        client.force_login(viewer)
    # One request first: process-wide caches (content types, the site's footer parts) are
    # filled by whichever test reads them first, which is not a cost of this page.
    assert client.get(f"/debatten/{debate.pk}/{query}").status_code == 200
    counts = []
    for total in (5, 50):
        grow(debate, total, viewer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/debatten/{debate.pk}/{query}")
        assert response.status_code == 200
        # The thread is the comments module's section of the debate page.
        (discussion,) = response.context["discussion"]
        thread = discussion.data["thread"]
        if not query:
            assert len(thread.entries) == min(total, PAGE_SIZE)
            assert f"{total} Kommentare mit Haltung" in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 20, counts
    print(f"\n{viewer_kind} {query}: {counts[0]} queries (5), {counts[1]} (50)")


@pytest.mark.parametrize("logged_in", [False, True])
def test_list_query_count_does_not_grow(client, debating, logged_in):
    if logged_in:
        client.force_login(UserFactory())
    counts = []
    for total in (2, 20):
        while debating.debates.count() < total:
            DebateFactory(project=debating)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/projekte/{debating.slug}/debatten/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
