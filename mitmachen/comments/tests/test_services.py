import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mitmachen.accounts.services import account_delete
from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.models import Comment, CommentRating
from mitmachen.comments.services import (
    DUPLICATE_WINDOW,
    comment_create,
    comment_delete,
    comment_rate,
    comment_update,
)
from mitmachen.comments.tests.factories import CommentFactory
from mitmachen.core.channels import Channel
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.proposals.models import Proposal
from mitmachen.proposals.permissions import can as can_proposal
from mitmachen.proposals.tests.conftest import set_phase
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


NEW = object()


def write(proposal, author=NEW, text="Gute Idee!", **kwargs):
    return comment_create(
        author=UserFactory() if author is NEW else author,
        project=proposal.project,
        proposal=proposal,
        text=text,
        **kwargs,
    )


def count(proposal):
    return Proposal.objects.get(pk=proposal.pk).comment_count


class TestCreate:
    def test_comment_on_a_proposal_counts(self, proposal):
        comment = write(proposal, text="  Mehr Bänke!  ")
        assert comment.text == "Mehr Bänke!"
        assert comment.project == proposal.project and comment.channel == Channel.ONLINE
        assert count(proposal) == 1

    def test_comment_on_the_project_itself(self, project, resident):
        comment = comment_create(author=resident, project=project, text="Wann geht es los?")
        assert comment.proposal is None
        assert list(Comment.objects.on(project=project)) == [comment]

    def test_author_cannot_edit_a_proposal_once_it_has_a_comment(self, proposal):
        assert can_proposal(proposal.author, "change", proposal)
        write(proposal)
        proposal.refresh_from_db()
        assert not can_proposal(proposal.author, "change", proposal)

    def test_two_levels(self, proposal):
        top = write(proposal)
        reply = write(proposal, reply_to=top)
        reply_to_reply = write(proposal, reply_to=reply)
        assert (reply.parent, reply.reply_to) == (top, top)
        assert (reply_to_reply.parent, reply_to_reply.reply_to) == (top, reply)
        assert reply_to_reply.answers_a_reply and not reply.answers_a_reply
        top.refresh_from_db()
        assert top.reply_count == 2
        assert count(proposal) == 3

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "Bitte schreiben Sie einen Kommentar."),
            ("   \n ", "Bitte schreiben Sie einen Kommentar."),
            ("x" * 2001, "höchstens 2000 Zeichen"),
        ],
    )
    def test_bad_text_stores_nothing(self, proposal, text, message):
        with pytest.raises(ValidationError) as info:
            write(proposal, text=text)
        assert message in str(info.value.message_dict["text"])
        assert not Comment.objects.exists()
        assert count(proposal) == 0

    def test_exactly_2000_characters_are_fine(self, proposal):
        assert len(write(proposal, text="x" * 2000).text) == 2000

    def test_reply_to_a_comment_of_another_proposal_is_refused(self, project, proposal):
        other = write(ProposalFactory(project=project))
        with pytest.raises(ValidationError, match="gehört nicht hierher"):
            write(proposal, reply_to=other)
        project_comment = comment_create(author=UserFactory(), project=project, text="Frage")
        with pytest.raises(ValidationError, match="gehört nicht hierher"):
            write(proposal, reply_to=project_comment)
        assert count(proposal) == 0
        assert Comment.objects.count() == 2

    def test_proposal_of_another_project_is_refused(self, project):
        with pytest.raises(ValidationError, match="gehört nicht zu diesem"):
            comment_create(
                author=UserFactory(), project=project, proposal=ProposalFactory(), text="x"
            )

    def test_reply_to_a_deleted_comment_is_refused(self, proposal):
        top = write(proposal)
        comment_delete(user=top.author, comment=top)
        with pytest.raises(ValidationError, match="gelöschte oder ausgeblendete Kommentare"):
            write(proposal, reply_to=top)

    def test_withdrawn_proposal_takes_no_comments(self, proposal):
        Proposal.objects.filter(pk=proposal.pk).update(withdrawn_at=timezone.now())
        proposal.refresh_from_db()
        with pytest.raises(PermissionDenied, match="zurückgezogen"):
            write(proposal)
        assert not Comment.objects.exists()

    @pytest.mark.parametrize("running", [True, False])
    def test_closed_phase_takes_no_comments(self, proposal, running):
        set_phase(proposal.project, ["support"], running=running)
        with pytest.raises(PermissionDenied, match="keine Kommentare"):
            write(proposal)
        assert count(proposal) == 0

    def test_anonymous_cannot_comment(self, proposal):
        from django.contrib.auth.models import AnonymousUser

        with pytest.raises(PermissionDenied, match="melden Sie sich an"):
            write(proposal, author=AnonymousUser())


