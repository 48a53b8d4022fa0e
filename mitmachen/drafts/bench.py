"""The drafts' pages in ``make bench`` (``ParticipationModule.bench``): a draft of 300
paragraphs in 10 chapters with 5,000 comments (4,000 top-level, 1,000 replies), every
fourth top-level comment weighed, and 40 suggested wordings on its first paragraph, in the
benchmark's big project; with ``context.small`` 30 paragraphs, 50 comments and 4
suggestions."""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.urls import reverse

from mitmachen.comments.models import Comment
from mitmachen.core.channels import Channel
from mitmachen.drafts.models import (
    Chapter,
    CommentWeighing,
    Draft,
    Paragraph,
    Suggestion,
    Version,
    Weighing,
)
from mitmachen.projects.modules import BenchContext, BenchPage, changed

SLUG = "lastdaten-entwurf"
TITLE = "Integriertes Stadtentwicklungskonzept (Lastdaten)"
SENTENCES = [
    "Die Innenstadt soll ein Ort zum Wohnen, Arbeiten und Verweilen bleiben.",
    "Busse fahren in allen Ortsteilen mindestens im Stundentakt.",
    "Neue Wohnquartiere entstehen auf bereits versiegelten Flächen.",
    "Plätze und Straßen werden schattiger und laden zum Aufenthalt ein.",
    "Die Verwaltung berichtet jährlich, was umgesetzt wurde.",
]
OPINIONS = [
    "Das unterstütze ich, aber bitte mit einem Zeitplan.",
    "Hier fehlt, wer das bezahlen soll.",
    "Für die Dörfer am Rand ist das zu wenig.",
    "Bitte die Gewerbetreibenden früh beteiligen.",
]


