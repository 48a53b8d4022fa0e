"""Who may submit ideas, review them, vote, and set the budget's rule (phase-aware).

Rules of ``core.permissions`` (each check with the German sentence a person reads):

- **submit an idea** (``budgets.submit_idea``, asked of the budget): signed in, not
  blocked in the municipality, the current phase allows ``SUBMIT_IDEA``.
- **review an idea** (``budgets.review_idea``): staff who may change the project, until
  the ballot begins (the ballot's costs must not change under the voters).
- **vote** (``budgets.vote``, asked of a group): signed in, the current phase allows
  ``VOTE``, not blocked, and for a group of some Ortsteile: living in one of them
  (``User.home_district``).
- **enter an idea handed in offline** (``budgets.enter_offline_idea``, asked of the
  budget): staff who may change the project, in any phase until the ballot begins
  (a market stand or a letter does not follow the idea phase's dates).
- **set the rule** (``budgets.set_result_rule``): staff who may change the project,
  before the ballot begins.
- **paper ballots** (``budgets.create_paper_batch`` asked of a group,
  ``budgets.enter_paper_ballots`` and ``budgets.confirm_paper_batch`` of a batch):
  staff of the project, once the ballot has begun and until the group's result exists;
  only the person who created a batch enters ballots into it, and only another person
  confirms it (then it counts and no longer changes).
- **support an idea** (``budgets.support_idea``, asked of an idea; also taking a
  support back): signed in, not blocked, the current phase allows ``SUPPORT``, the idea
  is not hidden and not unfeasible, and its group is one the person may vote in.
- **select for the ballot** (``budgets.select_for_ballot``, asked of a group): staff
  of the project, once every phase of supports has ended and until the ballot begins.
  A budget with a phase of supports opens a group's ballot only once its selection is
  fixed (``budgets.vote``).
- **correct a confirmed paper stack** (``budgets.correct_paper_batch``, asked of a
  batch): staff of the project, a confirmed stack that no correction replaced and none
  is pending for; also after the result (confirming the correction recomputes it). The
  correction is a new stack: entered and confirmed by two people like any other.
- **restart a result's computation** (``budgets.restart_result``): staff of the project,
  when it failed or has not finished after ten minutes (its worker died).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import rules
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitmachen.budgets.models import (
    SUBMIT_IDEA,
    SUPPORT,
    VOTE,
    Budget,
    BudgetGroup,
    Feasibility,
    GroupResult,
    Idea,
    PaperBatch,
    ResultState,
)
from mitmachen.core.permissions import Check, Rule, add_rule
from mitmachen.projects.models import Project
from mitmachen.projects.permissions import can_take_part, is_blocked_in

BLOCKED = _("Ihr Konto ist für Beteiligungen in dieser Kommune gesperrt.")
BALLOT_STARTED = _(
    "Die Abstimmung hat begonnen; Prüfung, Kosten und Auszählungsregel stehen jetzt fest."
)


def manages(user: Any, project: Project) -> bool:
    """Staff who may change the project (remembered on the user object per request)."""
    if not user.is_authenticated:
        return False
    memo: dict[int, bool] | None = getattr(user, "_mitmachen_manages", None)
    if memo is None:
        memo = {}
        user._mitmachen_manages = memo
    if project.pk not in memo:
        memo[project.pk] = rules.has_perm("projects.change_project", user, project)
    return memo[project.pk]


def lives_in_group(user: Any, group: BudgetGroup) -> bool:
    """A group of some Ortsteile is for their residents; a group without, for everyone.
    Reads ``group.districts`` (prefetch it for lists)."""
    district_ids = {d.pk for d in group.districts.all()}
    return not district_ids or getattr(user, "home_district_id", None) in district_ids


def _district_refusal(user: Any, group: BudgetGroup) -> str:
    names = ", ".join(d.name for d in group.districts.all())
    return str(
        _(
            "In dieser Gruppe stimmen nur Einwohnerinnen und Einwohner von %(names)s ab. "
            "Ihren Wohnort (Ortsteil) können Sie in Ihrem Profil angeben."
        )
        % {"names": names}
    )


def _support_district_refusal(user: Any, idea: Idea) -> str:
    names = ", ".join(d.name for d in idea.group.districts.all())
    return str(
        _(
            "Ideen dieser Gruppe unterstützen nur Einwohnerinnen und Einwohner von "
            "%(names)s. Ihren Wohnort (Ortsteil) können Sie in Ihrem Profil angeben."
        )
        % {"names": names}
    )


add_rule(
    "budgets.submit_idea",
    Rule(
        Check(
            lambda user, budget: user.is_authenticated,
            _("Bitte melden Sie sich an, um eine Idee einzureichen."),
        ),
        Check(
            lambda user, budget: not is_blocked_in(user, budget.project.organisation_id),
            BLOCKED,
        ),
        Check(
            lambda user, budget: can_take_part(user, SUBMIT_IDEA, budget.project),
            _("In dieser Phase können keine Ideen eingereicht werden."),
        ),
    ),
)

add_rule(
    "budgets.review_idea",
    Rule(
        Check(
            lambda user, idea: manages(user, idea.project),
            _("Nur die Verwaltung des Projekts prüft Ideen."),
        ),
        Check(lambda user, idea: not idea.budget.ballot_started(), BALLOT_STARTED),
    ),
)

add_rule(
    "budgets.enter_offline_idea",
    Rule(
        Check(
            lambda user, budget: manages(user, budget.project),
            _("Nur die Verwaltung des Projekts erfasst Ideen aus Veranstaltungen und Briefen."),
        ),
        Check(lambda user, budget: not budget.ballot_started(), BALLOT_STARTED),
    ),
)

add_rule(
    "budgets.set_result_rule",
    Rule(
        Check(
            lambda user, budget: manages(user, budget.project),
            _("Nur die Verwaltung des Projekts legt die Auszählungsregel fest."),
        ),
        Check(lambda user, budget: not budget.ballot_started(), BALLOT_STARTED),
    ),
)

add_rule(
    "budgets.vote",
    Rule(
        Check(
            lambda user, group: user.is_authenticated,
            _("Bitte melden Sie sich an, um abzustimmen."),
        ),
        Check(
            lambda user, group: not is_blocked_in(user, group.budget.project.organisation_id),
            BLOCKED,
        ),
        Check(
            lambda user, group: can_take_part(user, VOTE, group.budget.project),
            _("Die Abstimmung ist nicht geöffnet."),
        ),
        Check(lambda user, group: lives_in_group(user, group), _district_refusal),
        Check(
            lambda user, group: group.selected_at is not None or not group.budget.support_phases(),
            _(
                "Die Verwaltung hat noch nicht festgelegt, welche Ideen nach den "
                "Unterstützungen auf den Stimmzettel kommen."
            ),
        ),
    ),
)

add_rule(
    "budgets.support_idea",
    Rule(
        Check(
            lambda user, idea: user.is_authenticated,
            _("Bitte melden Sie sich an, um Ideen zu unterstützen."),
        ),
        Check(
            lambda user, idea: not is_blocked_in(user, idea.budget.project.organisation_id),
            BLOCKED,
        ),
        Check(
            lambda user, idea: can_take_part(user, SUPPORT, idea.budget.project),
            _("In dieser Phase können Ideen nicht unterstützt werden."),
        ),
        Check(
            lambda user, idea: not idea.is_hidden,
            _("Diese Idee ist ausgeblendet und kann nicht unterstützt werden."),
        ),
        Check(
            lambda user, idea: idea.feasibility != Feasibility.UNFEASIBLE,
            _("Nicht machbare Ideen kommen nicht zur Abstimmung und werden nicht unterstützt."),
        ),
        Check(lambda user, idea: lives_in_group(user, idea.group), _support_district_refusal),
    ),
)

add_rule(
    "budgets.select_for_ballot",
    Rule(
        Check(
            lambda user, group: manages(user, group.budget.project),
            _("Nur die Verwaltung des Projekts legt fest, was auf den Stimmzettel kommt."),
        ),
        Check(
            lambda user, group: group.budget.supports_ended(),
            _("Die Auswahl wird festgelegt, wenn die Phase der Unterstützungen beendet ist."),
        ),
        Check(lambda user, group: not group.budget.ballot_started(), BALLOT_STARTED),
    ),
)


# A computation takes well under a minute (docs/budgets.md); one unfinished after this
# long lost its worker.
STUCK_AFTER = timedelta(minutes=10)


def _may_restart(result: GroupResult) -> bool:
    if result.state == ResultState.FAILED:
        return True
    return result.state != ResultState.DONE and result.started_at < timezone.now() - STUCK_AFTER


add_rule(
    "budgets.restart_result",
    Rule(
        Check(
            lambda user, result: manages(user, result.group.budget.project),
            _("Nur die Verwaltung des Projekts startet eine Berechnung neu."),
        ),
        Check(
            lambda user, result: result.state != ResultState.DONE,
            _("Das Ergebnis ist berechnet und gespeichert; es ändert sich nicht mehr."),
        ),
        Check(
            lambda user, result: _may_restart(result),
            _(
                "Die Berechnung läuft noch. Neu starten lässt sie sich, wenn sie "
                "fehlgeschlagen ist oder nach zehn Minuten noch nicht fertig ist."
            ),
        ),
    ),
)


def _no_result(group: BudgetGroup) -> bool:
    return not GroupResult.objects.filter(group_id=group.pk).exists()


def _correction_or_no_result(batch: Any) -> bool:
    """A correction may be entered and confirmed after the result: confirming it queues
    the result again (``correction_services.correction_apply``)."""
    return batch.corrects_id is not None or _no_result(batch.group)


RESULT_EXISTS = _(
    "Das Ergebnis dieser Gruppe ist schon berechnet; weitere Papierstimmzettel zählen nicht."
)
STAFF_ONLY_PAPER = _("Nur die Verwaltung des Projekts erfasst und prüft Papierstimmzettel.")

add_rule(
    "budgets.create_paper_batch",
    Rule(
        Check(lambda user, group: manages(user, group.budget.project), STAFF_ONLY_PAPER),
        Check(
            lambda user, group: group.budget.ballot_started(),
            _("Papierstimmzettel werden erfasst, sobald die Abstimmung begonnen hat."),
        ),
        Check(lambda user, group: _no_result(group), RESULT_EXISTS),
    ),
)

add_rule(
    "budgets.enter_paper_ballots",
    Rule(
        Check(lambda user, batch: manages(user, batch.group.budget.project), STAFF_ONLY_PAPER),
        Check(
            lambda user, batch: batch.entered_by_id == user.pk,
            _(
                "Stimmzettel erfasst die Person, die den Stapel angelegt hat; prüfen und "
                "bestätigen muss ihn eine andere."
            ),
        ),
        Check(
            lambda user, batch: not batch.is_confirmed,
            _(
                "Der Stapel ist bestätigt und ändert sich nicht mehr; Fehler behebt eine "
                "Korrektur des Stapels."
            ),
        ),
        Check(lambda user, batch: _correction_or_no_result(batch), RESULT_EXISTS),
    ),
)

add_rule(
    "budgets.confirm_paper_batch",
    Rule(
        Check(lambda user, batch: manages(user, batch.group.budget.project), STAFF_ONLY_PAPER),
        Check(
            lambda user, batch: not batch.is_confirmed,
            _("Der Stapel ist schon bestätigt."),
        ),
        Check(
            lambda user, batch: batch.entered_by_id != user.pk,
            _("Einen Stapel, den Sie selbst erfasst haben, muss eine andere Person prüfen."),
        ),
        Check(lambda user, batch: _correction_or_no_result(batch), RESULT_EXISTS),
    ),
)

add_rule(
    "budgets.correct_paper_batch",
    Rule(
        Check(lambda user, batch: manages(user, batch.group.budget.project), STAFF_ONLY_PAPER),
        Check(
            lambda user, batch: batch.is_confirmed,
            _(
                "Korrigiert wird ein bestätigter Stapel; einen offenen Stapel ändert die "
                "Person, die ihn erfasst hat."
            ),
        ),
        Check(
            lambda user, batch: not batch.is_superseded,
            _("Dieser Stapel ist schon durch eine Korrektur ersetzt."),
        ),
        Check(
            lambda user, batch: not PaperBatch.objects.filter(corrects_id=batch.pk).exists(),
            _("Für diesen Stapel ist schon eine Korrektur angelegt."),
        ),
    ),
)


def is_idea_visible(user: Any, idea: Idea) -> bool:
    return rules.has_perm("projects.view_project", user, idea.project)


def is_budget_visible(user: Any, budget: Budget) -> bool:
    return rules.has_perm("projects.view_project", user, budget.project)