class TestOffline:
    def staff(self, project, role=Role.ADMIN):
        return MembershipFactory(organisation=project.organisation, role=role).user

    def test_staff_enter_an_offline_comment_even_after_the_phase(self, proposal):
        staff = self.staff(proposal.project)
        set_phase(proposal.project, ["comment"], running=False)
        comment = write(
            proposal, author=None, offline_channel=Channel.MARKET_STAND, entered_by=staff
        )
        assert comment.channel == Channel.MARKET_STAND and comment.entered_by == staff
        assert comment.author is None
        assert comment.public_author() == "einer Teilnehmerin oder einem Teilnehmer"
        assert count(proposal) == 1

    @pytest.mark.parametrize("role", [Role.MODERATOR, None])
    def test_others_cannot_enter(self, proposal, role):
        user = self.staff(proposal.project, role) if role else UserFactory()
        with pytest.raises(PermissionDenied, match="Nur Mitarbeitende"):
            write(proposal, author=None, offline_channel=Channel.LETTER, entered_by=user)
        with pytest.raises(PermissionDenied):
            write(proposal, author=None, offline_channel=Channel.LETTER, entered_by=None)
        assert not Comment.objects.exists()

    @pytest.mark.parametrize("channel", [Channel.ONLINE, "fax"])
    def test_channel_must_be_offline(self, proposal, channel):
        staff = self.staff(proposal.project)
        with pytest.raises(ValidationError, match="wo der Kommentar einging"):
            write(proposal, author=None, offline_channel=channel, entered_by=staff)

    def test_staff_may_delete_offline_comments_but_not_online_ones(self, proposal):
        staff = self.staff(proposal.project)
        offline = write(proposal, author=None, offline_channel=Channel.PHONE, entered_by=staff)
        online = write(proposal)
        assert comment_delete(user=staff, comment=offline)
        with pytest.raises(PermissionDenied):
            comment_delete(user=staff, comment=online)
        assert count(proposal) == 1


