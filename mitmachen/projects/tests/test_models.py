from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.projects.models import (
    Phase,
    Project,
    ProjectMembership,
    ProjectState,
    Visibility,
    find_overlap,
)
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def project_with_phases(*spans, **kwargs):
    """spans: (start_offset_days, end_offset_days, actions)."""
    project = ProjectFactory(**kwargs)
    now = timezone.now()
    for start, end, actions in spans:
        PhaseFactory(project=project, start=now + start * DAY, end=now + end * DAY, actions=actions)
    return project


class TestState:
    def test_upcoming_running_finished(self):
        upcoming = project_with_phases((2, 5, ["comment"]))
        running = project_with_phases((-5, -1, ["comment"]), (-1, 5, ["propose"]))
        finished = project_with_phases((-10, -5, ["comment"]))
        assert upcoming.state() == ProjectState.UPCOMING
        assert running.state() == ProjectState.RUNNING
        assert finished.state() == ProjectState.FINISHED
        assert running.current_phase().actions == ["propose"]
        assert upcoming.current_phase() is None
        assert upcoming.next_phase().name == upcoming.phases.get().name
        assert ProjectFactory().state() is None
        assert ProjectFactory().state_label() == "ohne Zeitplan"

    def test_between_phases_is_running_without_current_phase(self):
        project = project_with_phases((-5, -1, ["comment"]), (2, 5, ["propose"]))
        assert project.state() == ProjectState.RUNNING
        assert project.current_phase() is None
        assert not project.allows("comment")

    def test_queryset_states_match_python(self):
        projects = [
            project_with_phases((2, 5, [])),
            project_with_phases((-5, 5, [])),
            project_with_phases((-10, -5, [])),
        ]
        for state in ProjectState.values:
            in_db = set(Project.objects.with_dates().in_state(state))
            in_python = {p for p in projects if p.state() == state}
            assert in_db == in_python, state

    def test_allows_respects_phase_and_draft(self):
        project = project_with_phases((-1, 5, ["comment"]))
        assert project.allows("comment")
        assert not project.allows("vote")
        project.visibility = Visibility.DRAFT
        assert not project.allows("comment")


class TestPhaseRules:
    def test_end_after_start_in_database(self):
        project = ProjectFactory()
        now = timezone.now()
        with pytest.raises(IntegrityError):
            Phase.objects.create(project=project, name="x", start=now, end=now - DAY)

    def test_clean_messages_are_german(self):
        project = ProjectFactory()
        now = timezone.now()
        backwards = Phase(
            project=project, name="Rückwärts", start=now + 30 * DAY, end=now + 29 * DAY
        )
        with pytest.raises(ValidationError, match="Ende muss nach dem Beginn"):
            backwards.full_clean()
        unknown = Phase(
            project=project, name="X", start=now + 40 * DAY, end=now + 41 * DAY, actions=["hack"]
        )
        with pytest.raises(ValidationError, match="Unbekannte Beteiligungsart"):
            unknown.full_clean()

    def test_find_overlap(self):
        now = timezone.now()
        first = Phase(name="Erste", start=now, end=now + 10 * DAY)
        second = Phase(name="Zweite", start=now + 10 * DAY, end=now + 20 * DAY)
        third = Phase(name="Dritte", start=now + 15 * DAY, end=now + 30 * DAY)
        assert find_overlap([second, first]) is None
        assert find_overlap([third, first, second]) == (second, third)

    def test_image_needs_alt_text(self):
        project = ProjectFactory.build(
            organisation=OrganisationFactory(), image="projects/x.png", image_alt="  "
        )
        with pytest.raises(ValidationError, match="Alternativtext"):
            project.full_clean()

    def test_oversized_fields_are_rejected(self):
        project = ProjectFactory.build(organisation=OrganisationFactory(), summary="x" * 281)
        with pytest.raises(ValidationError, match="höchstens 280 Zeichen"):
            project.full_clean()


class TestVisibleTo:
    def test_visibility(self):
        organisation = OrganisationFactory()
        public = ProjectFactory(organisation=organisation)
        private = ProjectFactory(organisation=organisation, visibility=Visibility.PRIVATE)
        draft = ProjectFactory(organisation=organisation, visibility=Visibility.DRAFT)
        member = UserFactory()
        ProjectMembership.objects.create(project=private, user=member)
        staff = MembershipFactory(organisation=organisation, role="moderator").user
        other_staff = MembershipFactory(role="admin").user
        from django.contrib.auth.models import AnonymousUser

        assert set(Project.objects.visible_to(AnonymousUser())) == {public}
        assert set(Project.objects.visible_to(UserFactory())) == {public}
        assert set(Project.objects.visible_to(member)) == {public, private}
        assert set(Project.objects.visible_to(staff)) == {public, private, draft}
        assert set(Project.objects.visible_to(other_staff)) == {public}

    def test_no_duplicates_with_dates(self):
        organisation = OrganisationFactory()
        private = ProjectFactory(organisation=organisation, visibility=Visibility.PRIVATE)
        PhaseFactory(project=private)
        PhaseFactory(
            project=private, start=timezone.now() + 40 * DAY, end=timezone.now() + 50 * DAY
        )
        user = MembershipFactory(organisation=organisation).user
        ProjectMembership.objects.create(project=private, user=user)
        rows = list(Project.objects.visible_to(user).for_listing())
        assert rows == [private]
