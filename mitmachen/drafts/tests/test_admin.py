"""The drafts admin deletes no draft that residents responded to (their comments, votes
and suggestions would go with it)."""

import pytest
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.drafts import services
from mitmachen.drafts.models import Draft, ParagraphVote, Vote
from mitmachen.drafts.tests.conftest import make_draft, paragraph

pytestmark = pytest.mark.django_db


def test_a_draft_with_responses_is_not_deleted_in_the_admin(
    client, project, manager, responding, resident
):
    answered = make_draft(project, manager, slug="beantwortet")
    untouched = make_draft(project, manager, slug="unberuehrt")
    services.paragraph_vote(user=resident, paragraph=paragraph(answered, 1), value=Vote.AGREE)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse("admin:drafts_draft_delete", args=[answered.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Draft.objects.filter(pk=answered.pk).exists()
    assert ParagraphVote.objects.filter(paragraph__draft=answered).count() == 1
    url = reverse("admin:drafts_draft_delete", args=[untouched.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Draft.objects.filter(pk=untouched.pk).exists()
