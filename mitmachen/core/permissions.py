"""One way to ask a permission: a rule that answers with a decision and its German reason.

A permission is a ``Rule``: an ordered list of checks, each with the German sentence a
person reads when that check fails::

    support = Rule(
        Check(is_signed_in, _("Bitte melden Sie sich an, um Vorschläge zu unterstützen.")),
        Check(not_withdrawn, _("Der Vorschlag wurde zurückgezogen.")),
        …
    )
    add_rule("proposals.support_proposal", support)

``decide(user, "proposals.support_proposal", proposal)`` returns a ``Decision``: allowed,
or refused with the reason of the first check that failed. The same rule is registered
with django-rules, so ``user.has_perm``, ``rules.has_perm`` and ``{% has_perm %}`` in
templates give the same answer (they run the tests only, not the reasons); there is no
second list of reasons to drift from it.
Views show the reason, services raise it (``Decision.raise_if_refused``).

A check may rest on another rule (``allowed_by``): rating a comment needs commenting to
be open, and then says why it is not in that rule's words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules
from django.core.exceptions import PermissionDenied

Test = Callable[[Any, Any], bool]
Reason = Any  # a German (lazy) string, or a callable (user, obj) -> str for a detailed one


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed

    def raise_if_refused(self) -> None:
        if not self.allowed:
            raise PermissionDenied(self.reason)


ALLOWED = Decision(True)


@dataclass(frozen=True)
class Check:
    """``test(user, obj)`` is True when the person passes; ``reason`` says why not."""

    test: Test
    reason: Reason

    def refusal(self, user: Any, obj: Any) -> str:
        return str(self.reason(user, obj) if callable(self.reason) else self.reason)


class Rule:
    def __init__(self, *checks: Check) -> None:
        self.checks = checks

    def decide(self, user: Any, obj: Any) -> Decision:
        for check in self.checks:
            if not check.test(user, obj):
                return Decision(False, check.refusal(user, obj))
        return ALLOWED

    def allows(self, user: Any, obj: Any) -> bool:
        """The decision without its reason: a reason may cost a query to word."""
        return all(check.test(user, obj) for check in self.checks)

    def predicate(self, name: str) -> rules.Predicate:
        # A rule is about an object; asked without one (``user.has_perm(name)``, as the
        # admin does), it answers no instead of reading attributes of None.
        return rules.Predicate(
            lambda user, obj=None: obj is not None and self.allows(user, obj), name=name
        )


_rules: dict[str, Rule] = {}


def add_rule(name: str, rule: Rule) -> Rule:
    """Register ``rule`` as the permission ``name`` (also for django-rules)."""
    if name in _rules:
        raise ValueError(f"Permission {name!r} has a rule already.")
    _rules[name] = rule
    rules.add_perm(name, rule.predicate(name))
    return rule


def decide(user: Any, name: str, obj: Any = None) -> Decision:
    """The decision of the rule ``name`` for ``user`` on ``obj``, with its German reason."""
    return _rules[name].decide(user, obj)


def allowed_by(name: str, of: Callable[[Any], Any]) -> Check:
    """A check that passes when the rule ``name`` allows ``of(obj)``, with that rule's reason."""
    return Check(
        lambda user, obj: _rules[name].allows(user, of(obj)),
        lambda user, obj: decide(user, name, of(obj)).reason,
    )
