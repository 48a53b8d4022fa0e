import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from mitmachen.comments.models import Comment
from mitmachen.demo.volume import (
    BIG_PROJECT_SLUG,
    DETAIL_TITLE,
    POLL_TITLE,
    Volume,
    seed_volume,
)
from mitmachen.polls import selectors, services
from mitmachen.polls.models import Poll, Response
from mitmachen.proposals.models import Proposal, Support

pytestmark = pytest.mark.django_db

SMALL = Volume(
    organisations=1,
    projects=3,
    proposals=40,
    comments=500,
    supports=300,
    users=60,
    big_project_proposals=10,
    poll_responses=50,
)


def test_small_volume_has_exact_counts_and_counters():
    counts = seed_volume(SMALL, log=lambda line: None)
    assert counts == {
        "projects": 3,
        "users": 60,
        "proposals": 40,
        "supports": 300,
        "comments": 500,
        "poll_responses": 50,
    }
    assert Support.objects.count() == 300
    for proposal in Proposal.objects.annotate(
        supports_n=Count("supports", distinct=True),
        comments_n=Count("comments", filter=Q(comments__deleted_at__isnull=True), distinct=True),
    ):
        assert proposal.support_count == proposal.supports_n
        assert proposal.comment_count == proposal.comments_n
        assert (
            proposal.author_id is None
            or not proposal.supports.filter(user_id=proposal.author_id).exists()
        )
    for top in Comment.objects.filter(parent__isnull=True).annotate(n=Count("replies")):
        assert top.reply_count == top.n
    detail = Proposal.objects.get(title=DETAIL_TITLE)
    assert detail.project.slug == BIG_PROJECT_SLUG and detail.comment_count == 200
    assert Comment.objects.exclude(project__slug=BIG_PROJECT_SLUG).count() == 0
    poll = Poll.objects.get(title=POLL_TITLE)
    assert poll.is_open() and poll.project.slug == BIG_PROJECT_SLUG
    # Of 60 accounts the first 30 stay free for signed-in visitors; 30 answered online.
    assert Response.objects.filter(poll=poll, channel="online").count() == 30
    assert Response.objects.filter(poll=poll, batch__isnull=False).count() == 20
    assert not Response.objects.filter(poll=poll, participation__user__lte=30).exists()
    results = selectors.results(poll, services.questions_of(poll), public=True)
    assert results.total == 50
    ranking = next(r for r in results.questions if r.question.kind == "ranking")
    assert ranking.respondents == 50
    # Timestamps are spread over time, not all "now".
    assert Proposal.objects.values("created_at").distinct().count() == 40


def test_command_runs_once(capsys):
    options = {
        "organisations": 1,
        "projects": 2,
        "proposals": 5,
        "comments": 20,
        "supports": 10,
        "users": 10,
        "big_project_proposals": 3,
        "poll_responses": 5,
    }
    call_command("seed_volume", **options)
    assert "Fertig" in capsys.readouterr().out
    with pytest.raises(CommandError, match="schon angelegt"):
        call_command("seed_volume", **options)
    call_command("seed_volume", if_missing=True, **options)
    assert "schon angelegt" in capsys.readouterr().out
    assert Proposal.objects.count() == 5
