"""Following proposals: the services, the view, and who is notified of what."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mitmachen.accounts.services import personal_data_export
from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.services import comment_create
from mitmachen.core.channels import Channel
from mitmachen.notifications.models import Notification
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.projects.models import Visibility
from mitmachen.proposals.models import ProposalFollow, ProposalStatus
from mitmachen.proposals.services import (
    OfflineOrigin,
    followers,
    proposal_create,
    proposal_follow,
    proposal_unfollow,
    status_set,
    support_add,
)
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def proposal(project):
    return ProposalFactory(project=project, title="Trinkbrunnen am Bahnhof")


@pytest.fixture
def manager(project):
    """A project manager of the organisation, assigned to the project."""
    user = MembershipFactory(organisation=project.organisation, role=Role.PROJECT_MANAGER).user
    project.managers.add(user)
    return user


def follow_url(proposal) -> str:
    return f"/vorschlaege/{proposal.pk}/folgen/"


def kinds_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def follow(user, proposal) -> None:
    assert proposal_follow(user=user, proposal=proposal) is True


class TestServices:
    def test_author_follows_on_create(self, project):
        author = UserFactory()
        proposal = proposal_create(
            author=author, project=project, title="Bänke am Markt", text="Mehr Sitzplätze."
        )
        assert list(followers(proposal)) == [author]

    def test_offline_entry_without_author_creates_no_follow(self, project):
        staff = MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user
        proposal = proposal_create(
            author=None,
            project=project,
            title="Briefkasten am Dorfplatz",
            text="Per Brief eingereicht.",
            offline=OfflineOrigin(
                channel=Channel.LETTER, submitted_on=date(2026, 5, 12), place="Rathaus"
            ),
            entered_by=staff,
        )
        assert not ProposalFollow.objects.filter(proposal=proposal).exists()

    def test_follow_twice_is_one_row_and_unfollow(self, proposal):
        user = UserFactory()
        assert proposal_follow(user=user, proposal=proposal) is True
        assert proposal_follow(user=user, proposal=proposal) is False
        assert ProposalFollow.objects.filter(proposal=proposal, user=user).count() == 1
        assert proposal_unfollow(user=user, proposal=proposal) is True
        assert proposal_unfollow(user=user, proposal=proposal) is False
        assert not ProposalFollow.objects.exists()

    def test_anonymous_cannot_follow(self, proposal):
        with pytest.raises(PermissionDenied):
            proposal_follow(user=AnonymousUser(), proposal=proposal)
        assert proposal_unfollow(user=AnonymousUser(), proposal=proposal) is False
        assert not ProposalFollow.objects.exists()

    def test_hidden_proposal_cannot_be_followed(self, proposal):
        proposal.hidden_at = timezone.now()
        proposal.hidden_reason = "Werbung"
        proposal.save()
        with pytest.raises(PermissionDenied, match="kann man nicht folgen"):
            proposal_follow(user=UserFactory(), proposal=proposal)
        assert not ProposalFollow.objects.exists()

    def test_proposal_in_draft_project_cannot_be_followed(self, project, proposal):
        project.visibility = Visibility.DRAFT
        project.save()
        with pytest.raises(PermissionDenied):
            proposal_follow(user=UserFactory(), proposal=proposal)
        assert not ProposalFollow.objects.exists()


class TestView:
    def test_follow_and_unfollow_without_htmx(self, client, proposal):
        user = UserFactory()
        client.force_login(user)
        response = client.post(follow_url(proposal), {"folgen": "1"})
        assert response.status_code == 302
        assert response["Location"] == proposal.get_absolute_url()
        assert ProposalFollow.objects.filter(proposal=proposal, user=user).exists()
        page = client.get(response["Location"]).content.decode()
        assert "Sie folgen jetzt diesem Vorschlag" in page
        assert "Nicht mehr folgen" in page

        response = client.post(follow_url(proposal), {"folgen": "0"}, follow=True)
        assert response.redirect_chain[-1][0] == proposal.get_absolute_url()
        content = response.content.decode()
        assert "Sie folgen diesem Vorschlag nicht mehr." in content
        assert "Vorschlag folgen" in content
        assert not ProposalFollow.objects.exists()

    def test_follow_and_unfollow_with_htmx_return_the_partial(self, client, proposal):
        user = UserFactory()
        client.force_login(user)
        response = client.post(follow_url(proposal), {"folgen": "1"}, **HTMX)
        assert response.status_code == 200
        content = response.content.decode()
        assert "<html" not in content
        assert 'id="vorschlag-folgen"' in content
        assert 'id="vorschlag-folgen-knopf"' in content
        assert "Nicht mehr folgen" in content
        assert 'id="vorschlag-folgen-status"' in content and 'data-hx-swap-oob="true"' in content
        assert ProposalFollow.objects.filter(proposal=proposal, user=user).exists()

        response = client.post(follow_url(proposal), {"folgen": "0"}, **HTMX)
        content = response.content.decode()
        assert response.status_code == 200 and "<html" not in content
        assert "Vorschlag folgen" in content and "Nicht mehr folgen" not in content
        assert not ProposalFollow.objects.exists()

    def test_anonymous_goes_to_login(self, client, proposal):
        response = client.post(follow_url(proposal), {"folgen": "1"})
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
        assert not ProposalFollow.objects.exists()

    def test_get_is_refused(self, client, proposal):
        client.force_login(UserFactory())
        assert client.get(follow_url(proposal)).status_code == 405
        assert not ProposalFollow.objects.exists()

    def test_hidden_proposal_is_refused_with_a_message(self, client, proposal):
        proposal.hidden_at = timezone.now()
        proposal.save()
        client.force_login(UserFactory())
        response = client.post(follow_url(proposal), {"folgen": "1"}, follow=True)
        assert "Diesem Vorschlag kann man nicht folgen." in response.content.decode()
        assert not ProposalFollow.objects.exists()

    def test_refused_follow_with_htmx_returns_the_partial(self, client, proposal):
        client.force_login(UserFactory())
        proposal.hidden_at = timezone.now()
        proposal.save()
        response = client.post(follow_url(proposal), {"folgen": "1"}, **HTMX)
        # Not a redirect: htmx would follow it and put the whole page into the aside.
        assert response.status_code == 200
        content = response.content.decode()
        assert "<html" not in content
        assert "Diesem Vorschlag kann man nicht folgen." in content
        assert "vorschlag-folgen-knopf" not in content
        assert not ProposalFollow.objects.exists()

    def test_draft_project_is_404(self, client, project, proposal):
        project.visibility = Visibility.DRAFT
        project.save()
        client.force_login(UserFactory())
        assert client.post(follow_url(proposal), {"folgen": "1"}).status_code == 404
        assert not ProposalFollow.objects.exists()

    def test_detail_query_count_does_not_grow_with_followers(self, client, proposal):
        viewer = UserFactory()
        client.force_login(viewer)
        counts = []
        follow(viewer, proposal)
        for total in (1, 50):
            for _ in range(total - ProposalFollow.objects.filter(proposal=proposal).count()):
                ProposalFollow.objects.create(proposal=proposal, user=UserFactory())
            with CaptureQueriesContext(connection) as queries:
                response = client.get(proposal.get_absolute_url())
            assert response.status_code == 200
            assert "Nicht mehr folgen" in response.content.decode()
            counts.append(len(queries))
        assert ProposalFollow.objects.filter(proposal=proposal).count() == 50
        assert counts[0] == counts[1], counts


class TestStatusChange:
    def test_author_and_followers_hear_once_staff_not(
        self, project, manager, mailoutbox, django_capture_on_commit_callbacks
    ):
        author = UserFactory()
        proposal = proposal_create(
            author=author, project=project, title="Radweg nach Lübnitz", text="Bitte bauen."
        )
        first, second = UserFactory(), UserFactory()
        follow(first, proposal)
        follow(second, proposal)
        follow(manager, proposal)  # following, but changed it: no notification
        with django_capture_on_commit_callbacks(execute=True):
            status_set(
                user=manager,
                proposal=proposal,
                status=ProposalStatus.IN_REVIEW,
                response="Das Bauamt prüft die Trasse.",
            )
        for person in (author, first, second):
            assert kinds_of(person) == ["status_changed"]
        assert kinds_of(manager) == []
        notification = Notification.objects.get(recipient=author)
        assert "Radweg nach Lübnitz" in notification.title
        assert notification.text == "Das Bauamt prüft die Trasse."
        assert notification.url == proposal.get_absolute_url()
        recipients = sorted(address for m in mailoutbox for address in m.to)
        assert recipients == sorted([author.email, first.email, second.email])
        assert all("Das Bauamt prüft die Trasse." in m.body for m in mailoutbox)

    def test_author_who_unfollowed_still_hears(
        self, project, manager, mailoutbox, django_capture_on_commit_callbacks
    ):
        author = UserFactory()
        proposal = proposal_create(
            author=author, project=project, title="Spielplatz", text="Neue Schaukel."
        )
        assert proposal_unfollow(user=author, proposal=proposal) is True
        with django_capture_on_commit_callbacks(execute=True):
            status_set(
                user=manager,
                proposal=proposal,
                status=ProposalStatus.ACCEPTED,
                response="Die Schaukel kommt im Mai.",
            )
        assert kinds_of(author) == ["status_changed"]
        assert [m.to for m in mailoutbox] == [[author.email]]

    def test_admin_who_changes_it_is_excluded_even_as_author(
        self, project, mailoutbox, django_capture_on_commit_callbacks
    ):
        admin = MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user
        proposal = ProposalFactory(project=project, author=admin)
        follower = UserFactory()
        follow(follower, proposal)
        with django_capture_on_commit_callbacks(execute=True):
            status_set(
                user=admin,
                proposal=proposal,
                status=ProposalStatus.REJECTED,
                response="Nicht umsetzbar.",
            )
        assert kinds_of(admin) == []
        assert kinds_of(follower) == ["status_changed"]
        assert [m.to for m in mailoutbox] == [[follower.email]]

    def test_without_notify_nobody_hears(
        self, project, manager, mailoutbox, django_capture_on_commit_callbacks
    ):
        proposal = ProposalFactory(project=project)
        follow(UserFactory(), proposal)
        with django_capture_on_commit_callbacks(execute=True):
            status_set(
                user=manager,
                proposal=proposal,
                status=ProposalStatus.IN_REVIEW,
                response="Import.",
                notify=False,
            )
        assert not Notification.objects.exists()
        assert mailoutbox == []


class TestNewComment:
    def test_followers_hear_except_the_commenter(
        self, project, proposal, django_capture_on_commit_callbacks
    ):
        follower, commenter = UserFactory(), UserFactory()
        follow(follower, proposal)
        follow(commenter, proposal)
        with django_capture_on_commit_callbacks(execute=True):
            comment = comment_create(
                author=commenter, project=project, proposal=proposal, text="Gute Idee!"
            )
        assert kinds_of(follower) == ["new_comment"]
        assert kinds_of(commenter) == []
        notification = Notification.objects.get(recipient=follower)
        assert "Trinkbrunnen am Bahnhof" in notification.title
        assert notification.text == "Gute Idee!"
        assert notification.url == comment.get_absolute_url()

    def test_reply_notifies_the_answered_author_once(
        self, project, proposal, django_capture_on_commit_callbacks
    ):
        answered, other_follower, replier = UserFactory(), UserFactory(), UserFactory()
        with django_capture_on_commit_callbacks(execute=True):
            top = comment_create(
                author=answered, project=project, proposal=proposal, text="Wo genau?"
            )
        assert kinds_of(answered) == []  # not following yet, and it is their own comment
        follow(answered, proposal)
        follow(other_follower, proposal)
        Notification.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            comment_create(
                author=replier,
                project=project,
                proposal=proposal,
                reply_to=top,
                text="Am Bahnhofsvorplatz.",
            )
        answered_notes = Notification.objects.filter(recipient=answered)
        assert answered_notes.count() == 1
        assert "geantwortet" in answered_notes.get().title
        assert kinds_of(other_follower) == ["new_comment"]
        assert kinds_of(replier) == []

    def test_reply_notifies_answered_author_who_does_not_follow(
        self, project, proposal, django_capture_on_commit_callbacks
    ):
        answered, replier = UserFactory(), UserFactory()
        top = comment_create(author=answered, project=project, proposal=proposal, text="Hm.")
        with django_capture_on_commit_callbacks(execute=True):
            comment_create(
                author=replier, project=project, proposal=proposal, reply_to=top, text="Ja."
            )
        assert kinds_of(answered) == ["new_comment"]

    def test_replying_to_oneself_notifies_nobody(
        self, project, proposal, django_capture_on_commit_callbacks
    ):
        person = UserFactory()
        follow(person, proposal)
        with django_capture_on_commit_callbacks(execute=True):
            top = comment_create(author=person, project=project, proposal=proposal, text="Eins.")
            comment_create(
                author=person, project=project, proposal=proposal, reply_to=top, text="Zwei."
            )
        assert kinds_of(person) == []


class TestQuorum:
    def test_followers_hear_when_the_quorum_is_reached(
        self, project, django_capture_on_commit_callbacks
    ):
        project.support_quorum = 2
        project.save()
        proposal = ProposalFactory(project=project)
        follower = UserFactory()
        follow(follower, proposal)
        with django_capture_on_commit_callbacks(execute=True):
            support_add(user=UserFactory(), proposal=proposal)
        assert kinds_of(follower) == []
        with django_capture_on_commit_callbacks(execute=True):
            support_add(user=UserFactory(), proposal=proposal)
            support_add(user=UserFactory(), proposal=proposal)  # past the quorum: no repeat
        assert kinds_of(follower) == ["quorum_reached"]
        assert kinds_of(proposal.author) == ["quorum_reached"]


def test_personal_data_export_lists_followed_proposals(proposal):
    user = UserFactory()
    follow(user, proposal)
    data = personal_data_export(user=user)
    assert [entry["vorschlag"] for entry in data["gefolgte_vorschlaege"]] == [
        "Trinkbrunnen am Bahnhof"
    ]
    assert data["gefolgte_vorschlaege"][0]["seit"]
