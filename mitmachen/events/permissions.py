"""Who sees an event, who may register, who sees the attendees – with German reasons.

Drafts are seen by the municipality's staff only. Registering needs an account, a
published event that takes registrations, is not cancelled and has not begun, and no
block by moderation in that municipality; cancelling one is possible until it begins.
The attendee list is for the municipality's administration and project managers; the
check-in at the door for all its staff.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from mitmachen.core.permissions import Check, Rule, add_rule
from mitmachen.organisations.models import Organisation, Role
from mitmachen.projects.permissions import is_blocked_in, staff_roles

ORGANISER_ROLES = (Role.ADMIN, Role.PROJECT_MANAGER)
SIGN_IN = _("Bitte melden Sie sich an, um sich für die Veranstaltung anzumelden.")


def _memberships(user: Any) -> dict[int, set[str]]:
    """The person's roles per municipality (the per-request facts of ``projects``)."""
    return staff_roles(user)


def staff_organisations(user: Any) -> set[int]:
    """The municipalities where ``user`` has any staff role (sees drafts)."""
    return set(_memberships(user))


def organises(user: Any, organisation_id: int) -> bool:
    """Administration or project management of the municipality (or a superuser)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(_memberships(user).get(organisation_id, set()) & set(ORGANISER_ROLES))


@rules.predicate
def sees_event(user: Any, event: Any) -> bool:
    if event is None:
        return False
    if event.is_published:
        return True
    return user.is_authenticated and (
        user.is_superuser or event.organisation_id in staff_organisations(user)
    )


rules.add_perm("events.view_event", sees_event)
# A Mitmachmobil tour: published ones for everyone, drafts for the municipality's staff
# (the same test as an event's).
rules.add_perm("events.view_tour", sees_event)

OPEN_FOR_REGISTRATION = (
    Check(sees_event, _("Diese Veranstaltung ist nicht veröffentlicht.")),
    Check(
        lambda user, event: event.registration_enabled,
        _("Für diese Veranstaltung ist keine Anmeldung nötig."),
    ),
    Check(lambda user, event: not event.is_cancelled, _("Die Veranstaltung ist abgesagt.")),
    Check(
        lambda user, event: not event.has_started,
        _("Die Veranstaltung hat schon begonnen; eine Anmeldung ist nicht mehr möglich."),
    ),
)

# Guests register with name and e-mail address, without an account.
add_rule("events.register_guest", Rule(*OPEN_FOR_REGISTRATION))

add_rule(
    "events.register",
    Rule(
        *OPEN_FOR_REGISTRATION,
        Check(
            lambda user, event: user.is_authenticated,
            SIGN_IN,
        ),
        Check(
            lambda user, event: not is_blocked_in(user, event.organisation_id),
            _("Ihr Konto ist in dieser Kommune für die Beteiligung gesperrt."),
        ),
    ),
)

# Cancelling a registration (with an account or with a guest's personal link) ends when
# the event begins: the row then records who came (check-in), and a place freed during
# the event would move someone up from the waitlist too late.
add_rule(
    "events.cancel_registration",
    Rule(
        Check(
            lambda user, event: not event.has_started,
            _(
                "Die Veranstaltung hat schon begonnen; die Anmeldung lässt sich nicht mehr "
                "stornieren."
            ),
        ),
    ),
)

add_rule(
    "events.view_attendees",
    Rule(
        Check(
            lambda user, event: organises(user, event.organisation_id),
            _("Die Liste der Angemeldeten sehen nur die Mitarbeitenden der Kommune."),
        ),
    ),
)

# Check-in at the door: any staff of the municipality (the people at the door need not
# plan events). They see names only, not the e-mail addresses of the attendee list.
add_rule(
    "events.check_in",
    Rule(
        Check(
            lambda user, event: (
                user.is_authenticated
                and (user.is_superuser or event.organisation_id in staff_organisations(user))
            ),
            _("Den Einlass machen nur die Mitarbeitenden der Kommune."),
        ),
        Check(
            lambda user, event: event.registration_enabled,
            _("Für diese Veranstaltung gibt es keine Anmeldung."),
        ),
        Check(lambda user, event: not event.is_cancelled, _("Die Veranstaltung ist abgesagt.")),
    ),
)

# "Was dabei herauskam": the organisers document an event once it is over.
add_rule(
    "events.document",
    Rule(
        Check(
            lambda user, event: organises(user, event.organisation_id),
            _("Die Dokumentation schreiben nur die Mitarbeitenden der Kommune."),
        ),
        Check(lambda user, event: not event.is_cancelled, _("Die Veranstaltung ist abgesagt.")),
        Check(
            lambda user, event: event.has_ended,
            _("Dokumentieren können Sie eine Veranstaltung, sobald sie vorbei ist."),
        ),
    ),
)

# "Was hier eingebracht wurde": staff of the municipality link the contributions collected
# at an event (when they enter them offline, or afterwards) and remove a link.
add_rule(
    "events.link_contribution",
    Rule(
        Check(
            lambda user, event: (
                user.is_authenticated
                and (user.is_superuser or event.organisation_id in staff_organisations(user))
            ),
            _("Beiträge einer Veranstaltung verknüpfen nur die Mitarbeitenden der Kommune."),
        ),
        Check(lambda user, event: not event.is_cancelled, _("Die Veranstaltung ist abgesagt.")),
        Check(
            lambda user, event: event.has_started,
            _("Die Veranstaltung hat noch nicht begonnen; dort ist noch nichts eingegangen."),
        ),
    ),
)

# "Vergangene Veranstaltung nachtragen": a meeting recorded after it took place, for a
# municipality (the object). The same people as those who plan its events.
add_rule(
    "events.record_past",
    Rule(
        Check(
            lambda user, organisation: organises(user, organisation.pk),
            _(
                "Vergangene Veranstaltungen tragen nur die Verwaltung und die Projektleitungen "
                "der Kommune nach."
            ),
        ),
    ),
)


def organised_by(user: Any) -> Any:
    """The municipalities whose events ``user`` plans (all for a superuser), by name: one
    query, the person's roles being read once per request."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    found = Organisation.objects.order_by("name", "pk")
    if user.is_superuser:
        return found
    ids = [org for org, roles in _memberships(user).items() if roles & set(ORGANISER_ROLES)]
    return found.filter(pk__in=ids)


def records_past(user: Any) -> bool:
    """Whether ``user`` may record a past meeting for some municipality (the link to the
    form): no query beyond the person's roles, read once per request."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(
        roles & set(ORGANISER_ROLES) for roles in _memberships(user).values()
    )
