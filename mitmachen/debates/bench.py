"""The debates' pages in ``make bench`` (``ParticipationModule.bench``): a debate with
200 contributions (160 with a stance, 40 replies) in the benchmark's big project."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from mitmachen.comments.models import Comment
from mitmachen.comments.stances import Stance
from mitmachen.core.channels import Channel
from mitmachen.debates.models import STANCE_COUNTERS, Debate
from mitmachen.projects.modules import BenchContext, BenchPage, changed

QUESTION = "Soll der Marktplatz autofrei werden? (Lastdaten)"
STANCES = [Stance.FOR, Stance.FOR, Stance.AGAINST, Stance.NEUTRAL]
OPINIONS = [
    "Ich bin dafür, weil es den Händlern am Markt hilft.",
    "Ohne Parkplätze kommen ältere Menschen schlechter zum Einkaufen.",
    "Ein Versuch über einen Sommer wäre ein guter Anfang.",
    "Der Lieferverkehr braucht feste Zeiten, dann geht es.",
]


@transaction.atomic
def _debate(context: BenchContext) -> Debate:
    existing = Debate.objects.filter(project=context.project, question=QUESTION).first()
    if existing is not None:
        return existing
    top_n, reply_n = (8, 2) if context.small else (160, 40)
    debate = Debate.objects.create(
        project=context.project,
        question=QUESTION,
        description="Eine Debatte der Lastdaten (erfunden) mit Beiträgen dafür und dagegen.",
        opened_by_staff=True,
    )
    authors = list(context.accounts.values_list("pk", flat=True)[: top_n + reply_n])
    tops = Comment.objects.bulk_create(
        Comment(
            project=context.project,
            debate=debate,
            stance=STANCES[i % len(STANCES)],
            author_id=authors[i % len(authors)],
            text=OPINIONS[i % len(OPINIONS)],
            channel=Channel.ONLINE,
        )
        for i in range(top_n)
    )
    Comment.objects.bulk_create(
        Comment(
            project=context.project,
            debate=debate,
            parent_id=tops[i].pk,
            reply_to_id=tops[i].pk,
            author_id=authors[(top_n + i) % len(authors)],
            text=OPINIONS[(i + 1) % len(OPINIONS)],
            channel=Channel.ONLINE,
        )
        for i in range(reply_n)
    )
    for i in range(reply_n):
        Comment.objects.filter(pk=tops[i].pk).update(reply_count=1)
    debate.comment_count = top_n + reply_n
    for stance, counter in STANCE_COUNTERS.items():
        setattr(debate, counter, sum(1 for c in tops if c.stance == stance))
    debate.save()
    changed(project_id=context.project.pk)  # the bulk inserts send no signal
    context.log(f"Debatte mit {top_n + reply_n} Beiträgen angelegt.")
    return debate


def bench(context: BenchContext) -> tuple[BenchPage, ...]:
    debate = _debate(context)
    return (
        BenchPage("Debattenliste", reverse("debates:list", kwargs={"slug": context.project.slug})),
        BenchPage("Debatte mit 200 Beiträgen", reverse("debates:detail", args=[debate.pk])),
    )