class TestEditAndDelete:
    def test_author_edits_while_the_phase_runs(self, proposal):
        comment = write(proposal)
        comment_update(user=comment.author, comment=comment, text="Besser: mit Schatten.")
        comment.refresh_from_db()
        assert comment.text == "Besser: mit Schatten." and comment.edited_at is not None

    def test_unchanged_text_is_not_marked_edited(self, proposal):
        comment = write(proposal, text="Gleich")
        comment_update(user=comment.author, comment=comment, text=" Gleich ")
        assert comment.edited_at is None

    def test_others_cannot_edit(self, proposal):
        comment = write(proposal)
        with pytest.raises(PermissionDenied):
            comment_update(user=UserFactory(), comment=comment, text="Fremd")
        comment.refresh_from_db()
        assert comment.text == "Gute Idee!"

    def test_no_editing_after_the_phase_but_deleting(self, proposal):
        comment = write(proposal)
        set_phase(proposal.project, ["comment"], running=False)
        comment = Comment.objects.get(pk=comment.pk)
        with pytest.raises(PermissionDenied, match="nicht mehr bearbeitet"):
            comment_update(user=comment.author, comment=comment, text="Zu spät")
        assert comment_delete(user=comment.author, comment=comment)

    @pytest.mark.parametrize("text", ["", "x" * 2001])
    def test_bad_text_changes_nothing(self, proposal, text):
        comment = write(proposal)
        with pytest.raises(ValidationError):
            comment_update(user=comment.author, comment=comment, text=text)
        assert Comment.objects.get(pk=comment.pk).text == "Gute Idee!"

    def test_soft_delete_keeps_the_place_in_the_thread(self, proposal):
        top = write(proposal)
        reply = write(proposal, reply_to=top)
        answer = write(proposal, reply_to=reply)
        assert count(proposal) == 3
        assert comment_delete(user=reply.author, comment=reply)
        reply.refresh_from_db()
        assert reply.is_deleted and reply.text == ""
        assert list(top.replies.order_by("created_at")) == [reply, answer]
        top.refresh_from_db()
        assert top.reply_count == 2  # deleted replies keep their place
        assert count(proposal) == 2  # but no longer count as visible comments
        with pytest.raises(PermissionDenied):
            comment_delete(user=reply.author, comment=reply)  # already deleted
        assert count(proposal) == 2

    def test_deleted_comment_cannot_be_edited(self, proposal):
        comment = write(proposal)
        comment_delete(user=comment.author, comment=comment)
        with pytest.raises(PermissionDenied):
            comment_update(user=comment.author, comment=comment, text="wieder da")

    def test_a_delete_counts_once_even_from_a_stale_object(self, proposal):
        comment = write(proposal)
        stale = Comment.objects.get(pk=comment.pk)
        assert comment_delete(user=comment.author, comment=comment)
        # ``stale`` still looks alive; the conditional UPDATE decides, and it lost.
        assert not comment_delete(user=comment.author, comment=stale)
        assert count(proposal) == 0

    def test_account_deletion_shows_deleted_account(self, proposal):
        author = UserFactory()
        comment = write(proposal, author=author)
        rater = UserFactory()
        comment_rate(user=rater, comment=comment, value=1)
        account_delete(user=author)
        account_delete(user=rater)
        comment.refresh_from_db()
        assert comment.author is None and comment.text == "Gute Idee!"
        assert comment.public_author() == "gelöschtes Konto"
        assert comment.up_count == 1 and CommentRating.objects.get().user is None
        assert count(proposal) == 1


class TestRating:
    def test_up_change_remove(self, proposal):
        comment = write(proposal)
        user = UserFactory()

        def counts():
            comment.refresh_from_db()
            return comment.up_count, comment.down_count, CommentRating.objects.count()

        assert comment_rate(user=user, comment=comment, value=1) == 1
        assert counts() == (1, 0, 1)
        assert comment_rate(user=user, comment=comment, value=1) == 1  # twice: no change
        assert counts() == (1, 0, 1)
        assert comment_rate(user=user, comment=comment, value=-1) == -1
        assert counts() == (0, 1, 1)
        assert comment_rate(user=user, comment=comment, value=0) == 0
        assert counts() == (0, 0, 0)
        assert comment_rate(user=user, comment=comment, value=0) == 0  # nothing to remove
        assert counts() == (0, 0, 0)

    def test_many_people(self, proposal):
        comment = write(proposal)
        for value in (1, 1, 1, -1):
            comment_rate(user=UserFactory(), comment=comment, value=value)
        comment.refresh_from_db()
        assert (comment.up_count, comment.down_count, comment.score) == (3, 1, 2)

    @pytest.mark.parametrize("value", [2, -2, 5, None, "1"])
    def test_only_plus_minus_one_or_zero(self, proposal, value):
        comment = write(proposal)
        with pytest.raises(ValidationError):
            comment_rate(user=UserFactory(), comment=comment, value=value)
        assert not CommentRating.objects.exists()

    def test_no_rating_of_own_comments(self, proposal):
        comment = write(proposal)
        with pytest.raises(PermissionDenied, match="Eigene Kommentare"):
            comment_rate(user=comment.author, comment=comment, value=1)

    def test_no_rating_of_deleted_comments(self, proposal):
        comment = write(proposal)
        comment_delete(user=comment.author, comment=comment)
        with pytest.raises(PermissionDenied, match="Gelöschte"):
            comment_rate(user=UserFactory(), comment=comment, value=1)

    def test_no_rating_outside_the_comment_phase(self, proposal):
        comment = write(proposal)
        set_phase(proposal.project, ["support"])
        comment = Comment.objects.get(pk=comment.pk)
        with pytest.raises(PermissionDenied, match="keine Kommentare"):
            comment_rate(user=UserFactory(), comment=comment, value=1)
        assert not CommentRating.objects.exists()


