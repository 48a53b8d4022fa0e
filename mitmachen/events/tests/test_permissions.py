"""The permission matrix: who × event state, for seeing, registering (with an account or
as a guest), the attendee list and the check-in, with the German reasons."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.permissions import decide
from mitmachen.events.models import Registration, Status
from mitmachen.events.services import (
    guest_cancel,
    guest_confirm,
    guest_register,
    registration_cancel,
    registration_register,
)
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


# --- Cancelling once the event has begun ------------------------------------------------


def _begun(event):
    """The event began ten minutes ago (people were checked in at the door)."""
    event.starts_at = timezone.now() - timedelta(minutes=10)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.save()


def test_a_registration_cannot_be_cancelled_once_the_event_has_begun(client, event, resident):
    """The button is gone once the event began; a POST sent anyway (an old tab) is
    refused with the reason: the registration (and its check-in) stays, and nobody on the
    waitlist is told of a place at an event already under way."""
    registration_register(user=resident, event=event)
    guest = guest_register(event=event, name="Gerda", email="gerda@example.org", site_url="/")
    guest_confirm(token=guest.token)
    for _n in range(2):
        registration_register(user=UserFactory(), event=event)  # the last one waits
    _begun(event)
    reason = "hat schon begonnen; die Anmeldung lässt sich nicht mehr stornieren"
    assert reason in str(decide(resident, "events.cancel_registration", event).reason)
    assert reason in str(decide(AnonymousUser(), "events.cancel_registration", event).reason)
    client.force_login(resident)
    response = client.post(reverse("events:cancel", args=[event.pk]), follow=True)
    assert reason in response.content.decode()
    client.logout()
    response = client.post(reverse("events:guest_cancel", args=[guest.token]), follow=True)
    assert reason in response.content.decode()
    with pytest.raises(PermissionDenied, match="schon begonnen"):
        registration_cancel(user=resident, event=event)
    with pytest.raises(PermissionDenied, match="schon begonnen"):
        guest_cancel(token=guest.token, site_url="/")
    statuses = sorted(Registration.objects.values_list("status", flat=True))
    assert statuses == ["angemeldet", "angemeldet", "angemeldet", "warteliste"]


def test_before_the_event_a_cancellation_is_allowed_to_everyone_registered(event, resident):
    for user in (resident, AnonymousUser()):
        assert decide(user, "events.cancel_registration", event).allowed
