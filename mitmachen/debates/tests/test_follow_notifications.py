"""Followers of a project hear about new debates and about a conclusion, once each."""

from __future__ import annotations

import pytest

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.services import comment_create
from mitmachen.debates.models import Stance
from mitmachen.debates.services import debate_close, debate_create
from mitmachen.notifications.models import Notification
from mitmachen.projects.services import project_follow, project_unfollow

pytestmark = pytest.mark.django_db


def kinds(person):
    return list(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


def test_a_new_debate_is_announced_to_followers_but_not_its_author(
    debating, resident, django_capture_on_commit_callbacks
):
    person, gone = UserFactory(), UserFactory()
    for follower in (person, gone, resident):
        project_follow(user=follower, project=debating)
    project_unfollow(user=gone, project=debating)

    with django_capture_on_commit_callbacks(execute=True):
        debate = debate_create(author=resident, project=debating, question="Mehr Bänke?")

    note = Notification.objects.get(recipient=person)
    assert note.kind == "participation_opened"
    assert note.title == f"Neue Debatte in „{debating.title}“: Mehr Bänke?"
    assert note.url == debate.get_absolute_url()
    assert kinds(resident) == [] and kinds(gone) == []


def test_closing_with_a_conclusion_tells_followers_once(
    debating, manager, resident, django_capture_on_commit_callbacks
):
    debate = debate_create(author=manager, project=debating, question="Autofrei?")
    comment_create(author=resident, project=debating, debate=debate, text="Ja!", stance=Stance.FOR)
    person = UserFactory()
    for follower in (person, resident, manager):
        project_follow(user=follower, project=debating)

    with django_capture_on_commit_callbacks(execute=True):
        debate_close(user=manager, debate=debate, conclusion="Wir prüfen es.")

    assert kinds(person) == ["debate_closed"]
    assert "Wir prüfen es." in Notification.objects.get(recipient=person).text
    assert kinds(resident) == ["debate_closed"]  # as a commenter, not twice
    assert kinds(manager) == []  # closed it
