"""Supporting someone else's suggested wording: once per person, withdrawable, only on
the current version, not one's own; counted on the suggestion; gone with the account."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.channels import Channel
from mitmachen.core.registry import erasers
from mitmachen.drafts import services
from mitmachen.drafts.models import Paragraph, Suggestion, SuggestionSupport
from mitmachen.drafts.tests.conftest import paragraph
from mitmachen.proposals.tests.conftest import set_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggestion(responding, draft, resident):
    return services.suggestion_create(by=resident, paragraph=paragraph(draft, 1), text="Bis 2040.")


def supports(suggestion):
    suggestion.refresh_from_db()
    return suggestion.support_count, SuggestionSupport.objects.filter(suggestion=suggestion).count()


def test_support_counts_once_and_can_be_withdrawn(suggestion):
    person = UserFactory()
    assert services.suggestion_support(user=person, suggestion=suggestion, support=True)
    assert services.suggestion_support(user=person, suggestion=suggestion, support=True)
    services.suggestion_support(user=UserFactory(), suggestion=suggestion, support=True)
    assert supports(suggestion) == (2, 2)
    assert not services.suggestion_support(user=person, suggestion=suggestion, support=False)
    assert supports(suggestion) == (1, 1)


def test_no_support_for_ones_own_an_old_version_or_a_closed_phase(
    responding, draft, suggestion, resident, manager
):
    with pytest.raises(ValidationError, match="eigenen Vorschlag"):
        services.suggestion_support(user=resident, suggestion=suggestion, support=True)
    set_phase(responding, ["comment"])
    with pytest.raises(PermissionDenied, match="In dieser Phase"):
        services.suggestion_support(user=UserFactory(), suggestion=suggestion, support=True)
    set_phase(responding, ["comment_text"])
    services.version_publish(user=manager, draft=draft, text="# Neu\n\nGanz neu.")
    old = Suggestion.objects.select_related("paragraph__draft__project").get(pk=suggestion.pk)
    with pytest.raises(ValidationError, match="Fassung 1"):
        services.suggestion_support(user=UserFactory(), suggestion=old, support=True)
    assert supports(suggestion) == (0, 0)


def test_an_offline_suggestion_can_be_supported(responding, draft, manager):
    offline = services.suggestion_create(
        by=manager, paragraph=paragraph(draft, 2), text="Anders.", channel=Channel.WORKSHOP
    )
    services.suggestion_support(user=manager, suggestion=offline, support=True)
    assert supports(offline) == (1, 1)


def test_support_form_without_javascript(client, responding, draft, suggestion):
    url = reverse("drafts:support", args=[responding.slug, draft.slug, suggestion.pk])
    assert client.post(url, {"unterstuetzung": "unterstuetzen"}).status_code == 302
    assert supports(suggestion) == (0, 0)  # to the login first
    client.force_login(UserFactory())
    page = client.get(suggestion.paragraph.get_absolute_url()).content.decode()
    assert "0 Personen unterstützen diesen Vorschlag." in page and ">Unterstützen<" in page
    response = client.post(url, {"unterstuetzung": "unterstuetzen"})
    assert response["Location"].endswith(f"#vorschlag-{suggestion.pk}")
    page = client.get(suggestion.paragraph.get_absolute_url()).content.decode()
    assert "1 Person unterstützt diesen Vorschlag. Sie unterstützen ihn." in page
    assert "Unterstützung zurücknehmen" in page
    response = client.post(url, {"unterstuetzung": "vielleicht"}, follow=True)
    assert "Bitte wählen Sie: unterstützen oder zurücknehmen." in response.content.decode()
    client.post(url, {"unterstuetzung": "zuruecknehmen"})
    assert supports(suggestion) == (0, 0)


def test_the_author_sees_no_support_button(client, responding, suggestion, resident):
    client.force_login(resident)
    page = client.get(suggestion.paragraph.get_absolute_url()).content.decode()
    assert ">Unterstützen<" not in page


def test_deleting_the_account_lowers_the_counts(responding, draft, suggestion):
    person = UserFactory()
    p = paragraph(draft, 2)
    services.paragraph_vote(user=person, paragraph=p, value=-1)
    services.suggestion_support(user=person, suggestion=suggestion, support=True)
    erasers()["textentwuerfe"](person)
    person.delete()
    assert supports(suggestion) == (0, 0)
    p = Paragraph.objects.get(pk=p.pk)
    assert (p.agree_count, p.disagree_count) == (0, 0)
