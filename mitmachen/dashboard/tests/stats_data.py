"""Contributions of every counted kind, in bulk, for the statistics tests (invented data).

``build(project, size)`` spreads ``size`` contributions over proposals, supports,
comments and survey questionnaires – online and offline, with and without an Ortsteil
and an age group, on different days – with a fixed pattern, so two runs give the same
rows. It writes with ``bulk_create`` (no services): the tests read, they do not write.
"""

from __future__ import annotations

from datetime import date, timedelta

from mitmachen.accounts.models import User
from mitmachen.comments.models import Comment
from mitmachen.core.channels import Channel
from mitmachen.polls.models import PaperBatch, Participation, QuestionKind, Response
from mitmachen.polls.tests.factories import PollFactory, question
from mitmachen.proposals.models import Proposal, Support

START = date(2026, 3, 2)


def build(project, size: int, districts: list, *, people: int = 40, tag: str = "s") -> None:
    """About ``size`` contributions in ``project`` by ``people`` accounts (and offline)."""
    users = User.objects.bulk_create(
        User(
            email=f"statistik-{tag}-{i}@example.org",
            display_name=f"Statistik {i}",
            password="!",
            home_district=districts[i % len(districts)] if i % 4 else None,
        )
        for i in range(people)
    )
    quarter = max(size // 4, 1)
    proposals = Proposal.objects.bulk_create(
        Proposal(
            project=project,
            title=f"Vorschlag {i}",
            text="Erfundener Vorschlag für die Statistik.",
            author=None if i % 7 == 0 else users[i % people],
            channel=Channel.MARKET_STAND if i % 7 == 0 else Channel.ONLINE,
            submitted_on=START + timedelta(days=i % 60) if i % 7 == 0 else None,
            district=districts[i % len(districts)] if i % 3 else None,
        )
        for i in range(quarter)
    )
    _supports(proposals, users, quarter)
    Comment.objects.bulk_create(
        Comment(
            project=project,
            proposal=proposals[i % len(proposals)],
            author=None if i % 11 == 0 else users[(i * 3) % people],
            channel=Channel.WORKSHOP if i % 11 == 0 else Channel.ONLINE,
            text="Erfundener Kommentar.",
        )
        for i in range(quarter)
    )
    _responses(project, size - 3 * quarter, users, districts)


def _supports(proposals, users, count):
    """Distinct (proposal, person) pairs: a person supports a proposal at most once."""
    pairs = []
    for i in range(count):
        proposal = proposals[i % len(proposals)]
        user = users[(i * 7 + i // len(proposals)) % len(users)]
        pairs.append(Support(proposal=proposal, user=user))
        if len(pairs) >= len(proposals) * len(users):
            break
    return Support.objects.bulk_create(pairs, ignore_conflicts=True)


def _responses(project, count, users, districts):
    poll = PollFactory(project=project)
    ages = list(question(poll, QuestionKind.AGE_GROUP).options.order_by("position"))
    batch = PaperBatch.objects.create(
        poll=poll, channel=Channel.MITMACHMOBIL, collected_on=START + timedelta(days=40)
    )
    online = min(count // 2, len(users))
    participations = Participation.objects.bulk_create(
        Participation(poll=poll, user=users[i]) for i in range(online)
    )
    Response.objects.bulk_create(
        [
            Response(
                poll=poll,
                participation=participations[i],
                district=districts[i % len(districts)] if i % 5 else None,
                age_group=ages[i % len(ages)] if i % 2 else None,
            )
            for i in range(online)
        ]
        + [
            Response(
                poll=poll,
                channel=Channel.MITMACHMOBIL,
                batch=batch,
                district=districts[i % len(districts)],
                age_group=ages[(i * 3) % len(ages)],
            )
            for i in range(count - online)
        ]
    )
