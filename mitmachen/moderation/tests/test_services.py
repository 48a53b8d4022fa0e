import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.models import Comment
from mitmachen.comments.services import comment_create, comment_delete
from mitmachen.core.models import HideCause
from mitmachen.core.permissions import decide
from mitmachen.moderation import services
from mitmachen.moderation.models import ActionKind, Block, ModerationAction, Report, Resolution
from mitmachen.notifications.models import Notification
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
from mitmachen.proposals.models import Proposal
from mitmachen.proposals.services import support_add
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def report(target, user=None, reason="spam", text=""):
    return services.report_create(
        reporter=user or UserFactory(), target=target, reason=reason, text=text
    )


class TestReport:
    def test_a_person_reports_once(self, proposal):
        reporter = UserFactory()
        report(proposal, reporter)
        with pytest.raises(ValidationError, match="bereits gemeldet"):
            report(proposal, reporter)
        proposal.refresh_from_db()
        assert proposal.report_count == 1
        assert Report.objects.count() == 1

    def test_authors_cannot_report_themselves(self, proposal, author):
        with pytest.raises(PermissionDenied, match="Eigene Beiträge"):
            report(proposal, author)

    def test_anonymous_cannot_report(self, proposal):
        from django.contrib.auth.models import AnonymousUser

        with pytest.raises(PermissionDenied, match="melden Sie sich an"):
            report(proposal, AnonymousUser())

    def test_other_needs_an_explanation(self, proposal):
        with pytest.raises(ValidationError, match="beschreiben"):
            report(proposal, reason="other")
        with pytest.raises(ValidationError, match="Grund"):
            report(proposal, reason="nonsense")
        assert not Report.objects.exists()
        report(proposal, reason="other", text="Steht doppelt da.")
        assert Report.objects.get().text == "Steht doppelt da."

    def test_invisible_project_cannot_be_reported(self, proposal):
        from mitmachen.projects.models import Visibility

        proposal.project.visibility = Visibility.DRAFT
        proposal.project.save()
        with pytest.raises(PermissionDenied, match="gibt es nicht"):
            report(proposal)

    def test_deleted_comments_cannot_be_reported(self, comment):
        comment_delete(user=comment.author, comment=comment)
        with pytest.raises(PermissionDenied, match="Gelöschte"):
            report(comment)

    @pytest.mark.parametrize("threshold", [3, 2])
    def test_enough_reports_hide_automatically(
        self, settings, proposal, moderator, threshold, django_capture_on_commit_callbacks
    ):
        settings.MODERATION_AUTO_HIDE_REPORTS = threshold
        for _ in range(threshold - 1):
            report(proposal)
        proposal.refresh_from_db()
        assert not proposal.is_hidden
        with django_capture_on_commit_callbacks(execute=True):
            report(proposal)
        proposal.refresh_from_db()
        assert proposal.is_hidden
        assert proposal.hidden_cause == HideCause.REPORTS
        assert proposal.report_count == threshold
        log = ModerationAction.objects.get()
        assert log.kind == ActionKind.AUTO_HIDE and log.moderator is None
        assert log.target_user == proposal.author
        # The moderators are asked to check; the author is told.
        assert Notification.objects.filter(recipient=moderator).count() == 1
        assert Notification.objects.filter(recipient=proposal.author).count() == 1

    def test_no_automatic_hiding_when_switched_off(self, settings, proposal):
        settings.MODERATION_AUTO_HIDE_REPORTS = 0
        for _ in range(5):
            report(proposal)
        proposal.refresh_from_db()
        assert not proposal.is_hidden and proposal.report_count == 5

    def test_hidden_comment_is_no_longer_counted(self, settings, comment):
        settings.MODERATION_AUTO_HIDE_REPORTS = 2
        report(comment)
        report(comment)
        comment.refresh_from_db()
        assert comment.is_hidden
        assert Proposal.objects.get(pk=comment.proposal_id).comment_count == 0


