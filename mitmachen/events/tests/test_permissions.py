"""The permission matrix: who × event state, for seeing, registering (with an account or
as a guest), the attendee list and the check-in, with the German reasons."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from mitmachen.core.permissions import decide
from mitmachen.events.models import Status
from mitmachen.events.tests.factories import EventFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "moderator", "manager", "other_staff"]
STATES = ["draft", "public", "cancelled", "past"]

# (sees it, may register with an account, may register as a guest, sees attendees,
#  checks people in at the door)
EXPECTED = {
    ("anonymous", "draft"): (False, False, False, False, False),
    ("anonymous", "public"): (True, False, True, False, False),
    ("anonymous", "cancelled"): (True, False, False, False, False),
    ("anonymous", "past"): (True, False, False, False, False),
    ("resident", "draft"): (False, False, False, False, False),
    ("resident", "public"): (True, True, True, False, False),
    ("resident", "cancelled"): (True, False, False, False, False),
    ("resident", "past"): (True, False, False, False, False),
    ("moderator", "draft"): (True, True, True, False, True),
    ("moderator", "public"): (True, True, True, False, True),
    ("moderator", "cancelled"): (True, False, False, False, False),
    ("moderator", "past"): (True, False, False, False, True),
    ("manager", "draft"): (True, True, True, True, True),
    ("manager", "public"): (True, True, True, True, True),
    ("manager", "cancelled"): (True, False, False, True, False),
    ("manager", "past"): (True, False, False, True, True),
    ("other_staff", "draft"): (False, False, False, False, False),
    ("other_staff", "public"): (True, True, True, False, False),
    ("other_staff", "cancelled"): (True, False, False, False, False),
    ("other_staff", "past"): (True, False, False, False, False),
}


def _user(role, organisation, resident):
    if role == "anonymous":
        return AnonymousUser()
    if role == "resident":
        return resident
    if role == "other_staff":
        return MembershipFactory(role=Role.ADMIN).user
    wanted = Role.MODERATOR if role == "moderator" else Role.PROJECT_MANAGER
    return MembershipFactory(organisation=organisation, role=wanted).user


def _event(state, organisation):
    fields = {"organisation": organisation, "registration_enabled": True}
    if state == "draft":
        fields["is_published"] = False
    if state == "cancelled":
        fields.update(status=Status.CANCELLED, status_note="Sturm")
    if state == "past":
        start = timezone.now() - timedelta(days=2)
        fields.update(starts_at=start, ends_at=start + timedelta(hours=2))
    return EventFactory(**fields)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_matrix(role, state, region, resident):
    organisation = region["organisation"]
    user = _user(role, organisation, resident)
    event = _event(state, organisation)
    got = (
        user.has_perm("events.view_event", event),
        decide(user, "events.register", event).allowed,
        # A guest form is offered only to visitors without an account (the view asks).
        decide(user, "events.register_guest", event).allowed,
        decide(user, "events.view_attendees", event).allowed,
        decide(user, "events.check_in", event).allowed,
    )
    assert got == EXPECTED[(role, state)]


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        ("draft", "nicht veröffentlicht"),
        ("cancelled", "abgesagt"),
        ("past", "schon begonnen"),
        ("public", "Bitte melden Sie sich an"),
    ],
)
def test_reasons_are_german_sentences(state, reason, region):
    event = _event(state, region["organisation"])
    assert reason in decide(AnonymousUser(), "events.register", event).reason
