"""Debate services, and the comment and moderation services on debate comments."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from mitmachen.accounts.services import account_delete
from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.models import Comment
from mitmachen.comments.services import comment_create, comment_delete, comment_rate
from mitmachen.core.channels import Channel
from mitmachen.debates.models import Debate, Stance
from mitmachen.debates.permissions import can
from mitmachen.debates.services import (
    debate_close,
    debate_create,
    debate_reopen,
    debate_update,
)
from mitmachen.moderation.services import block, hide, restore, unblock
from mitmachen.notifications.models import Notification
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.proposals.tests.conftest import set_phase
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def say(debate, stance="for", author=None, text="Meine Meinung", **kwargs):
    return comment_create(
        author=author or UserFactory(),
        project=debate.project,
        debate=debate,
        stance=stance,
        text=text,
        **kwargs,
    )


def counters(debate):
    debate = Debate.objects.get(pk=debate.pk)
    return {
        "comments": debate.comment_count,
        "for": debate.for_count,
        "against": debate.against_count,
        "neutral": debate.neutral_count,
    }


def recount(debate):
    """The same numbers, counted from the rows."""
    visible = Comment.objects.filter(debate=debate).visible()
    by_stance = visible.filter(parent__isnull=True).aggregate(
        **{s: Count("pk", filter=Q(stance=s)) for s in Stance.values}
    )
    return {"comments": visible.count(), **by_stance}


def assert_exact(debate, **expected):
    assert counters(debate) == recount(debate)
    if expected:
        assert counters(debate) == {"comments": 0, "for": 0, "against": 0, "neutral": 0} | expected


class TestOpen:
    def test_staff_open_debates_in_any_phase_until_the_project_ends(self, project, manager):
        set_phase(project, ["support"])
        debate = debate_create(author=manager, project=project, question="  Bänke   am Markt? ")
        assert debate.question == "Bänke am Markt?"
        assert debate.opened_by_staff and debate.author == manager
        set_phase(project, ["debate"], running=False)
        with pytest.raises(PermissionDenied, match="abgeschlossen"):
            debate_create(author=manager, project=project, question="Noch eine?")
        assert Debate.objects.count() == 1

    def test_residents_open_debates_when_the_phase_allows(self, debating, resident):
        debate = debate_create(author=resident, project=debating, question="Rufbus für Lübnitz?")
        assert not debate.opened_by_staff

    def test_residents_need_the_debate_phase(self, project, resident):
        set_phase(project, ["comment"])
        with pytest.raises(PermissionDenied, match="In dieser Phase"):
            debate_create(author=resident, project=project, question="Rufbus?")
        assert not Debate.objects.exists()

    @pytest.mark.parametrize(
        ("question", "description", "field"),
        [
            ("", "", "question"),
            ("   ", "", "question"),
            ("x" * 201, "", "question"),
            ("Gut?", "y" * 5001, "description"),
        ],
    )
    def test_bad_input_is_refused_in_german(self, debating, resident, question, description, field):
        with pytest.raises(ValidationError) as error:
            debate_create(
                author=resident, project=debating, question=question, description=description
            )
        assert field in error.value.message_dict
        assert "Bitte" in str(error.value) or "zu lang" in str(error.value)
        assert not Debate.objects.exists()

    def test_closed_only_with_a_conclusion_in_the_database(self, debate):
        with pytest.raises(IntegrityError), transaction.atomic():
            Debate.objects.filter(pk=debate.pk).update(closed_at=timezone.now(), conclusion="")


class TestCommentsWithStance:
    def test_stances_are_counted_exactly(self, debating, debate):
        for stance in ["for", "for", "against", "neutral", "for"]:
            say(debate, stance)
        assert_exact(debate, comments=5, **{"for": 3, "against": 1, "neutral": 1})

    def test_replies_have_no_stance_and_count_as_comments(self, debating, debate):
        top = say(debate, "against")
        reply = say(debate, "", reply_to=top, text="Warum?")
        assert reply.stance == "" and reply.parent == top
        assert_exact(debate, comments=2, against=1)
        with pytest.raises(ValidationError) as error:
            say(debate, "for", reply_to=top)
        assert error.value.message_dict["stance"] == ["Antworten haben keine eigene Haltung."]

    @pytest.mark.parametrize("stance", ["", "vielleicht", "dafuer", None])
    def test_a_top_level_comment_needs_a_valid_stance(self, debating, debate, stance):
        with pytest.raises(ValidationError) as error:
            say(debate, stance)
        assert error.value.message_dict["stance"] == [
            "Bitte wählen Sie Ihre Haltung: dafür, dagegen oder neutral."
        ]
        assert not Comment.objects.exists()
        assert_exact(debate, comments=0)

    def test_stances_only_in_debates(self, project):
        proposal = ProposalFactory(project=project)
        with pytest.raises(ValidationError) as error:
            comment_create(
                author=UserFactory(), project=project, proposal=proposal, stance="for", text="Ja"
            )
        assert "stance" in error.value.message_dict
        assert not Comment.objects.exists()

    def test_the_database_refuses_a_missing_or_misplaced_stance(self, debating, debate):
        top = say(debate, "for")
        with pytest.raises(IntegrityError), transaction.atomic():
            Comment.objects.create(project=debating, debate=debate, text="ohne Haltung")
        with pytest.raises(IntegrityError), transaction.atomic():
            Comment.objects.create(
                project=debating, debate=debate, parent=top, stance="for", text="Antwort"
            )
        with pytest.raises(IntegrityError), transaction.atomic():
            Comment.objects.create(project=debating, stance="for", text="Projekt")

    def test_a_comment_of_another_project_or_debate_is_refused(self, debating, debate, manager):
        other = debate_create(author=manager, project=debating, question="Zweite Frage?")
        top = say(other, "for")
        with pytest.raises(ValidationError):
            say(debate, "", reply_to=top)
        assert Comment.objects.filter(debate=debate).count() == 0

    def test_deleting_and_hiding_keep_the_counts_exact(self, debating, debate, moderator):
        keep, gone, hidden, both = (say(debate, s) for s in ["for", "against", "neutral", "for"])
        reply = say(debate, "", reply_to=keep)
        assert_exact(debate, comments=5, **{"for": 2, "against": 1, "neutral": 1})
        comment_delete(user=gone.author, comment=gone)
        assert_exact(debate, comments=4, **{"for": 2, "against": 0, "neutral": 1})
        hide(moderator=moderator, target=hidden, reason="Beleidigung")
        assert_exact(debate, comments=3, **{"for": 2, "against": 0, "neutral": 0})
        # Hidden, then deleted: uncounted once.
        hide(moderator=moderator, target=both, reason="Spam")
        comment_delete(user=both.author, comment=both)
        assert_exact(debate, comments=2, **{"for": 1, "against": 0, "neutral": 0})
        comment_delete(user=reply.author, comment=reply)
        assert_exact(debate, comments=1, **{"for": 1, "against": 0, "neutral": 0})
        restore(moderator=moderator, target=hidden, reason="Doch in Ordnung")
        assert_exact(debate, comments=2, **{"for": 1, "against": 0, "neutral": 1})
        # Deleted ones stay uncounted when moderation shows them again.
        restore(moderator=moderator, target=both, reason="Versehen")
        assert_exact(debate, comments=2, **{"for": 1, "against": 0, "neutral": 1})

    def test_blocking_and_unblocking_keep_the_counts_exact(self, debating, debate, moderator):
        troll = UserFactory()
        say(debate, "against", author=troll)
        deleted = say(debate, "against", author=troll, text="Noch einmal dagegen")
        comment_delete(user=troll, comment=deleted)
        say(debate, "for")
        top = say(debate, "neutral")
        say(debate, "", author=troll, reply_to=top)
        assert_exact(debate, comments=4, **{"for": 1, "against": 1, "neutral": 1})
        block(moderator=moderator, organisation=debating.organisation, user=troll, reason="Hetze")
        assert_exact(debate, comments=2, **{"for": 1, "against": 0, "neutral": 1})
        unblock(moderator=moderator, organisation=debating.organisation, user=troll, reason="ok")
        assert_exact(debate, comments=4, **{"for": 1, "against": 1, "neutral": 1})

    def test_deleted_accounts_keep_their_comments_counted(self, debating, debate):
        leaver = UserFactory()
        say(debate, "for", author=leaver)
        account_delete(user=leaver)
        assert_exact(debate, comments=1, **{"for": 1})

    def test_ratings_work_on_debate_comments(self, debating, debate):
        top = say(debate, "for")
        rater = UserFactory()
        assert comment_rate(user=rater, comment=top, value=1) == 1
        top.refresh_from_db()
        assert top.up_count == 1

    def test_offline_comments_with_channel(self, project, debate, manager, resident):
        set_phase(project, ["support"])  # no comment phase: offline entry still works
        comment = comment_create(
            author=None,
            project=project,
            debate=debate,
            stance="against",
            text="Am Marktstand: Lieferverkehr muss möglich bleiben.",
            offline_channel=Channel.MARKET_STAND,
            entered_by=manager,
        )
        assert comment.channel == Channel.MARKET_STAND and comment.entered_by == manager
        assert_exact(debate, comments=1, against=1)
        with pytest.raises(PermissionDenied):
            say(debate, "for", author=resident)
        with pytest.raises(PermissionDenied):
            comment_create(
                author=None,
                project=project,
                debate=debate,
                stance="for",
                text="x",
                offline_channel=Channel.WORKSHOP,
                entered_by=resident,
            )


class TestClose:
    def test_close_notifies_author_and_commenters_once(
        self, debating, resident, manager, django_capture_on_commit_callbacks
    ):
        debate = debate_create(author=resident, project=debating, question="Rufbus?")
        alice, bob, carl = UserFactory(), UserFactory(), UserFactory()
        say(debate, "for", author=alice)
        top = say(debate, "against", author=bob)
        say(debate, "", author=alice, reply_to=top)
        gone = say(debate, "neutral", author=carl)
        comment_delete(user=carl, comment=gone)
        say(debate, "neutral", author=manager)
        Notification.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            closed = debate_close(
                user=manager, debate=debate, conclusion="Wir **prüfen** den Rufbus."
            )
        assert closed
        debate.refresh_from_db()
        assert debate.is_closed and debate.closed_by == manager
        assert debate.conclusion == "Wir **prüfen** den Rufbus."
        notified = Notification.objects.filter(kind="debate_closed")
        # The author and the people who commented; not the closer, not who deleted theirs.
        assert {n.recipient for n in notified} == {resident, alice, bob}
        assert notified.count() == 3
        assert all(n.url == debate.get_absolute_url() for n in notified)
        assert "Rufbus" in notified.first().title and "prüfen" in notified.first().text
        # Closing again changes the conclusion only; nobody is told twice.
        with django_capture_on_commit_callbacks(execute=True):
            assert not debate_close(user=manager, debate=debate, conclusion="Neu: Rufbus ab Mai.")
        debate.refresh_from_db()
        assert debate.conclusion == "Neu: Rufbus ab Mai." and debate.closed_by == manager
        assert notified.count() == 3

    def test_every_close_notifies_with_its_conclusion(
        self, debating, debate, manager, resident, django_capture_on_commit_callbacks
    ):
        """Closing after a reopen tells everyone involved again, with the new conclusion
        (people may have joined since); changing the conclusion of a closed debate does not."""
        say(debate, "for", author=resident)
        with django_capture_on_commit_callbacks(execute=True):
            debate_close(user=manager, debate=debate, conclusion="Erstes Fazit")
        debate_reopen(user=manager, debate=debate)
        newcomer = UserFactory()
        say(debate, "against", author=newcomer)
        with django_capture_on_commit_callbacks(execute=True):
            assert debate_close(user=manager, debate=debate, conclusion="Zweites Fazit")
        with django_capture_on_commit_callbacks(execute=True):
            assert not debate_close(user=manager, debate=debate, conclusion="Korrigiert")
        told = Notification.objects.filter(kind="debate_closed")
        assert sorted((n.text, n.recipient_id) for n in told) == [
            ("Fazit der Verwaltung: Erstes Fazit", resident.pk),
            ("Fazit der Verwaltung: Zweites Fazit", resident.pk),
            ("Fazit der Verwaltung: Zweites Fazit", newcomer.pk),
        ]

    def test_authors_of_hidden_comments_are_not_told(
        self, debating, debate, manager, moderator, django_capture_on_commit_callbacks
    ):
        shown, hidden_top, hidden_reply = UserFactory(), UserFactory(), UserFactory()
        top = say(debate, "for", author=shown)
        say(debate, "against", author=hidden_top)
        hide(moderator=moderator, target=say(debate, "for", author=hidden_top), reason="Spam")
        hide(
            moderator=moderator,
            target=say(debate, "", author=hidden_reply, reply_to=top),
            reason="Beleidigung",
        )
        # ``hidden_top`` also wrote a visible comment; ``hidden_reply`` only a hidden one.
        Notification.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            debate_close(user=manager, debate=debate, conclusion="Fazit")
        told = {n.recipient for n in Notification.objects.filter(kind="debate_closed")}
        assert told == {shown, hidden_top}

    def test_a_hidden_debate_is_not_closed_and_nobody_is_told(
        self, debating, debate, manager, moderator, resident, django_capture_on_commit_callbacks
    ):
        say(debate, "for", author=resident)
        loaded = Debate.objects.get(pk=debate.pk)  # the close form was open …
        hide(moderator=moderator, target=debate, reason="Persönliche Daten in der Frage")
        Notification.objects.all().delete()
        for stale in (debate, loaded):  # … and moderation hid the debate meanwhile
            with (
                django_capture_on_commit_callbacks(execute=True),
                pytest.raises(PermissionDenied, match="ausgeblendet"),
            ):
                debate_close(user=manager, debate=stale, conclusion="Fazit")
        assert not Debate.objects.get(pk=debate.pk).is_closed
        assert not Notification.objects.exists()
        # A debate closed before it was hidden keeps its conclusion editable (nobody is told).
        restore(moderator=moderator, target=debate, reason="Geprüft")
        debate_close(user=manager, debate=debate, conclusion="Fazit")
        hide(moderator=moderator, target=debate, reason="Nochmal")
        Notification.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            assert not debate_close(user=manager, debate=debate, conclusion="Neues Fazit")
        assert Debate.objects.get(pk=debate.pk).conclusion == "Neues Fazit"
        assert not Notification.objects.exists()

    @pytest.mark.parametrize("conclusion", ["", "   \n ", "x" * 5001])
    def test_no_close_without_a_conclusion(self, debate, manager, conclusion):
        with pytest.raises(ValidationError) as error:
            debate_close(user=manager, debate=debate, conclusion=conclusion)
        assert "conclusion" in error.value.message_dict
        debate.refresh_from_db()
        assert (
            not debate.is_closed and not Notification.objects.filter(kind="debate_closed").exists()
        )

    def test_only_project_staff_close(self, debating, debate, resident, moderator):
        other_admin = MembershipFactory(role=Role.ADMIN).user  # another municipality
        for user in (resident, moderator, other_admin):
            with pytest.raises(PermissionDenied):
                debate_close(user=user, debate=debate, conclusion="Fazit")
        debate.refresh_from_db()
        assert not debate.is_closed

    def test_closed_debates_take_no_comments(self, debating, debate, manager, resident):
        top = say(debate, "for")
        debate_close(user=manager, debate=debate, conclusion="Fazit")
        stale = Debate.objects.get(pk=debate.pk)
        stale.closed_at = None  # as loaded by a request before the close committed
        for attempt in (
            lambda: say(debate, "for", author=resident),
            lambda: say(stale, "against", author=resident),
            lambda: say(stale, "", author=resident, reply_to=top),
            lambda: comment_create(
                author=None,
                project=debating,
                debate=stale,
                stance="for",
                text="Workshop",
                offline_channel=Channel.WORKSHOP,
                entered_by=manager,
            ),
        ):
            with pytest.raises(PermissionDenied, match="abgeschlossen"):
                attempt()
        assert Comment.objects.filter(debate=debate).count() == 1
        assert_exact(debate, comments=1, **{"for": 1})
        with pytest.raises(PermissionDenied):
            comment_rate(user=resident, comment=top, value=1)

    def test_reopen(self, debating, debate, manager, resident):
        debate_close(user=manager, debate=debate, conclusion="Erstes Fazit")
        with pytest.raises(PermissionDenied):
            debate_reopen(user=resident, debate=debate)
        assert debate_reopen(user=manager, debate=debate)
        assert not debate.is_closed and debate.closed_by is None
        assert debate.conclusion == "Erstes Fazit"  # kept for the next close
        say(debate, "for", author=resident)
        with pytest.raises(PermissionDenied):
            debate_reopen(user=manager, debate=debate)

    def test_no_reopening_after_the_project_ended(self, project, debate, manager):
        debate_close(user=manager, debate=debate, conclusion="Fazit")
        set_phase(project, ["comment"], running=False)
        with pytest.raises(PermissionDenied):
            debate_reopen(user=manager, debate=debate)
        # The conclusion can still be written or changed afterwards.
        debate_close(user=manager, debate=debate, conclusion="Späteres Fazit")


class TestUpdate:
    def test_the_author_edits_until_the_first_comment(self, debating, resident):
        debate = debate_create(author=resident, project=debating, question="Rufbus?")
        debate_update(user=resident, debate=debate, question="Rufbus ab 20 Uhr?", description="")
        assert debate.question == "Rufbus ab 20 Uhr?"
        say(debate, "for")
        debate.refresh_from_db()
        with pytest.raises(PermissionDenied):
            debate_update(user=resident, debate=debate, question="Anders?", description="")

    def test_a_comment_in_between_wins(self, debating, resident):
        debate = debate_create(author=resident, project=debating, question="Rufbus?")
        loaded = Debate.objects.get(pk=debate.pk)  # no comments yet, as the form saw it
        say(debate, "for")
        with pytest.raises(PermissionDenied):
            debate_update(user=resident, debate=loaded, question="Anders?", description="")
        assert Debate.objects.get(pk=debate.pk).question == "Rufbus?"

    @pytest.mark.parametrize("how", ["deleted", "hidden"])
    def test_no_edit_after_comments_even_if_none_is_visible(
        self, debating, resident, moderator, how
    ):
        debate = debate_create(author=resident, project=debating, question="Rufbus?")
        loaded = Debate.objects.get(pk=debate.pk)  # no comments yet, as the form saw it
        critic = UserFactory()
        comment = say(debate, "against", author=critic, text="So nicht")
        if how == "deleted":
            comment_delete(user=critic, comment=comment)
        else:
            hide(moderator=moderator, target=comment, reason="Spam")
        debate.refresh_from_db()
        assert debate.comment_count == 0
        assert not can(resident, "change", debate)
        for stale in (debate, loaded):
            with pytest.raises(PermissionDenied, match="Kommentare"):
                debate_update(user=resident, debate=stale, question="Anders?", description="")
        assert Debate.objects.get(pk=debate.pk).question == "Rufbus?"

    def test_no_edit_by_a_blocked_author(self, debating, resident, moderator):
        debate = debate_create(author=resident, project=debating, question="Rufbus?")
        block(
            moderator=moderator,
            organisation=debating.organisation,
            user=resident,
            reason="Beleidigungen",
        )
        from django.contrib.auth import get_user_model

        fresh = get_user_model().objects.get(pk=resident.pk)
        with pytest.raises(PermissionDenied):
            debate_update(user=fresh, debate=debate, question="Anders?", description="")
        assert Debate.objects.get(pk=debate.pk).question == "Rufbus?"

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ("close", "Diese Debatte ist abgeschlossen und kann nicht mehr bearbeitet werden."),
            ("hide", "Diese Debatte wurde ausgeblendet und kann nicht bearbeitet werden."),
        ],
    )
    def test_the_refusal_names_the_reason(
        self, debating, resident, manager, moderator, change, message
    ):
        debate = debate_create(author=resident, project=debating, question="Rufbus?")
        loaded = Debate.objects.get(pk=debate.pk)  # the edit form was open …
        if change == "close":  # … and meanwhile staff closed or moderation hid it
            debate_close(user=manager, debate=debate, conclusion="Fazit")
        else:
            hide(moderator=moderator, target=debate, reason="Werbung")
        with pytest.raises(PermissionDenied) as refused:
            debate_update(user=resident, debate=loaded, question="Anders?", description="")
        assert str(refused.value.args[0]) == message
        assert Debate.objects.get(pk=debate.pk).question == "Rufbus?"

    def test_staff_edit_always(self, debating, debate, manager, resident):
        say(debate, "for")
        debate.refresh_from_db()
        debate_update(user=manager, debate=debate, question="Neue Frage?", description="Mehr")
        assert debate.question == "Neue Frage?"
        with pytest.raises(PermissionDenied):
            debate_update(user=resident, debate=debate, question="Meine?", description="")
        with pytest.raises(ValidationError):
            debate_update(user=manager, debate=debate, question=" ", description="")
        assert Debate.objects.get(pk=debate.pk).question == "Neue Frage?"


def test_personal_data_export(debating, resident):
    from mitmachen.accounts.services import personal_data_export

    debate = debate_create(author=resident, project=debating, question="Rufbus?")
    say(debate, "against", author=resident, text="Zu teuer")
    data = personal_data_export(user=resident)
    assert data["debatten"][0]["frage"] == "Rufbus?"
    assert data["kommentare"][0]["zu"] == "Rufbus?"
    assert data["kommentare"][0]["haltung"] == "dagegen"