class TestDecisions:
    def test_only_moderators_of_the_municipality_decide(self, proposal, region):
        manager = MembershipFactory(
            organisation=region["organisation"], role=Role.PROJECT_MANAGER
        ).user
        other = MembershipFactory(organisation=OrganisationFactory(), role=Role.MODERATOR).user
        for user in (UserFactory(), manager, other, proposal.author):
            with pytest.raises(PermissionDenied):
                services.hide(moderator=user, target=proposal, reason="Werbung")
        admin = MembershipFactory(organisation=region["organisation"], role=Role.ADMIN).user
        assert services.hide(moderator=admin, target=proposal, reason="Werbung")

    def test_hide_needs_a_reason_and_changes_nothing_without(self, proposal, moderator):
        with pytest.raises(ValidationError, match="begründen"):
            services.hide(moderator=moderator, target=proposal, reason="   ")
        with pytest.raises(ValidationError, match="zu lang"):
            services.hide(moderator=moderator, target=proposal, reason="x" * 501)
        proposal.refresh_from_db()
        assert not proposal.is_hidden
        assert not ModerationAction.objects.exists()

    def test_hide_closes_reports_logs_and_notifies(
        self, proposal, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        reporters = [UserFactory(), UserFactory()]
        for reporter in reporters:
            report(proposal, reporter)
        with django_capture_on_commit_callbacks(execute=True):
            assert services.hide(moderator=moderator, target=proposal, reason="Werbung")
        proposal.refresh_from_db()
        assert proposal.is_hidden and proposal.hidden_cause == HideCause.MODERATOR
        assert proposal.hidden_reason == "Werbung" and proposal.report_count == 0
        assert set(Report.objects.values_list("resolution", flat=True)) == {Resolution.HIDDEN}
        log = ModerationAction.objects.get()
        assert (log.kind, log.moderator, log.reason) == (ActionKind.HIDE, moderator, "Werbung")
        assert "Billige Uhren" in log.subject
        assert Notification.objects.filter(recipient__in=reporters).count() == 2
        hidden_note = Notification.objects.get(recipient=proposal.author)
        assert "ausgeblendet" in hidden_note.title and hidden_note.text == "Werbung"
        assert [m.to for m in mailoutbox] == [[proposal.author.email]]
        assert "Werbung" in mailoutbox[0].body
        # Hiding again changes nothing and logs nothing.
        assert not services.hide(moderator=moderator, target=proposal, reason="noch mal")
        assert ModerationAction.objects.count() == 1

    def test_moderator_confirms_an_automatic_hide(self, settings, proposal, moderator):
        settings.MODERATION_AUTO_HIDE_REPORTS = 1
        report(proposal)
        proposal.refresh_from_db()
        assert proposal.hidden_cause == HideCause.REPORTS
        assert services.hide(moderator=moderator, target=proposal, reason="Spam")
        proposal.refresh_from_db()
        assert proposal.hidden_cause == HideCause.MODERATOR and proposal.hidden_reason == "Spam"
        assert Report.objects.get().resolution == Resolution.HIDDEN

    def test_restore(self, comment, moderator):
        services.hide(moderator=moderator, target=comment, reason="Beleidigung")
        assert Proposal.objects.get(pk=comment.proposal_id).comment_count == 0
        assert services.restore(moderator=moderator, target=comment, reason="war ein Irrtum")
        comment.refresh_from_db()
        assert not comment.is_hidden and comment.hidden_reason == ""
        assert Proposal.objects.get(pk=comment.proposal_id).comment_count == 1
        assert not services.restore(moderator=moderator, target=comment, reason="nochmal")
        kinds = list(ModerationAction.objects.values_list("kind", flat=True))
        assert kinds == [ActionKind.RESTORE, ActionKind.HIDE]

    def test_dismiss_keeps_it_visible(self, proposal, moderator):
        report(proposal)
        report(proposal)
        assert services.dismiss_reports(moderator=moderator, target=proposal) == 2
        proposal.refresh_from_db()
        assert not proposal.is_hidden and proposal.report_count == 0
        assert set(Report.objects.values_list("resolution", flat=True)) == {Resolution.DISMISSED}
        assert services.dismiss_reports(moderator=moderator, target=proposal) == 0
        assert ModerationAction.objects.get().kind == ActionKind.DISMISS

    @pytest.mark.parametrize("order", ["hide_first", "delete_first"])
    def test_hidden_and_deleted_comment_is_uncounted_once(self, comment, moderator, order):
        steps = [
            lambda: services.hide(moderator=moderator, target=comment, reason="Spam"),
            lambda: comment_delete(user=comment.author, comment=comment),
        ]
        for step in steps if order == "hide_first" else reversed(steps):
            step()
        assert Proposal.objects.get(pk=comment.proposal_id).comment_count == 0
        services.restore(moderator=moderator, target=comment, reason="Irrtum")
        # Restored but deleted: still not counted.
        assert Proposal.objects.get(pk=comment.proposal_id).comment_count == 0

    def test_hidden_content_takes_no_part(self, proposal, comment, moderator, fresh):
        services.hide(moderator=moderator, target=proposal, reason="Spam")
        resident = UserFactory()
        proposal.refresh_from_db()
        assert "ausgeblendet" in decide(resident, "proposals.support_proposal", proposal).reason
        with pytest.raises(PermissionDenied):
            comment_create(author=resident, project=proposal.project, proposal=proposal, text="x")


class TestBlock:
    @pytest.fixture
    def troll(self, project, proposal):
        troll = UserFactory()
        own = ProposalFactory(project=project, author=troll)
        comment_create(author=troll, project=project, proposal=proposal, text="Unsinn 1")
        comment_create(author=troll, project=project, proposal=proposal, text="Unsinn 2")
        comment_create(author=troll, project=project, text="Zum Projekt")
        other_org = ProjectFactory(organisation=OrganisationFactory())
        PhaseFactory(project=other_org, actions=["comment"])
        comment_create(author=troll, project=other_org, text="Anderswo")
        troll.own_proposal = own
        return troll

    def test_block_hides_everything_there_and_is_reversible(
        self, troll, proposal, moderator, region, fresh
    ):
        organisation = region["organisation"]
        earlier = Comment.objects.get(text="Unsinn 1")
        services.hide(moderator=moderator, target=earlier, reason="Beleidigung")
        assert Proposal.objects.get(pk=proposal.pk).comment_count == 1
        services.block(moderator=moderator, organisation=organisation, user=troll, reason="Trollt")
        assert Block.objects.filter(user=troll).count() == 1
        assert Proposal.objects.get(pk=troll.own_proposal.pk).hidden_cause == HideCause.BLOCK
        assert not Comment.objects.filter(
            author=troll, project__organisation=organisation, hidden_at__isnull=True
        ).exists()
        assert not Comment.objects.get(text="Anderswo").is_hidden
        assert Proposal.objects.get(pk=proposal.pk).comment_count == 0

        # Blocked: no proposals, supports, comments or reports in this municipality.
        blocked = fresh(troll)
        project = proposal.project
        assert "gesperrt" in decide(blocked, "proposals.support_proposal", proposal).reason
        with pytest.raises(PermissionDenied):
            comment_create(author=blocked, project=project, proposal=proposal, text="Trotzdem")
        with pytest.raises(PermissionDenied, match="gesperrt"):
            report(ProposalFactory(project=project), blocked)
        with pytest.raises(PermissionDenied):
            support_add(user=blocked, proposal=proposal)
        from mitmachen.proposals.permissions import can_propose

        assert not can_propose(blocked, project)
        # Block-hidden content cannot be restored one by one while the block lasts.
        with pytest.raises(ValidationError, match="gesperrt"):
            services.restore(
                moderator=moderator, target=Comment.objects.get(text="Unsinn 2"), reason="x"
            )

        assert services.unblock(
            moderator=moderator, organisation=organisation, user=troll, reason="Einsicht"
        )
        assert not Block.objects.exists()
        assert not Proposal.objects.get(pk=troll.own_proposal.pk).is_hidden
        # The comment hidden by a moderator before the block stays hidden.
        assert Comment.objects.get(text="Unsinn 1").hidden_cause == HideCause.MODERATOR
        assert not Comment.objects.get(text="Unsinn 2").is_hidden
        assert Proposal.objects.get(pk=proposal.pk).comment_count == 1
        assert fresh(troll) and can_propose(fresh(troll), project)
        kinds = list(ModerationAction.objects.values_list("kind", flat=True))
        assert kinds == [ActionKind.UNBLOCK, ActionKind.BLOCK, ActionKind.HIDE]
        assert not services.unblock(
            moderator=moderator, organisation=organisation, user=troll, reason="nochmal"
        )

    def test_cannot_block_staff_self_or_twice(self, troll, moderator, region):
        organisation = region["organisation"]
        colleague = MembershipFactory(organisation=organisation, role=Role.PROJECT_MANAGER).user
        with pytest.raises(ValidationError, match="Mitarbeitende"):
            services.block(
                moderator=moderator, organisation=organisation, user=colleague, reason="x"
            )
        with pytest.raises(ValidationError, match="eigenes"):
            services.block(
                moderator=moderator, organisation=organisation, user=moderator, reason="x"
            )
        services.block(moderator=moderator, organisation=organisation, user=troll, reason="x")
        with pytest.raises(ValidationError, match="bereits"):
            services.block(moderator=moderator, organisation=organisation, user=troll, reason="x")
        assert ModerationAction.objects.count() == 1

    def test_only_moderators_block(self, troll, region):
        organisation = region["organisation"]
        other = MembershipFactory(organisation=OrganisationFactory(), role=Role.ADMIN).user
        with pytest.raises(PermissionDenied):
            services.block(moderator=other, organisation=organisation, user=troll, reason="x")
        assert not Block.objects.exists()


def test_nothing_of_a_blocked_author_is_shown_again_one_by_one(proposal, moderator, region):
    services.hide(moderator=moderator, target=proposal, reason="Werbung")
    services.block(
        moderator=moderator, organisation=region["organisation"], user=proposal.author, reason="x"
    )
    with pytest.raises(ValidationError, match="gesperrt"):
        services.restore(moderator=moderator, target=proposal, reason="Irrtum")
    proposal.refresh_from_db()
    assert proposal.is_hidden
