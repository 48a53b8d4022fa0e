"""Suggestions are moderated like every contribution (declared in ``drafts.module``)."""

import pytest
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.drafts import services
from mitmachen.drafts.models import Paragraph
from mitmachen.drafts.tests.conftest import paragraph
from mitmachen.moderation import services as moderation
from mitmachen.moderation.models import Report
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(project):
    return MembershipFactory(organisation=project.organisation, role=Role.MODERATOR).user


@pytest.fixture
def suggestion(responding, draft, resident):
    return services.suggestion_create(by=resident, paragraph=paragraph(draft, 1), text="Anders.")


def count(suggestion):
    return Paragraph.objects.get(pk=suggestion.paragraph_id).suggestion_count


def test_reports_hide_a_suggestion_and_its_count_follows(settings, suggestion):
    settings.MODERATION_AUTO_HIDE_REPORTS = 2
    for _ in range(2):
        moderation.report_create(reporter=UserFactory(), target=suggestion, reason="spam")
    suggestion.refresh_from_db()
    assert suggestion.is_hidden and count(suggestion) == 0
    assert Report.objects.about(suggestion).count() == 2


def test_moderators_hide_and_restore(suggestion, moderator, client):
    assert moderation.hide(moderator=moderator, target=suggestion, reason="Beleidigend")
    assert count(suggestion) == 0
    page = client.get(suggestion.paragraph.get_absolute_url()).content.decode()
    assert "eingefügt: </span>Anders" not in page and "0 Änderungsvorschläge" in page
    client.force_login(moderator)
    page = client.get(suggestion.paragraph.get_absolute_url()).content.decode()
    assert "eingefügt: </span>Anders" in page and "Ausgeblendet</strong>: Beleidigend" in page
    assert moderation.restore(moderator=moderator, target=suggestion, reason="Doch in Ordnung")
    assert count(suggestion) == 1


def test_blocking_the_author_hides_their_suggestions(project, suggestion, moderator, resident):
    moderation.block(
        moderator=moderator, organisation=project.organisation, user=resident, reason="Spam"
    )
    suggestion.refresh_from_db()
    assert suggestion.is_hidden and count(suggestion) == 0
    moderation.unblock(
        moderator=moderator, organisation=project.organisation, user=resident, reason="Gut"
    )
    assert count(suggestion) == 1


def test_the_paragraph_page_links_to_reporting_and_moderating(client, suggestion, moderator):
    client.force_login(UserFactory())
    page = client.get(suggestion.paragraph.get_absolute_url()).content.decode()
    report_url = reverse("moderation:report_draft_suggestion", args=[suggestion.pk])
    assert report_url in page
    response = client.post(report_url, {"reason": "spam"})
    assert response.status_code == 302 and Report.objects.about(suggestion).count() == 1
    client.force_login(moderator)
    page = client.get(suggestion.paragraph.get_absolute_url()).content.decode()
    assert reverse("moderation:draft_suggestion", args=[suggestion.pk]) in page
    assert (
        client.get(reverse("moderation:draft_suggestion", args=[suggestion.pk])).status_code == 200
    )
