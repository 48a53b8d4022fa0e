"""Who may see, answer and run a poll (phase-aware).

Answering needs an open poll (published, phase running with ``answer``, not closed)
in a project the person may see, and the poll's eligibility rule: an account, a
confirmed residence, a home Ortsteil among the poll's, or – for guest polls – nothing
but a valid guest token. Blocked accounts take no part. Staff of the project (admins,
assigned project managers) run the poll: paper entry, free-text review, exports,
closing.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils.translation import gettext as _

from mitmachen.polls.models import Eligibility, Participation, Poll
from mitmachen.projects.models import Project, Visibility
from mitmachen.projects.permissions import blocked_organisations, can_change, is_org_staff


def can_view(user: Any, poll: Poll) -> bool:
    """Published polls of projects the person may see; staff also see unpublished ones."""
    if not user.has_perm("projects.view_project", poll.project):
        return False
    return poll.is_published or can_manage(user, poll)


def can_manage(user: Any, poll: Poll) -> bool:
    """Run the poll: paper entry, corrections, free-text review, exports, closing."""
    return bool(can_change(user, poll.project))


def can_see_staff_view(user: Any, project: Project) -> bool:
    return bool(is_org_staff(user, project))


def poll_districts(poll: Poll) -> set[int]:
    """The Ortsteile whose residents may answer a "residents" poll."""
    from mitmachen.projects.selectors import districts_for

    chosen = {d.pk for d in poll.districts.all()}
    return chosen or set(districts_for(poll.project).values_list("pk", flat=True))


def eligible(user: Any, poll: Poll) -> bool:
    """The poll's rule for who may answer, ignoring dates and earlier answers."""
    if poll.eligibility == Eligibility.GUESTS:
        return True
    if not user.is_authenticated:
        return False
    if poll.eligibility == Eligibility.VERIFIED:
        return bool(user.is_verified_resident)
    if poll.eligibility == Eligibility.RESIDENTS:
        return user.home_district_id is not None and user.home_district_id in poll_districts(poll)
    return True


def has_answered(user: Any, poll: Poll) -> bool:
    if not user.is_authenticated:
        return False
    return Participation.objects.filter(poll=poll, user=user).exists()


def answer_refusal(user: Any, poll: Poll, *, answered: bool | None = None) -> str:
    """Why ``user`` may not answer ``poll`` now, in German ("" when they may).

    ``answered`` saves the participation lookup when the caller already knows it.
    """
    if not poll.is_published or poll.project.visibility == Visibility.DRAFT:
        return _("Diese Umfrage ist noch nicht veröffentlicht.")
    if not user.has_perm("projects.view_project", poll.project):
        # A private project: only invited people (and staff) see it, so only they answer.
        return _("An dieser Umfrage können nur eingeladene Personen teilnehmen.")
    if poll.is_closed():
        return _("Diese Umfrage ist beendet. Antworten sind nicht mehr möglich.")
    if not poll.has_started():
        return _("Diese Umfrage hat noch nicht begonnen.")
    if not poll.is_open():
        return _("In dieser Phase sind keine Antworten möglich.")
    if poll.project.organisation_id in blocked_organisations(user):
        return _("Ihr Konto ist für Beteiligungen in dieser Kommune gesperrt.")
    if not user.is_authenticated and poll.eligibility != Eligibility.GUESTS:
        return _("Bitte melden Sie sich an, um an dieser Umfrage teilzunehmen.")
    if not eligible(user, poll):
        if poll.eligibility == Eligibility.VERIFIED:
            return _(
                "An dieser Umfrage können nur Personen mit bestätigtem Wohnsitz teilnehmen. "
                "Das Bürgerbüro bestätigt Ihren Wohnsitz."
            )
        return _(
            "An dieser Umfrage können nur Einwohnerinnen und Einwohner bestimmter Ortsteile "
            "teilnehmen. Ihr Wohnort (Ortsteil) in Ihrem Konto gehört nicht dazu."
        )
    if answered is None:
        answered = has_answered(user, poll)
    # Only an account can change its answers: a guest's token answers once, and the
    # cookie that says "answered" does not lead back to the stored response.
    if answered and not (poll.allow_changes and user.is_authenticated):
        return _("Sie haben an dieser Umfrage bereits teilgenommen.")
    return ""


def may_answer(user: Any, poll: Poll) -> bool:
    return not answer_refusal(user, poll)


def can_see_results(user: Any, poll: Poll) -> bool:
    if not can_view(user, poll):
        return False
    return poll.results_are_public() or can_manage(user, poll)


@rules.predicate
def _answer(user: Any, poll: Poll | None) -> bool:
    return poll is not None and may_answer(user, poll)


@rules.predicate
def _view(user: Any, poll: Poll | None) -> bool:
    return poll is not None and can_view(user, poll)


@rules.predicate
def _results(user: Any, poll: Poll | None) -> bool:
    return poll is not None and can_see_results(user, poll)


@rules.predicate
def _manage(user: Any, poll: Poll | None) -> bool:
    return poll is not None and can_manage(user, poll)


rules.add_perm("polls.view_poll", _view)
rules.add_perm("polls.answer_poll", _answer)
rules.add_perm("polls.view_results", _results)
rules.add_perm("polls.manage_poll", _manage)
