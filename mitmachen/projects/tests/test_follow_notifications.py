"""Following a project: new phases, the three delivery choices, the weekly digest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.models import FollowMail
from mitmachen.accounts.services import account_delete, personal_data_export
from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.notifications.models import Notification
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.projects.models import (
    Follow,
    FollowDigest,
    FollowDigestItem,
    Phase,
    Project,
    ProjectMembership,
    Visibility,
)
from mitmachen.projects.permissions import can_view, viewers
from mitmachen.projects.services import (
    follow_digests_send,
    phases_started_notify,
    project_follow,
    project_followers_notify,
    project_unfollow,
)
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Mails are queued on commit: ``with committed(): …`` runs them as the commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def follower(project, follow_mail=FollowMail.NONE, **fields):
    person = UserFactory(follow_mail=follow_mail, **fields)
    project_follow(user=person, project=project)
    return person


def starting_phase(project, *, minutes_ago=2, name="Ideen sammeln"):
    now = timezone.now()
    return PhaseFactory(
        project=project,
        name=name,
        start=now - timedelta(minutes=minutes_ago),
        end=now + timedelta(days=14),
    )


def notes(person, kind=None):
    rows = Notification.objects.filter(recipient=person)
    return list(rows.filter(kind=kind) if kind else rows)


class TestPhaseStarts:
    def test_followers_hear_once_about_a_phase_that_started(self):
        project = ProjectFactory(title="Marktplatz")
        alice, bob = follower(project), follower(project)
        bystander = UserFactory()
        phase = starting_phase(project)

        assert phases_started_notify() == 1
        assert phases_started_notify() == 0  # the next run finds nothing new

        for person in (alice, bob):
            (note,) = notes(person)
            assert note.kind == "phase_started"
            assert note.title == "Neue Phase in „Marktplatz“: Ideen sammeln"
            assert note.url == project.get_absolute_url()
        assert notes(bystander) == []
        phase.refresh_from_db()
        assert phase.followers_notified_at is not None

    def test_future_past_and_draft_phases_are_not_announced(self):
        now = timezone.now()
        project = ProjectFactory()
        person = follower(project)
        PhaseFactory(project=project, start=now + timedelta(hours=1), end=now + timedelta(days=3))
        PhaseFactory(project=project, start=now - timedelta(days=9), end=now - timedelta(days=2))
        draft = ProjectFactory(visibility=Visibility.DRAFT)
        staff = MembershipFactory(organisation=draft.organisation, role=Role.ADMIN).user
        Follow.objects.create(user=staff, project=draft)  # followed before it became a draft
        draft_phase = starting_phase(draft)

        assert phases_started_notify() == 0
        assert notes(person) == [] and notes(staff) == []
        # The draft's phase waits: announced once the project is published and still running.
        Project.objects.filter(pk=draft.pk).update(visibility=Visibility.PUBLIC)
        assert phases_started_notify() == 1
        assert [n.kind for n in notes(staff)] == ["phase_started"]
        draft_phase.refresh_from_db()
        assert draft_phase.followers_notified_at is not None

    def test_unfollowing_stops_the_notifications(self):
        project = ProjectFactory()
        stays, leaves = follower(project), follower(project)
        project_unfollow(user=leaves, project=project)
        starting_phase(project)

        phases_started_notify()

        assert len(notes(stays)) == 1
        assert notes(leaves) == []

    def test_private_project_notifies_only_people_who_may_still_see_it(self):
        project = ProjectFactory(visibility=Visibility.PRIVATE)
        member, dropped = UserFactory(), UserFactory()
        for person in (member, dropped):
            ProjectMembership.objects.create(project=project, user=person)
            project_follow(user=person, project=project)
        staff = MembershipFactory(organisation=project.organisation, role=Role.MODERATOR).user
        project_follow(user=staff, project=project)
        ProjectMembership.objects.filter(user=dropped).delete()  # invitation withdrawn
        starting_phase(project)

        phases_started_notify()

        assert len(notes(member)) == 1
        assert len(notes(staff)) == 1
        assert notes(dropped) == []

    def test_inactive_accounts_hear_nothing(self):
        project = ProjectFactory()
        person = follower(project, follow_mail=FollowMail.IMMEDIATE)
        person.is_active = False
        person.save()
        starting_phase(project)
        phases_started_notify()
        assert notes(person) == []

    def test_command_announces_phases(self, capsys):
        project = ProjectFactory()
        person = follower(project)
        starting_phase(project)
        call_command("notify_project_followers")
        assert "phases: 1 announced" in capsys.readouterr().out
        assert len(notes(person)) == 1


class TestDelivery:
    def test_each_choice_is_respected(self, mailoutbox, committed):
        project = ProjectFactory(title="Marktplatz")
        in_app = follower(project, FollowMail.NONE)
        at_once = follower(project, FollowMail.IMMEDIATE)
        weekly = follower(project, FollowMail.WEEKLY)
        starting_phase(project)

        with committed():
            phases_started_notify()

        # Everyone has the notification in the platform.
        assert all(len(notes(p)) == 1 for p in (in_app, at_once, weekly))
        # Only "sofort" gets a mail now.
        assert [m.to for m in mailoutbox] == [[at_once.email]]
        assert "Marktplatz" in mailoutbox[0].subject
        assert project.get_absolute_url() in mailoutbox[0].body
        assert reverse("accounts:follows") in mailoutbox[0].body
        # "wöchentlich" waits for the digest; "nur in der Plattform" never gets a mail.
        assert list(FollowDigestItem.objects.values_list("user_id", flat=True)) == [weekly.pk]

    def test_the_person_who_caused_it_and_skipped_people_are_left_out(self, committed):
        project = ProjectFactory()
        actor, told, other = follower(project), follower(project), follower(project)
        created = project_followers_notify(
            project=project,
            kind="participation_opened",
            title="Neue Debatte",
            url="/x/",
            actor=actor,
            skip=[told],
        )
        assert created == 1
        assert notes(actor) == [] and notes(told) == [] and len(notes(other)) == 1

    def test_staff_only_reaches_only_those_who_see_hidden_contributions(self, committed):
        project = ProjectFactory()
        resident = follower(project)
        staff = MembershipFactory(organisation=project.organisation, role=Role.MODERATOR).user
        project_follow(user=staff, project=project)
        project_followers_notify(
            project=project, kind="status_changed", title="T", url="/x/", staff_only=True
        )
        assert notes(resident) == [] and len(notes(staff)) == 1

    def test_queries_do_not_grow_with_the_number_of_followers(self, committed):
        def count(size):
            project = ProjectFactory()
            choices = list(FollowMail.values)
            for i in range(size):
                follower(project, choices[i % 3])
            with CaptureQueriesContext(connection) as queries:
                project_followers_notify(
                    project=project, kind="phase_started", title="Neue Phase", url="/p/"
                )
            assert Notification.objects.filter(url="/p/").count() == size
            Notification.objects.filter(url="/p/").delete()
            return len(queries)

        assert count(6) == count(45)


class TestWeeklyDigest:
    def test_one_mail_per_person_grouped_by_project_with_links(self, mailoutbox, committed):
        first, second = ProjectFactory(title="Marktplatz"), ProjectFactory(title="Radwege")
        person = UserFactory(follow_mail=FollowMail.WEEKLY)
        for project in (first, second):
            project_follow(user=person, project=project)
        starting_phase(first, name="Ideen sammeln")
        starting_phase(second, name="Abstimmen")
        phases_started_notify()
        project_followers_notify(
            project=first, kind="participation_opened", title="Neue Debatte: Bänke?", url="/d/1/"
        )
        assert mailoutbox == []

        with committed():
            sent = follow_digests_send()
        assert sent == 1

        (mail,) = mailoutbox
        assert mail.to == [person.email]
        body = mail.body
        assert body.index("== Marktplatz ==") < body.index("Ideen sammeln")
        assert body.index("Neue Debatte: Bänke?") < body.index("== Radwege ==")
        assert body.index("== Radwege ==") < body.index("Abstimmen")
        assert "/d/1/" in body and first.get_absolute_url() in body
        assert "Neue Phase: " in body  # the kind of each entry
        assert not FollowDigestItem.objects.filter(digest__isnull=True).exists()

    def test_sent_once_per_week_even_if_run_twice(self, mailoutbox, committed):
        project = ProjectFactory()
        person = follower(project, FollowMail.WEEKLY)
        starting_phase(project)
        phases_started_notify()
        now = timezone.now()

        with committed():
            sent = follow_digests_send(now=now)
        assert sent == 1
        # Something new the same week waits for next week's mail.
        starting_phase(project, minutes_ago=1, name="Zweite Phase")
        phases_started_notify()
        with committed():
            sent = follow_digests_send(now=now)
        assert sent == 0
        assert len(mailoutbox) == 1
        with committed():
            sent = follow_digests_send(now=now + timedelta(days=7))
        assert sent == 1
        assert len(mailoutbox) == 2 and "Zweite Phase" in mailoutbox[1].body
        assert FollowDigest.objects.filter(user=person).count() == 2

    def test_unfollowed_projects_and_changed_choice_send_nothing(self, mailoutbox, committed):
        project = ProjectFactory()
        unfollows = follower(project, FollowMail.WEEKLY)
        changes_mind = follower(project, FollowMail.WEEKLY)
        starting_phase(project)
        phases_started_notify()
        project_unfollow(user=unfollows, project=project)
        changes_mind.follow_mail = FollowMail.NONE
        changes_mind.save()

        with committed():
            follow_digests_send()

        assert mailoutbox == []
        assert not FollowDigestItem.objects.filter(user=changes_mind).exists()

    def test_command(self, capsys, mailoutbox, committed):
        project = ProjectFactory()
        follower(project, FollowMail.WEEKLY)
        starting_phase(project)
        phases_started_notify()
        with committed():
            call_command("send_follow_digests")
        assert "Queued 1 weekly summary mail(s)." in capsys.readouterr().out
        assert len(mailoutbox) == 1


class TestPersonalData:
    def test_my_data_exports_the_choice(self):
        person = UserFactory(follow_mail=FollowMail.WEEKLY)
        assert personal_data_export(user=person)["konto"]["email_zu_abonnements"] == "weekly"

    def test_deleting_the_account_removes_choice_and_digest(self, committed):
        project = ProjectFactory()
        person = follower(project, FollowMail.WEEKLY)
        starting_phase(project)
        phases_started_notify()
        with committed():
            follow_digests_send(now=timezone.now() - timedelta(days=7))
        starting_phase(project, minutes_ago=1, name="Zweite")
        phases_started_notify()
        assert FollowDigest.objects.filter(user=person).exists()
        assert FollowDigestItem.objects.filter(user=person, digest__isnull=True).exists()

        account_delete(user=person)

        assert not FollowDigest.objects.exists()
        assert not FollowDigestItem.objects.exists()


class TestFollowsPage:
    def test_the_choice_is_shown_and_saved(self, client):
        person = UserFactory()
        client.force_login(person)
        page = client.get(reverse("accounts:follows"))
        assert "E-Mail zu Ihren Abonnements" in page.content.decode()
        assert 'value="none" checked' in page.content.decode()

        response = client.post(reverse("accounts:follow_mail"), {"follow_mail": "weekly"})

        assert response.status_code == 302
        assert response["Location"].endswith("#email-einstellung")
        person.refresh_from_db()
        assert person.follow_mail == FollowMail.WEEKLY
        page = client.get(reverse("accounts:follows"))
        assert 'value="weekly" checked' in page.content.decode()
        assert "Ihre Einstellung wurde gespeichert." in page.content.decode()

    @pytest.mark.parametrize("data", [{}, {"follow_mail": "daily"}, {"follow_mail": "x" * 500}])
    def test_bad_input_changes_nothing(self, client, data):
        person = UserFactory(follow_mail=FollowMail.IMMEDIATE)
        client.force_login(person)
        response = client.post(reverse("accounts:follow_mail"), data, follow=True)
        assert response.status_code == 200
        assert "Es wurde nichts geändert." in response.content.decode()
        person.refresh_from_db()
        assert person.follow_mail == FollowMail.IMMEDIATE

    def test_needs_login_and_post(self, client):
        assert (
            client.post(reverse("accounts:follow_mail"), {"follow_mail": "weekly"}).status_code
            == 302
        )
        client.force_login(UserFactory())
        assert client.get(reverse("accounts:follow_mail")).status_code == 405


@pytest.mark.parametrize("visibility", list(Visibility.values))
def test_viewers_agrees_with_can_view(visibility):
    project = ProjectFactory(visibility=visibility)
    other = ProjectFactory()
    people = [
        UserFactory(),
        UserFactory(is_superuser=True),
        MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user,
        MembershipFactory(organisation=project.organisation, role=Role.MODERATOR).user,
        MembershipFactory(organisation=other.organisation, role=Role.ADMIN).user,
        ProjectMembership.objects.create(project=project, user=UserFactory()).user,
    ]
    from mitmachen.accounts.models import User

    users = User.objects.filter(pk__in=[p.pk for p in people])
    assert set(viewers(users, project).values_list("pk", flat=True)) == {
        p.pk for p in people if can_view(p, project)
    }


def test_migration_marks_phases_that_started_before(db):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("mitmachen.projects.migrations.0005_follow_notifications")
    now = timezone.now()
    past = PhaseFactory(start=now - timedelta(days=30), end=now + timedelta(days=1))
    future = PhaseFactory(start=now + timedelta(days=1), end=now + timedelta(days=3))
    migration.mark_started_phases(apps, None)
    assert Phase.objects.get(pk=past.pk).followers_notified_at is not None
    assert Phase.objects.get(pk=future.pk).followers_notified_at is None
    assert phases_started_notify() == 0
