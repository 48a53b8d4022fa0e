"""The drafts module's rows in the platform-wide tests (``core/tests/module_contracts.py``)."""

from __future__ import annotations

from typing import Any

from mitmachen.drafts import services
from mitmachen.drafts.models import COMMENT_TEXT, Chapter, Draft, Paragraph
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory


def deletion_seed(seed: Any) -> set[tuple[str, str]]:
    """A vote, a suggested wording (with its reason) and a comment of the person on a
    paragraph, weighed by the administration."""
    project = ProjectFactory(organisation=seed.organisation)
    PhaseFactory(project=project, actions=[COMMENT_TEXT])
    draft = Draft.objects.create(project=project, title="Agenda", slug="agenda", is_public=True)
    chapter = Chapter.objects.create(draft=draft, position=1, title="Leitbild")
    passage = Paragraph.objects.create(draft=draft, chapter=chapter, number=1, text="Bis 2045.")
    services.paragraph_vote(user=seed.person, paragraph=passage, value=1)
    services.suggestion_create(
        by=seed.person,
        paragraph=passage,
        text=f"Bis 2040 {seed.content}.",
        reason=f"Weil {seed.content}",
        name_in_report=True,
    )
    from mitmachen.comments.services import comment_create
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import MembershipFactory

    comment = comment_create(
        author=seed.person, project=project, target=passage, text=f"Gut, {seed.content}."
    )
    staff = MembershipFactory(organisation=seed.organisation, role=Role.ADMIN).user
    services.comment_weigh(user=staff, comment=comment, weighing="noted", reason="Gelesen.")
    return {
        ("drafts_suggestion", "text"),
        ("drafts_suggestion", "reason"),
        ("comments_comment", "text"),
    }


def admin_scope_objects(town: Any, project: Any) -> list[Any]:
    draft = Draft.objects.create(
        project=project, title=f"Entwurf {project.slug}", slug=f"entwurf-{project.pk}"
    )
    return [draft]