class TestDatabaseGuarantees:
    def test_one_rating_per_person(self, proposal):
        comment = CommentFactory(proposal=proposal)
        user = UserFactory()
        CommentRating.objects.create(comment=comment, user=user, value=1)
        with pytest.raises(IntegrityError), transaction.atomic():
            CommentRating.objects.create(comment=comment, user=user, value=-1)

    @pytest.mark.parametrize("value", [0, 2, -5])
    def test_value_is_plus_or_minus_one(self, proposal, value):
        comment = CommentFactory(proposal=proposal)
        with pytest.raises(IntegrityError), transaction.atomic():
            CommentRating.objects.create(comment=comment, user=UserFactory(), value=value)

    def test_reply_needs_a_parent(self, proposal):
        top = CommentFactory(proposal=proposal)
        with pytest.raises(IntegrityError), transaction.atomic():
            CommentFactory(proposal=proposal, reply_to=top, parent=None)

    def test_clean_keeps_threads_two_levels(self, proposal):
        top = CommentFactory(proposal=proposal)
        reply = CommentFactory(proposal=proposal, parent=top, reply_to=top)
        nested = Comment(
            project=proposal.project, proposal=proposal, parent=reply, reply_to=reply, text="x"
        )
        with pytest.raises(ValidationError, match="ersten Ebene"):
            nested.full_clean()


class TestResentComment:
    """A form sent again (a retry after an error page, a double click) stores one comment."""

    def test_same_comment_twice_is_stored_once(self, client, proposal, resident):
        client.force_login(resident)
        url = f"/vorschlaege/{proposal.pk}/kommentare/"
        first = client.post(url, {"text": "Bitte mehr Bänke. "})
        second = client.post(url, {"text": "Bitte mehr Bänke."})
        comment = Comment.objects.get()
        assert first["Location"] == second["Location"]
        assert first["Location"].endswith(f"#kommentar-{comment.pk}")
        assert Proposal.objects.get(pk=proposal.pk).comment_count == 1

    def test_same_reply_twice_is_stored_once(self, proposal, resident):
        target = {"project": proposal.project, "proposal": proposal}
        top = comment_create(author=UserFactory(), text="A", **target)
        kwargs = {"author": resident, "text": "B", **target}
        reply = comment_create(reply_to=top, **kwargs)
        assert comment_create(reply_to=top, **kwargs) == reply
        assert Comment.objects.get(pk=top.pk).reply_count == 1
        # The same words as a new top-level comment are a new comment.
        assert comment_create(**kwargs) != reply

    def test_different_or_later_comments_are_new(self, proposal, resident):
        kwargs = {"author": resident, "project": proposal.project, "proposal": proposal}
        first = comment_create(text="Eins", **kwargs)
        assert comment_create(text="Zwei", **kwargs) != first
        Comment.objects.filter(pk=first.pk).update(
            created_at=timezone.now() - DUPLICATE_WINDOW - timezone.timedelta(seconds=1)
        )
        assert comment_create(text="Eins", **kwargs) != first
        assert Comment.objects.filter(author=resident).count() == 3
