from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.channels import Channel
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.projects.models import SupportEligibility
from mitmachen.projects.tests.factories import TopicFactory
from mitmachen.proposals.models import Proposal, ProposalStatus, Support
from mitmachen.proposals.services import (
    OfflineOrigin,
    proposal_create,
    proposal_update,
    proposal_withdraw,
    support_add,
    support_withdraw,
)
from mitmachen.proposals.tests.conftest import set_phase

pytestmark = pytest.mark.django_db


def create(project, author=None, **kwargs):
    data = {"title": "Trinkbrunnen am Bahnhof", "text": "Im Sommer fehlt Wasser."} | kwargs
    return proposal_create(author=author or UserFactory(), project=project, **data)


class TestCreate:
    def test_point_sets_the_district(self, project, region):
        proposal = create(project, lon=12.015, lat=52.005, district=region["west"])
        assert proposal.district == region["east"]  # the point wins over the chosen district
        assert proposal.channel == Channel.ONLINE

    def test_without_point_the_chosen_district_counts(self, project, region):
        assert create(project, district=region["west"]).district == region["west"]

    @pytest.mark.parametrize(
        ("kwargs", "field", "message"),
        [
            ({"lon": 13.5, "lat": 52.5}, "lon", "außerhalb des Gebiets"),
            ({"lon": 12.005}, "lon", "unvollständig"),
            ({"title": ""}, "title", "Dieses Feld darf nicht leer sein."),
            ({"title": "x" * 121}, "title", "höchstens 120 Zeichen"),
            ({"text": "x" * 5001}, "text", "höchstens 5000 Zeichen"),
        ],
    )
    def test_bad_input_stores_nothing(self, project, kwargs, field, message):
        with pytest.raises(ValidationError) as info:
            create(project, **kwargs)
        assert message in str(info.value.message_dict[field])
        assert not Proposal.objects.exists()

    def test_foreign_topic_and_district_are_refused(self, project):
        from mitmachen.organisations.tests.factories import DistrictFactory

        with pytest.raises(ValidationError, match="Thema gehört nicht"):
            create(project, topic=TopicFactory())
        with pytest.raises(ValidationError, match="Ortsteil gehört nicht"):
            create(project, district=DistrictFactory())
        assert not Proposal.objects.exists()

    def test_not_in_a_proposal_phase(self, project):
        set_phase(project, ["support"])
        with pytest.raises(PermissionDenied):
            create(project)

    def test_offline_entry_by_staff(self, project):
        staff = MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user
        origin = OfflineOrigin(
            channel=Channel.MARKET_STAND,
            submitted_on=date(2026, 5, 12),
            place="Wochenmarkt",
            name="Frau M.",
            consent=True,
        )
        proposal = proposal_create(
            author=None,
            project=project,
            title="Bank",
            text="Bitte.",
            offline=origin,
            entered_by=staff,
        )
        assert proposal.channel == Channel.MARKET_STAND
        assert proposal.entered_by == staff
        assert proposal.public_author() == "Frau M."
        proposal.offline_consent = False
        assert proposal.public_author() == "einer Teilnehmerin oder einem Teilnehmer"

    def test_offline_entry_needs_staff_of_the_project(self, project):
        origin = OfflineOrigin(channel=Channel.LETTER, submitted_on=date(2026, 5, 12), place="Post")
        with pytest.raises(PermissionDenied):
            proposal_create(
                author=None,
                project=project,
                title="x",
                text="y",
                offline=origin,
                entered_by=UserFactory(),
            )


class TestEditAndWithdraw:
    def test_author_edits_until_first_support(self, project):
        author = UserFactory()
        proposal = create(project, author=author)
        proposal_update(user=author, proposal=proposal, title="Neu", text="Neuer Text")
        assert Proposal.objects.get().title == "Neu"
        support_add(user=UserFactory(), proposal=proposal)
        with pytest.raises(PermissionDenied, match="schon Reaktionen"):
            proposal_update(user=author, proposal=proposal, title="Später", text="x")
        assert Proposal.objects.get().title == "Neu"

    def test_others_cannot_edit(self, project):
        proposal = create(project)
        with pytest.raises(PermissionDenied):
            proposal_update(user=UserFactory(), proposal=proposal, title="Fremd", text="x")

    def test_withdraw_with_reason(self, project):
        author = UserFactory()
        proposal = create(project, author=author)
        with pytest.raises(ValidationError, match="Grund"):
            proposal_withdraw(user=author, proposal=proposal, reason="  ")
        proposal_withdraw(user=author, proposal=proposal, reason="Hat sich erledigt.")
        proposal.refresh_from_db()
        assert proposal.is_withdrawn and proposal.withdrawal_reason == "Hat sich erledigt."
        with pytest.raises(PermissionDenied):
            support_add(user=UserFactory(), proposal=proposal)


