from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from mitmachen.measures import services
from mitmachen.measures.models import Measure, MeasureFollow, MeasureStatus, Milestone, ProgressMode
from mitmachen.measures.tests.factories import (
    GoalFactory,
    MeasureFactory,
    MilestoneFactory,
    default_status,
)
from mitmachen.notifications.models import Notification
from mitmachen.proposals.models import ProposalStatus
from mitmachen.proposals.services import proposal_follow
from mitmachen.proposals.tests.factories import ProposalFactory


def _new(goal, **fields):
    return Measure(goal=goal, organisation=goal.field.organisation, title="Bänke", **fields)


def test_measure_save_sets_the_default_status_and_districts(goal, manager, region):
    measure = services.measure_save(user=manager, measure=_new(goal), districts=[region["west"]])
    assert measure.status == default_status("planned")
    assert list(measure.districts.all()) == [region["west"]]


def test_discarded_needs_a_public_reason(goal, manager):
    with pytest.raises(ValidationError) as error:
        services.measure_save(user=manager, measure=_new(goal, status=default_status("discarded")))
    assert "status_reason" in error.value.message_dict
    assert not Measure.objects.exists()
    services.measure_save(
        user=manager,
        measure=_new(goal, status=default_status("discarded"), status_reason="Zu teuer."),
    )


def test_a_discarded_status_without_reason_cannot_exist(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureStatus.objects.create(name="gestrichen", kind="discarded", requires_reason=False)


@pytest.mark.parametrize("value", [101, -1])
def test_progress_cannot_leave_0_to_100_in_the_database(goal, value):
    measure = MeasureFactory(goal=goal)
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(progress=value)


def test_manual_progress_out_of_range_is_a_german_error(goal, manager):
    with pytest.raises(ValidationError) as error:
        services.measure_save(user=manager, measure=_new(goal, progress_manual=140))
    assert "progress_manual" in error.value.message_dict


def test_progress_from_weighted_milestones(goal, manager):
    measure = services.measure_save(
        user=manager, measure=_new(goal, progress_mode=ProgressMode.MILESTONES)
    )
    first = services.milestone_save(
        user=manager, milestone=Milestone(measure=measure, title="a", weight=1, done=True)
    )
    services.milestone_save(user=manager, milestone=Milestone(measure=measure, title="b", weight=3))
    assert Measure.objects.get(pk=measure.pk).progress == 25
    services.milestone_delete(user=manager, milestone=first)
    assert Measure.objects.get(pk=measure.pk).progress == 0


def test_other_municipalities_and_moderators_may_not_write(goal, stranger_staff, moderator):
    for user in (stranger_staff, moderator):
        with pytest.raises(PermissionDenied):
            services.measure_save(user=user, measure=_new(goal))
    assert not Measure.objects.exists()


def test_a_goal_of_another_municipality_is_refused(goal, manager, region):
    other_goal = GoalFactory()
    measure = _new(goal)
    measure.goal = other_goal  # the organisation follows the goal: then the manager may not
    with pytest.raises(PermissionDenied):
        services.measure_save(user=manager, measure=measure)


def test_update_with_status_change_notifies_followers_once(
    goal, manager, resident, django_capture_on_commit_callbacks
):
    measure = MeasureFactory(goal=goal)
    services.measure_follow(user=resident, measure=measure)
    assert services.measure_follow(user=resident, measure=measure) is False
    with django_capture_on_commit_callbacks(execute=True):
        services.update_post(
            user=manager,
            measure=measure,
            text="Die Bänke stehen.",
            status=default_status("done"),
        )
    measure.refresh_from_db()
    assert measure.status.kind == "done"
    notes = Notification.objects.filter(recipient=resident, kind="measure_updated")
    assert notes.count() == 1
    assert "umgesetzt" in notes.get().title
    assert not Notification.objects.filter(recipient=manager).exists()


def test_an_empty_update_changes_nothing(goal, manager):
    measure = MeasureFactory(goal=goal)
    with pytest.raises(ValidationError):
        services.update_post(
            user=manager, measure=measure, text="  ", status=default_status("done")
        )
    measure.refresh_from_db()
    assert measure.status.kind == "in_progress"
    assert not measure.updates.exists()


def test_discarding_by_update_needs_a_reason(goal, manager):
    measure = MeasureFactory(goal=goal)
    with pytest.raises(ValidationError) as error:
        services.update_post(
            user=manager, measure=measure, text="Leider nicht.", status=default_status("discarded")
        )
    assert "status_reason" in error.value.message_dict


def test_accepted_proposal_becomes_a_measure_once_and_people_are_told(
    project, goal, manager, resident, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(project=project, status=ProposalStatus.ACCEPTED)
    proposal_follow(user=resident, proposal=proposal)
    with django_capture_on_commit_callbacks(execute=True):
        measure = services.measure_from_proposal(user=manager, proposal=proposal, goal=goal)
    assert list(measure.proposals.all()) == [proposal]
    assert measure.project == project
    assert measure.title == proposal.title
    for person in (proposal.author, resident):
        assert (
            Notification.objects.filter(recipient=person, kind="measure_from_proposal").count() == 1
        )
    with pytest.raises(ValidationError, match="schon die Maßnahme"):
        services.measure_from_proposal(user=manager, proposal=proposal, goal=goal)
    assert Measure.objects.count() == 1


def test_only_accepted_proposals_become_measures(project, goal, manager):
    proposal = ProposalFactory(project=project, status=ProposalStatus.SUBMITTED)
    with pytest.raises(PermissionDenied, match="angenommenen"):
        services.measure_from_proposal(user=manager, proposal=proposal, goal=goal)


def test_deleting_the_follower_account_removes_the_follow(goal, resident):
    measure = MeasureFactory(goal=goal)
    services.measure_follow(user=resident, measure=measure)
    resident.delete()
    assert not MeasureFollow.objects.exists()


def test_milestone_factory_rows_recompute(goal, manager):
    measure = MeasureFactory(goal=goal, progress_mode=ProgressMode.MILESTONES)
    MilestoneFactory(measure=measure, done=True, weight=1)
    assert services.measure_refresh_progress(measure=measure).progress == 100


def test_followers_who_chose_mail_get_one_at_once_the_others_only_in_the_platform(
    goal, manager, django_capture_on_commit_callbacks, mailoutbox
):
    from mitmachen.accounts.models import FollowMail
    from mitmachen.accounts.tests.factories import UserFactory

    measure = MeasureFactory(goal=goal, title="Rufbus")
    people = {
        choice: UserFactory(email=f"{choice}@example.org", follow_mail=choice)
        for choice in FollowMail.values
    }
    for person in people.values():
        services.measure_follow(user=person, measure=measure)
    services.measure_follow(user=manager, measure=measure)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_post(user=manager, measure=measure, text="Der Fahrplan steht.")
    assert [m.to for m in mailoutbox] == [["immediate@example.org"]]
    mail = mailoutbox[0]
    assert mail.subject == "Neues zur Maßnahme „Rufbus“"
    assert "Der Fahrplan steht." in mail.body
    assert f"/massnahmen/{measure.pk}/" in mail.body and "Meine Abonnements" in mail.body
    for person in people.values():
        assert Notification.objects.filter(recipient=person, kind="measure_updated").count() == 1
    assert not Notification.objects.filter(recipient=manager).exists()
