"""Followers of a project hear when a survey opens and when its results are public."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mitmachen.accounts.models import FollowMail
from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.notifications.models import Notification
from mitmachen.polls.models import Poll, PollKind
from mitmachen.polls.services import poll_close, polls_followers_notify
from mitmachen.polls.tests.factories import PollFactory
from mitmachen.projects.follow_events import follow_checks
from mitmachen.projects.models import Visibility
from mitmachen.projects.services import project_follow
from mitmachen.projects.tests.factories import PhaseFactory

pytestmark = pytest.mark.django_db


def follower(project):
    person = UserFactory(follow_mail=FollowMail.IMMEDIATE)
    project_follow(user=person, project=project)
    return person


def kinds(person):
    return list(Notification.objects.filter(recipient=person).values_list("kind", "title"))


def test_the_check_is_registered_for_the_periodic_command():
    assert follow_checks()["polls"] is polls_followers_notify


def test_a_published_survey_that_opened_is_announced_once(project, mailoutbox):
    person = follower(project)
    poll = PollFactory(project=project, title="Vitale Innenstadt")
    unpublished = PollFactory(project=project, is_published=False)

    assert polls_followers_notify(timezone.now()) == 1
    assert polls_followers_notify(timezone.now()) == 0

    assert kinds(person) == [
        ("participation_opened", f"Neue Umfrage in „{project.title}“: Vitale Innenstadt")
    ]
    assert Notification.objects.get(recipient=person).url == poll.get_absolute_url()
    # Published later, while still open: announced then.
    Poll.objects.filter(pk=unpublished.pk).update(is_published=True)
    assert polls_followers_notify(timezone.now()) == 1


def test_a_vote_says_so_and_a_future_one_waits_for_its_phase(project):
    person = follower(project)
    now = timezone.now()
    phase = PhaseFactory(
        project=project,
        actions=["answer"],
        start=now + timedelta(hours=1),
        end=now + timedelta(days=5),
    )
    PollFactory(project=project, phase=phase, kind=PollKind.VOTE, title="Bänke")
    assert polls_followers_notify(now) == 0
    assert polls_followers_notify(now + timedelta(hours=2)) == 1
    assert kinds(person)[0][1].startswith("Neue Abstimmung in")


def test_results_are_announced_when_staff_close_the_poll(
    project, staff, django_capture_on_commit_callbacks
):
    person = follower(project)
    project_follow(user=staff, project=project)
    poll = PollFactory(project=project, title="Marktplatz")
    Poll.objects.filter(pk=poll.pk).update(opened_notified_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        poll_close(user=staff, poll=poll)

    assert ("results_published", f"Ergebnisse von „Marktplatz“ in „{project.title}“") in kinds(
        person
    )
    assert kinds(staff) == []  # who closed it is not told
    assert polls_followers_notify(timezone.now()) == 0  # once


def test_results_are_announced_when_the_phase_ends(project):
    person = follower(project)
    poll = PollFactory(project=project)
    Poll.objects.filter(pk=poll.pk).update(opened_notified_at=timezone.now())
    later = poll.phase.end + timedelta(minutes=1)

    assert polls_followers_notify(later) == 1
    assert [k for k, _t in kinds(person)] == ["results_published"]


def test_draft_projects_announce_nothing(project):
    person = follower(project)
    PollFactory(project=project)
    project.visibility = Visibility.DRAFT
    project.save()
    assert polls_followers_notify(timezone.now()) == 0
    assert kinds(person) == []