class TestSupport:
    def test_once_per_person_and_withdraw(self, project):
        proposal = create(project)
        supporter = UserFactory()
        assert support_add(user=supporter, proposal=proposal) is True
        assert support_add(user=supporter, proposal=proposal) is False
        proposal.refresh_from_db()
        assert proposal.support_count == 1 == Support.objects.count()
        assert support_withdraw(user=supporter, proposal=proposal) is True
        assert support_withdraw(user=supporter, proposal=proposal) is False
        proposal.refresh_from_db()
        assert proposal.support_count == 0 == Support.objects.count()

    def test_refusals_are_german(self, project):
        from django.contrib.auth.models import AnonymousUser

        author = UserFactory()
        proposal = create(project, author=author)
        with pytest.raises(PermissionDenied, match="Eigene Vorschläge"):
            support_add(user=author, proposal=proposal)
        with pytest.raises(PermissionDenied, match="melden Sie sich an"):
            support_add(user=AnonymousUser(), proposal=proposal)
        set_phase(project, ["comment"])
        proposal.project = project
        with pytest.raises(PermissionDenied, match="keine Unterstützungen"):
            support_add(user=UserFactory(), proposal=proposal)
        with pytest.raises(PermissionDenied):
            support_withdraw(user=UserFactory(), proposal=proposal)

    @pytest.mark.parametrize(
        ("rule", "make_user", "allowed"),
        [
            (SupportEligibility.REGISTERED, lambda r: UserFactory(), True),
            (SupportEligibility.VERIFIED, lambda r: UserFactory(), False),
            (SupportEligibility.VERIFIED, lambda r: UserFactory(is_verified_resident=True), True),
            (SupportEligibility.RESIDENTS, lambda r: UserFactory(), False),
            (SupportEligibility.RESIDENTS, lambda r: UserFactory(home_district=r["east"]), True),
        ],
    )
    def test_eligibility(self, project, region, rule, make_user, allowed):
        project.support_eligibility = rule
        project.save()
        proposal = create(project)
        user = make_user(region)
        if allowed:
            assert support_add(user=user, proposal=proposal)
        else:
            with pytest.raises(PermissionDenied, match="nur"):
                support_add(user=user, proposal=proposal)

    def test_residents_of_other_districts_may_not_support(self, project):
        from mitmachen.organisations.tests.factories import DistrictFactory

        project.support_eligibility = SupportEligibility.RESIDENTS
        project.save()
        proposal = create(project)
        with pytest.raises(PermissionDenied):
            support_add(user=UserFactory(home_district=DistrictFactory()), proposal=proposal)

    def test_quorum_is_recorded_once_and_notifies(
        self, project, django_capture_on_commit_callbacks
    ):
        project.support_quorum = 3
        project.save()
        admin = MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user
        author = UserFactory()
        proposal = create(project, author=author)
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(5):
                support_add(user=UserFactory(), proposal=proposal)
        proposal.refresh_from_db()
        assert proposal.support_count == 5
        assert proposal.status == ProposalStatus.QUORUM_REACHED
        assert proposal.quorum_reached_at is not None
        assert sorted(m.to[0] for m in mail.outbox) == sorted([admin.email, author.email])
        assert all("Quorum erreicht" in m.subject for m in mail.outbox)

    def test_deleted_supporter_keeps_counting(self, project):
        from mitmachen.accounts.services import account_delete

        proposal = create(project)
        supporter = UserFactory()
        support_add(user=supporter, proposal=proposal)
        account_delete(user=supporter)
        proposal.refresh_from_db()
        assert proposal.support_count == 1 == Support.objects.filter(user=None).count()
