"""The permission matrix of draft texts over the services (issue 11, "Rules that must
hold"): anonymous, resident, a suggestion's author, blocked resident, moderator, project
manager, the municipality's administration and another municipality's administration ×
the phase open for responses, the phase over, and the draft unpublished; for reading,
agreeing, suggesting, supporting someone else's suggestion and weighing. Every refusal
changes nothing and says why in German."""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.permissions import decide
from mitmachen.drafts import services
from mitmachen.drafts.models import COMMENT_TEXT, ParagraphVote, Suggestion, Vote, Weighing
from mitmachen.drafts.tests.conftest import make_draft, paragraph
from mitmachen.moderation import services as moderation
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.proposals.tests.conftest import set_phase

pytestmark = pytest.mark.django_db

ACTIONS = ("view", "vote", "suggest", "support", "weigh")
OPEN_TO_TAKE_PART = {"resident", "author", "moderator", "manager", "admin", "other_admin"}
MANAGING = {"manager", "admin"}


def people(project, manager):
    moderator = MembershipFactory(organisation=project.organisation, role=Role.MODERATOR).user
    blocked = UserFactory()
    moderation.block(
        moderator=moderator, organisation=project.organisation, user=blocked, reason="Spam"
    )
    return {
        "anonymous": AnonymousUser(),
        "resident": UserFactory(),
        "author": UserFactory(display_name="Autorin"),
        "blocked": blocked,
        "moderator": moderator,
        "manager": manager,
        "admin": MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user,
        "other_admin": MembershipFactory(organisation=OrganisationFactory(), role=Role.ADMIN).user,
    }


def attempt(action, user, draft, suggestion):
    """Try ``action`` through its service; True when it went through."""
    first = paragraph(draft, 1)
    try:
        if action == "view":
            return rules.has_perm("drafts.view_draft", user, draft)
        if action == "vote":
            services.paragraph_vote(user=user, paragraph=first, value=Vote.AGREE)
        elif action == "suggest":
            services.suggestion_create(by=user, paragraph=first, text="Bis 2040 klimaneutral.")
        elif action == "support":
            services.suggestion_support(user=user, suggestion=suggestion, support=True)
        elif action == "weigh":
            services.suggestion_weigh(
                user=user, suggestion=suggestion, weighing=Weighing.NOTED, reason="Gelesen."
            )
    except (PermissionDenied, ValidationError) as refusal:
        assert " ".join(getattr(refusal, "messages", [str(refusal)])).strip()  # says why
        return False
    return True


def expected(state, who, action):
    if action == "view":
        if state == "unpublished":
            return who in MANAGING
        return True
    if action == "weigh":
        return who in MANAGING  # after the phase too, and before publishing
    if state != "open" or who not in OPEN_TO_TAKE_PART:
        return False
    return not (action == "support" and who == "author")  # not one's own suggestion


@pytest.mark.parametrize("state", ["open", "over", "unpublished"])
def test_permission_matrix(project, manager, state):
    draft = make_draft(project, manager)
    everyone = people(project, manager)
    set_phase(project, [COMMENT_TEXT])
    project.refresh_from_db()
    suggestion = services.suggestion_create(
        by=everyone["author"], paragraph=paragraph(draft, 1), text="Bis 2045 klimaneutral!"
    )
    if state == "over":
        set_phase(project, [COMMENT_TEXT], running=False)
    elif state == "unpublished":
        draft.is_public = False
        draft.save()
    project.refresh_from_db()
    draft.refresh_from_db()
    seen, wanted = {}, {}
    for who, user in everyone.items():
        for action in ACTIONS:
            votes = ParagraphVote.objects.count()
            suggestions = Suggestion.objects.count()
            suggestion.refresh_from_db()
            seen[(who, action)] = attempt(action, user, draft, suggestion)
            wanted[(who, action)] = expected(state, who, action)
            if not seen[(who, action)]:  # a refusal changes nothing
                assert ParagraphVote.objects.count() == votes
                assert Suggestion.objects.count() == suggestions
    assert seen == wanted


def test_refusals_say_why_in_german(project, manager):
    draft = make_draft(project, manager)
    everyone = people(project, manager)
    set_phase(project, [])
    project.refresh_from_db()
    reasons = {
        who: decide(everyone[who], "drafts.respond", draft).reason
        for who in ("anonymous", "blocked", "resident")
    }
    assert reasons == {
        "anonymous": "Bitte melden Sie sich an, um auf den Entwurf zu antworten.",
        "blocked": "Ihr Konto ist für Beteiligungen in dieser Kommune gesperrt.",
        "resident": "In dieser Phase kann der Entwurf nicht kommentiert werden.",
    }
    assert (
        decide(everyone["moderator"], "drafts.manage_draft", draft).reason
        == "Nur die Verwaltung des Projekts kann das."
    )