@transaction.atomic
def _draft(context: BenchContext) -> Draft:
    existing = Draft.objects.filter(project=context.project, slug=SLUG).first()
    if existing is not None:
        return existing
    chapters_n, per_chapter = (3, 10) if context.small else (10, 30)
    top_n, reply_n = (40, 10) if context.small else (4000, 1000)
    draft = Draft.objects.create(
        project=context.project,
        title=TITLE,
        slug=SLUG,
        is_public=True,
        intro="Ein Entwurf der Lastdaten (erfunden), Absatz für Absatz kommentiert.",
    )
    Version.objects.create(draft=draft, number=1)
    chapters = Chapter.objects.bulk_create(
        Chapter(draft=draft, version=1, position=i + 1, title=f"Handlungsfeld {i + 1}")
        for i in range(chapters_n)
    )
    paragraphs = Paragraph.objects.bulk_create(
        Paragraph(
            draft=draft,
            chapter=chapters[n // per_chapter],
            version=1,
            number=n + 1,
            key=f"last{n + 1:04d}",
            text=f"{SENTENCES[n % len(SENTENCES)]} {SENTENCES[(n + 2) % len(SENTENCES)]}",
        )
        for n in range(chapters_n * per_chapter)
    )
    authors = list(context.accounts.values_list("pk", flat=True)[:200])
    # The first paragraph is the most discussed: a tenth of the comments, the rest spread.
    targets = [
        paragraphs[0] if i % 10 == 0 else paragraphs[i % len(paragraphs)] for i in range(top_n)
    ]
    tops = Comment.objects.bulk_create(
        Comment(
            project=context.project,
            paragraph=targets[i],
            author_id=authors[i % len(authors)],
            text=OPINIONS[i % len(OPINIONS)],
            channel=Channel.ONLINE,
        )
        for i in range(top_n)
    )
    Comment.objects.bulk_create(
        Comment(
            project=context.project,
            paragraph_id=tops[i].paragraph_id,
            parent_id=tops[i].pk,
            reply_to_id=tops[i].pk,
            author_id=authors[(i + 7) % len(authors)],
            text=OPINIONS[(i + 1) % len(OPINIONS)],
            channel=Channel.ONLINE,
        )
        for i in range(reply_n)
    )
    Comment.objects.filter(pk__in=[c.pk for c in tops[:reply_n]]).update(reply_count=1)
    CommentWeighing.objects.bulk_create(
        CommentWeighing(
            comment_id=tops[i].pk,
            weighing=Weighing.values[i % len(Weighing.values)],
            reason="Die Verwaltung hat den Beitrag geprüft (Lastdaten).",
        )
        for i in range(0, top_n, 4)
    )
    # Exact counters: every comment (replies too) counts on its paragraph.
    per_paragraph = Counter(c.paragraph_id for c in tops)
    per_paragraph.update(tops[i].paragraph_id for i in range(reply_n))
    for paragraph in paragraphs:
        paragraph.comment_count = per_paragraph[paragraph.pk]
    Paragraph.objects.bulk_update(paragraphs, ["comment_count"], batch_size=500)
    changed(project_id=context.project.pk)  # the bulk inserts send no signal
    context.log(
        f"Textentwurf mit {len(paragraphs)} Absätzen und {top_n + reply_n} Kommentaren angelegt."
    )
    return draft


WORDINGS = [
    "auch am Wochenende",
    "mit einem Zeitplan bis 2030",
    "gemeinsam mit den Ortsteilen",
    "und barrierefrei",
]


@transaction.atomic
def _suggestions(context: BenchContext, draft: Draft) -> Paragraph:
    """Suggested wordings on the first paragraph (40; 4 with ``small``), every second one
    weighed, the counter set exactly; returns that paragraph."""
    first = Paragraph.objects.get(draft=draft, version=draft.version, number=1)
    if Suggestion.objects.filter(paragraph=first).exists():
        return first
    n = 4 if context.small else 40
    authors = list(context.accounts.values_list("pk", flat=True)[:n])
    Suggestion.objects.bulk_create(
        Suggestion(
            paragraph=first,
            project=context.project,
            author_id=authors[i % len(authors)],
            text=f"{first.text.rstrip('.')} {WORDINGS[i % len(WORDINGS)]}.",
            reason=OPINIONS[i % len(OPINIONS)],
            name_in_report=i % 3 == 0,
            base_text=first.text,
            weighing=Weighing.values[i % len(Weighing.values)] if i % 2 == 0 else "",
            weighing_reason="Die Verwaltung hat den Vorschlag geprüft (Lastdaten)."
            if i % 2 == 0
            else "",
        )
        for i in range(n)
    )
    Paragraph.objects.filter(pk=first.pk).update(suggestion_count=n)
    changed(project_id=context.project.pk)  # the bulk insert sends no signal
    context.log(f"{n} Änderungsvorschläge zu Absatz 1 des Textentwurfs angelegt.")
    first.refresh_from_db()
    return first


def bench(context: BenchContext) -> tuple[BenchPage, ...]:
    draft = _draft(context)
    first = _suggestions(context, draft)
    first.draft = draft
    suggestion = Suggestion.objects.filter(paragraph=first).order_by("pk").first()
    assert suggestion is not None
    project = context.project.slug
    busiest = Paragraph.objects.filter(draft=draft).order_by("-comment_count", "number").first()
    assert busiest is not None
    n = Paragraph.objects.filter(draft=draft).count()
    total = sum(Paragraph.objects.filter(draft=draft).values_list("comment_count", flat=True))
    return (
        BenchPage(f"Textentwurf mit {n} Absätzen, {total} Kommentaren", draft.get_absolute_url()),
        # The public Abwägungstabelle: every contribution of the draft with its weighing
        # (its PDF and XLSX are made in the background, below).
        BenchPage(
            f"Abwägungstabelle ({n} Absätze, {total} Kommentare)",
            reverse("drafts:weighing", args=[project, draft.slug]),
        ),
        BenchPage(
            f"Absatz mit {first.suggestion_count} Änderungsvorschlägen",
            first.get_absolute_url(),
        ),
        BenchPage(
            "Ein Änderungsvorschlag (was daraus wurde)",
            reverse("drafts:suggestion", args=[project, draft.slug, suggestion.pk]),
        ),
        BenchPage(
            f"Kommentare zu einem Absatz ({busiest.comment_count})",
            reverse("comments:paragraph", args=[busiest.pk]),
        ),
        BenchPage(
            "Kommentar abwägen (Mitarbeitende)",
            reverse(
                "drafts:weigh_comment",
                args=[
                    project,
                    draft.slug,
                    Comment.objects.filter(paragraph=busiest)
                    .order_by("pk")
                    .values_list("pk", flat=True)[0],
                ],
            ),
            staff=True,
            anonymous=False,
            signed_in=False,
        ),
        # The PDF and XLSX are made in the background (drafts.table_services); the bench
        # loads the staff page that starts them and shows their progress.
        BenchPage(
            "Abwägungstabelle als Dateien (Mitarbeitende)",
            reverse("drafts:weighing_files", args=[project, draft.slug]),
            staff=True,
            anonymous=False,
            signed_in=False,
        ),
    )
