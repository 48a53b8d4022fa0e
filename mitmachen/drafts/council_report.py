"""Drafts' section of the council report (``ParticipationModule.report``): per public
draft, its paragraphs, votes, suggested wordings and comments and how many of the
suggestions the administration has weighed – with a link to its Abwägungstabelle, which
the council receives in full (page, XLSX, PDF). Three queries, whatever the size."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from mitmachen.drafts.models import Draft, Paragraph, Suggestion
from mitmachen.projects.models import Project
from mitmachen.projects.report import ReportSection, ReportTable


def report(project: Project) -> ReportSection | None:
    drafts = list(
        Draft.objects.filter(project=project, is_public=True).order_by("created_at", "pk")
    )
    if not drafts:
        return None
    paragraphs: dict[int, dict[str, Any]] = {
        row["draft"]: dict(row)
        for row in Paragraph.objects.filter(draft__in=drafts)
        .order_by()
        .values("draft")
        .annotate(
            current=Count("pk", filter=Q(version=F("draft__version"))),
            agree=Sum("agree_count", default=0),
            disagree=Sum("disagree_count", default=0),
            comment_total=Sum("comment_count", default=0),
        )
    }
    suggestions: dict[int, dict[str, Any]] = {
        row["paragraph__draft"]: dict(row)
        for row in Suggestion.objects.filter(paragraph__draft__in=drafts, hidden_at__isnull=True)
        .order_by()
        .values("paragraph__draft")
        .annotate(n=Count("pk"), weighed=Count("pk", filter=~Q(weighing="")))
    }
    rows = []
    links = []
    for draft in drafts:
        p = paragraphs.get(draft.pk, {})
        s = suggestions.get(draft.pk, {})
        rows.append(
            (
                draft.title,
                _("Fassung %(n)s") % {"n": draft.version},
                p.get("current", 0),
                p.get("agree", 0),
                p.get("disagree", 0),
                s.get("n", 0),
                s.get("weighed", 0),
                p.get("comment_total", 0),
            )
        )
        links.append(
            (
                _("Abwägungstabelle „%(title)s“") % {"title": draft.title},
                reverse("drafts:weighing", kwargs={"slug": project.slug, "draft": draft.slug}),
            )
        )
    return ReportSection(
        key="drafts",
        title=_("Textentwürfe"),
        order=40,
        figures=(
            (_("Textentwürfe"), len(drafts)),
            (_("Änderungsvorschläge"), sum(r[5] for r in rows)),
            (_("Kommentare zu Absätzen"), sum(r[7] for r in rows)),
        ),
        text=(
            _(
                "Entwürfe, die Absatz für Absatz kommentiert wurden. Jeder Beitrag mit der "
                "Abwägung der Verwaltung steht in der Abwägungstabelle des Entwurfs."
            ),
        ),
        tables=(
            ReportTable(
                _("Textentwürfe"),
                (
                    _("Entwurf"),
                    _("Fassung"),
                    _("Absätze"),
                    _("Zustimmungen"),
                    _("Ablehnungen"),
                    _("Änderungsvorschläge"),
                    _("davon abgewogen"),
                    _("Kommentare"),
                ),
                tuple(rows),
            ),
        ),
        links=tuple(links),
    )
