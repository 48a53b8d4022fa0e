"""A suggested wording can become a measure (``projects.origins``): draft suggestions are
an origin kind, beside the paragraphs (``module.ORIGIN``).

The measures module sits above drafts in the layers, so drafts imports none of it. Staff
of the municipality turn a suggestion – adopted or not, a weighing is no condition – into
a measure in one step: "Maßnahme daraus machen" in the box under the suggestion on its
own page (``drafts:suggestion``, which draws the section page ``draft_suggestion.footer``).
The measure takes an excerpt of the suggested wording as its title, the wording and its
reason as its description; the suggestion's author is told.

Who sees a suggestion as an origin follows the suggestion's own rule
(``selectors.suggestions_of`` and the paragraph page): a suggestion of a published draft
in a project the person may see; a hidden one only for staff of its municipality
(``projects.permissions.sees_hidden``), never for residents.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mitmachen.drafts.models import Suggestion
from mitmachen.projects.models import Project
from mitmachen.projects.origins import OriginKind
from mitmachen.projects.permissions import staff_roles


def visible_suggestions(user: Any, rows: Any) -> Any:
    """``rows`` narrowed to the suggestions ``user`` may see: of a published draft in a
    visible project, not hidden – unless the person works for its municipality."""
    rows = rows.filter(
        paragraph__draft__is_public=True, project__in=Project.objects.visible_to(user)
    )
    if getattr(user, "is_superuser", False):
        return rows
    return rows.filter(
        Q(hidden_at__isnull=True) | Q(project__organisation_id__in=list(staff_roles(user)))
    )


def suggestion_page(suggestion: Suggestion) -> str:
    """The suggestion's own page, which draws ``draft_suggestion.footer``."""
    draft = suggestion.paragraph.draft
    return reverse("drafts:suggestion", args=[draft.project.slug, draft.slug, suggestion.pk])


def suggestion_title(suggestion: Suggestion, limit: int = 100) -> str:
    """The wording, up to ``limit`` characters, cut after a whole word."""
    text = " ".join(suggestion.text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def suggestion_text(suggestion: Suggestion) -> str:
    text = str(suggestion.text)
    if suggestion.reason:
        text += "\n\n" + gettext("Begründung: %(reason)s") % {"reason": suggestion.reason}
    return text


def suggestion_people(suggestion: Suggestion) -> Any:
    # The author (none for one entered from a workshop or a letter, or a deleted account).
    pks = [suggestion.author_id] if suggestion.author_id else []
    return get_user_model().objects.filter(pk__in=pks)


SUGGESTION_ORIGIN = OriginKind(
    key="aenderungsvorschlag",  # in addresses (/massnahmen/aus/aenderungsvorschlag/<id>/)
    model="drafts.Suggestion",
    label=_("Änderungsvorschlag zu einem Textentwurf"),
    visible=visible_suggestions,
    title=suggestion_title,
    text=suggestion_text,
    organisation="project.organisation_id",
    project="project_id",
    select_related=("project", "paragraph__draft__project"),
    footer="draft_suggestion.footer",
    page=suggestion_page,
    ready=lambda suggestion: suggestion.paragraph.draft.is_public,
    people=suggestion_people,
)
