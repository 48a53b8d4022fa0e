"""Who hears of a measure's update beyond its followers (the project's followers, also in
their weekly summary), and staff correcting an update's text."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mitmachen.accounts.models import FollowMail
from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.measures import services
from mitmachen.measures.models import Measure, StatusKind
from mitmachen.measures.tests.factories import MeasureFactory
from mitmachen.notifications.models import Notification
from mitmachen.projects.models import FollowDigestItem
from mitmachen.projects.services import follow_digests_send, project_follow

pytestmark = pytest.mark.django_db


def _post(manager, measure, capture, text="Die Bänke stehen."):
    with capture(execute=True):
        return services.update_post(user=manager, measure=measure, text=text)


def test_project_followers_hear_of_an_update_once(
    project, goal, manager, django_capture_on_commit_callbacks
):
    measure = MeasureFactory(goal=goal, project=project, title="Bänke am Markt")
    of_project = UserFactory()
    project_follow(user=of_project, project=project)
    of_both = UserFactory()
    project_follow(user=of_both, project=project)
    services.measure_follow(user=of_both, measure=measure)
    project_follow(user=manager, project=project)  # the author hears nothing of their own
    _post(manager, measure, django_capture_on_commit_callbacks)
    for person in (of_project, of_both):
        note = Notification.objects.get(recipient=person, kind="measure_updated")
        assert "Bänke am Markt" in note.title
        assert note.url == measure.get_absolute_url()
    assert not Notification.objects.filter(recipient=manager).exists()


def test_a_draft_measure_tells_no_project_follower(
    project, goal, manager, django_capture_on_commit_callbacks
):
    measure = MeasureFactory(goal=goal, project=project, published=False)
    person = UserFactory()
    project_follow(user=person, project=project)
    _post(manager, measure, django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(recipient=person).exists()


def test_measure_updates_go_into_the_weekly_summary(
    project, goal, manager, mailoutbox, django_capture_on_commit_callbacks
):
    measure = MeasureFactory(goal=goal, project=project, title="Rufbus für die Dörfer")
    person = UserFactory(follow_mail=FollowMail.WEEKLY)
    project_follow(user=person, project=project)
    _post(manager, measure, django_capture_on_commit_callbacks, text="Der Rufbus fährt.")
    assert FollowDigestItem.objects.filter(user=person).count() == 1
    assert mailoutbox == []  # weekly: no mail at once
    with django_capture_on_commit_callbacks(execute=True):
        assert follow_digests_send() == 1
    (mail,) = mailoutbox
    assert "Rufbus für die Dörfer" in mail.body
    assert measure.get_absolute_url() in mail.body


def test_project_followers_who_chose_mails_at_once_get_one(
    project, goal, manager, mailoutbox, django_capture_on_commit_callbacks
):
    measure = MeasureFactory(goal=goal, project=project, title="Rufbus")
    person = UserFactory(follow_mail=FollowMail.IMMEDIATE)
    project_follow(user=person, project=project)
    _post(manager, measure, django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [[person.email]]
    assert "Rufbus" in mailoutbox[0].subject


def test_staff_correct_an_update(client, goal, manager, django_capture_on_commit_callbacks):
    measure = MeasureFactory(goal=goal)
    follower = UserFactory()
    services.measure_follow(user=follower, measure=measure)
    update = _post(manager, measure, django_capture_on_commit_callbacks, text="Die Bänke stehn.")
    url = reverse("measures:update_edit", args=[update.pk])
    client.force_login(manager)
    assert url in client.get(measure.get_absolute_url()).content.decode()
    response = client.post(url, {"text": "   "})
    assert response.status_code == 200
    assert "Bitte" in response.content.decode()
    update.refresh_from_db()
    assert update.text == "Die Bänke stehn." and update.edited_at is None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": "Die Bänke stehen."})
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.text == "Die Bänke stehen." and update.edited_at is not None
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "Die Bänke stehen." in page and "Bearbeitet am" in page
    # The followers heard of the update once, not of the correction.
    assert Notification.objects.filter(recipient=follower).count() == 1


def test_an_unchanged_text_is_no_edit(goal, manager, django_capture_on_commit_callbacks):
    update = _post(manager, MeasureFactory(goal=goal), django_capture_on_commit_callbacks)
    assert services.update_edit(user=manager, update=update, text=update.text).edited_at is None


@pytest.mark.parametrize("who", ["resident", "moderator", "stranger_staff"])
def test_others_may_not_edit_an_update(
    request, client, who, goal, manager, django_capture_on_commit_callbacks
):
    update = _post(manager, MeasureFactory(goal=goal), django_capture_on_commit_callbacks)
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.update_edit(user=user, update=update, text="Anders.")
    client.force_login(user)
    url = reverse("measures:update_edit", args=[update.pk])
    assert client.post(url, {"text": "Anders."}).status_code == 404
    update.refresh_from_db()
    assert update.text == "Die Bänke stehen."


def test_a_too_long_text_is_refused(goal, manager, django_capture_on_commit_callbacks):
    update = _post(manager, MeasureFactory(goal=goal), django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        services.update_edit(user=manager, update=update, text="x" * 10_001)


# The weekly summary of people who follow only a measure (not its project).


def _weekly_follower(measure):
    person = UserFactory(follow_mail=FollowMail.WEEKLY)
    services.measure_follow(user=person, measure=measure)
    return person


def _summary(capture, mailoutbox, person):
    with capture(execute=True):
        follow_digests_send()
    return [mail for mail in mailoutbox if mail.to == [person.email]]


@pytest.mark.parametrize("with_project", [False, True])
def test_who_follows_only_the_measure_finds_its_week_in_the_summary(
    with_project, project, goal, manager, mailoutbox, django_capture_on_commit_callbacks
):
    measure = MeasureFactory(
        goal=goal, project=project if with_project else None, title="Rufbus für die Dörfer"
    )
    person = _weekly_follower(measure)
    _post(manager, measure, django_capture_on_commit_callbacks, text="Der Rufbus fährt.")
    with django_capture_on_commit_callbacks(execute=True):
        services.update_post(
            user=manager,
            measure=measure,
            text="Fertig.",
            status=services.default_status(StatusKind.DONE),
        )
    assert mailoutbox == []  # weekly: no mail at once
    (mail,) = _summary(django_capture_on_commit_callbacks, mailoutbox, person)
    assert mail.body.count(measure.get_absolute_url()) == 2
    assert "Neuer Stand der Maßnahme „Rufbus für die Dörfer“: umgesetzt" in mail.body
    assert "Neues zur Maßnahme „Rufbus für die Dörfer“" in mail.body
    heading = project.title if with_project else "Maßnahmen, denen Sie folgen"
    assert f"== {heading} ==" in mail.body


def test_who_follows_the_measure_and_its_project_gets_each_entry_once(
    project, goal, manager, mailoutbox, django_capture_on_commit_callbacks
):
    measure = MeasureFactory(goal=goal, project=project, title="Rufbus")
    person = _weekly_follower(measure)
    project_follow(user=person, project=project)
    _post(manager, measure, django_capture_on_commit_callbacks)
    assert FollowDigestItem.objects.filter(user=person).count() == 1
    (mail,) = _summary(django_capture_on_commit_callbacks, mailoutbox, person)
    assert mail.body.count(measure.get_absolute_url()) == 1


def test_project_followers_keep_measure_entries_without_following_the_measure(
    project, goal, manager, mailoutbox, django_capture_on_commit_callbacks
):
    measure = MeasureFactory(goal=goal, project=project, title="Rufbus")
    person = UserFactory(follow_mail=FollowMail.WEEKLY)
    project_follow(user=person, project=project)
    _post(manager, measure, django_capture_on_commit_callbacks)
    (mail,) = _summary(django_capture_on_commit_callbacks, mailoutbox, person)
    assert measure.get_absolute_url() in mail.body


@pytest.mark.parametrize("change", ["unfollowed", "unpublished"])
def test_a_measure_no_longer_followed_or_seen_leaves_the_summary(
    change, goal, manager, mailoutbox, django_capture_on_commit_callbacks
):
    measure = MeasureFactory(goal=goal, title="Rufbus")
    person = _weekly_follower(measure)
    _post(manager, measure, django_capture_on_commit_callbacks)
    if change == "unfollowed":
        services.measure_unfollow(user=person, measure=measure)
    else:
        Measure.objects.filter(pk=measure.pk).update(published=False)
    assert _summary(django_capture_on_commit_callbacks, mailoutbox, person) == []
    assert not FollowDigestItem.objects.filter(user=person, digest__isnull=True).exists()


def test_followers_who_chose_no_mail_get_no_summary_entry(
    goal, manager, django_capture_on_commit_callbacks
):
    measure = MeasureFactory(goal=goal)
    person = UserFactory(follow_mail=FollowMail.NONE)
    services.measure_follow(user=person, measure=measure)
    _post(manager, measure, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(recipient=person).count() == 1
    assert not FollowDigestItem.objects.filter(user=person).exists()
