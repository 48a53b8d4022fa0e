"""Draft texts as a participation module (``projects.modules``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, Sum
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mitmachen.core.sections import Section
from mitmachen.drafts import council_report
from mitmachen.drafts import statistics as drafts_statistics
from mitmachen.drafts.bench import bench
from mitmachen.drafts.demo import seed_demo
from mitmachen.drafts.models import COMMENT_TEXT, COMMENT_WEIGHED, SUGGESTION_WEIGHED
from mitmachen.drafts.origin import SUGGESTION_ORIGIN
from mitmachen.drafts.process_template import TEMPLATE_PART
from mitmachen.drafts.selectors import drafts_of
from mitmachen.drafts.services import suggestions_set_hidden
from mitmachen.projects.models import Project
from mitmachen.projects.modules import (
    CachedModel,
    Gender,
    ModerationTarget,
    ParticipationModule,
    PhaseAction,
)
from mitmachen.projects.origins import OriginKind


def project_section(request: HttpRequest, project: Project) -> dict[str, Any] | None:
    """The project's drafts with their size and responses (one query); nothing without."""
    drafts = list(
        drafts_of(request.user, project).annotate(
            paragraph_total=Count("paragraphs", filter=Q(paragraphs__version=F("version"))),
            responses=Sum("paragraphs__agree_count")
            + Sum("paragraphs__disagree_count")
            + Sum("paragraphs__suggestion_count"),
            suggestion_total=Sum(
                "paragraphs__suggestion_count", filter=Q(paragraphs__suggestion_count__gt=0)
            ),
        )
    )
    if not drafts:
        return None
    for draft in drafts:
        draft.project = project
    return {"drafts": drafts}


MODERATION_TARGET = ModerationTarget(
    model="drafts.Suggestion",
    key="draft_suggestion",
    slug="aenderungsvorschlag",
    staff_slug="aenderungsvorschlaege",
    label=_("Änderungsvorschlag"),
    label_plural=_("Änderungsvorschläge"),
    gender=Gender.MASCULINE,
    subject=lambda s: (
        gettext("Änderungsvorschlag zu Absatz %(n)d von „%(draft)s“")
        % {"n": s.paragraph.number, "draft": s.paragraph.draft.title[:120]}
    ),
    yours=lambda s: gettext("Ihr Änderungsvorschlag zu Absatz %(n)d") % {"n": s.paragraph.number},
    headline=lambda s: s.text[:120],
    context=lambda s: f"{s.paragraph.draft.title} · {s.project.title}",
    template="drafts/moderation/target.html",
    select_related=("project__organisation", "author", "paragraph__draft__project"),
    set_hidden=suggestions_set_hidden,
    lock_order=40,
)


def _visible_paragraphs(user: Any, rows: Any) -> Any:
    """Paragraphs of published drafts in projects the person may see (``may_view``)."""
    return rows.filter(draft__is_public=True, draft__project__in=Project.objects.visible_to(user))


# A paragraph can become a measure ("Daraus wurde die Maßnahme …" on its page,
# ``draft_paragraph.footer``); a paragraph row belongs to one version of its draft.
ORIGIN = OriginKind(
    key="absatz",
    model="drafts.Paragraph",
    label=_("Absatz eines Textentwurfs"),
    visible=_visible_paragraphs,
    title=lambda paragraph: (
        gettext("Absatz %(n)d – %(draft)s")
        % {"n": paragraph.number, "draft": paragraph.draft.title}
    ),
    text=lambda paragraph: str(paragraph.text),
    organisation="draft.project.organisation_id",
    project="draft.project_id",
    select_related=("draft__project",),
    footer="draft_paragraph.footer",
    ready=lambda paragraph: paragraph.draft.is_public,
)


MODULE = ParticipationModule(
    label="drafts",
    urls="mitmachen.drafts.urls",
    phase_actions=(
        PhaseAction(
            COMMENT_TEXT,
            _("Textentwurf kommentieren"),
            order=15,
            explanation=_("Teilnehmende kommentieren Textentwürfe Absatz für Absatz."),
        ),
    ),
    sections=(Section("project", "drafts", "drafts/sections/project.html", project_section, 15),),
    page_cache=(
        CachedModel("drafts.Draft"),
        CachedModel("drafts.Version", "draft.project_id"),
        CachedModel("drafts.Chapter", "draft.project_id"),
        CachedModel("drafts.Paragraph", "draft.project_id"),
        CachedModel("drafts.Suggestion"),
        # Shown under the comment and in the Abwägungstabelle.
        CachedModel("drafts.CommentWeighing", "comment.project_id"),
    ),
    not_on_public_pages=(
        # A person's own vote shows only on their signed-in pages (never cached); the
        # counts on the paragraph change with it, and drafts.services calls changed().
        "drafts.ParagraphVote",
        # The same for a person's support of a suggestion: only its count is public, and
        # drafts.services calls changed() when it moves.
        "drafts.SuggestionSupport",
        # The Abwägungstabelle's files (PDF, XLSX): only staff see them, on a page sent
        # with no-store; the public table page does not read them.
        "drafts.WeighingTableFile",
    ),
    notification_kinds=(
        (SUGGESTION_WEIGHED, _("Änderungsvorschlag abgewogen")),
        (COMMENT_WEIGHED, _("Kommentar abgewogen")),
    ),
    moderation_targets=(MODERATION_TARGET,),
    demo=seed_demo,
    bench=bench,
    statistics=drafts_statistics.statistics,
    template=TEMPLATE_PART,
    report=council_report.report,
    origins=(ORIGIN, SUGGESTION_ORIGIN),
)
