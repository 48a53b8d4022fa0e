"""Debates' section of the council report (``ParticipationModule.report``): each visible
debate with its comments, the stances taken and the administration's conclusion. Who
opened or joined a debate is not named. One query, whatever the number of debates.
The conclusion is Markdown on the page and plain text in the report."""

from __future__ import annotations

from html import unescape

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from mitmachen.core.markdown import render_markdown
from mitmachen.debates.models import Debate
from mitmachen.projects.models import Project
from mitmachen.projects.report import ReportSection, ReportTable


def plain(markdown: str) -> str:
    """The conclusion (Markdown) as the plain text it reads as: no asterisks in print."""
    text = unescape(strip_tags(render_markdown(markdown)))
    return "\n".join(line.strip() for line in text.strip().splitlines() if line.strip())


def report(project: Project) -> ReportSection | None:
    debates = list(
        Debate.objects.filter(project=project)
        .not_hidden()
        .order_by("created_at", "pk")
        .only(
            "question",
            "closed_at",
            "conclusion",
            "comment_count",
            "for_count",
            "against_count",
            "neutral_count",
            "created_at",
        )
    )
    if not debates:
        return None
    closed = [d for d in debates if d.closed_at is not None]
    rows = tuple(
        (
            d.question,
            timezone.localtime(d.created_at).date(),
            _("abgeschlossen") if d.closed_at else _("offen"),
            d.comment_count,
            d.for_count,
            d.against_count,
            d.neutral_count,
            plain(d.conclusion) or (_("noch kein Fazit") if d.closed_at is None else ""),
        )
        for d in debates
    )
    return ReportSection(
        key="debates",
        title=_("Debatten"),
        order=30,
        figures=(
            (_("Debatten"), len(debates)),
            (_("davon abgeschlossen"), len(closed)),
            (_("Kommentare"), sum(d.comment_count for d in debates)),
        ),
        text=(
            _(
                "Fragen, die mit der Verwaltung debattiert wurden: Kommentare mit ihrer "
                "Haltung (dafür, dagegen, neutral) und das Fazit der Verwaltung."
            ),
        ),
        tables=(
            ReportTable(
                _("Debatten und ihr Fazit"),
                (
                    _("Frage"),
                    _("eröffnet am"),
                    _("Stand"),
                    _("Kommentare"),
                    _("dafür"),
                    _("dagegen"),
                    _("neutral"),
                    _("Fazit der Verwaltung"),
                ),
                rows,
            ),
        ),
    )
