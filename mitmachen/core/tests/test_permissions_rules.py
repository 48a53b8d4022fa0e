"""core.permissions: a rule decides with the reason of the first failed check, and
django-rules gives the same answer."""

from __future__ import annotations

import pytest
import rules
from django.core.exceptions import PermissionDenied

from mitmachen.core.permissions import Check, Decision, Rule, add_rule, decide


@pytest.fixture
def rule():
    name = "tests.knock_door"
    add_rule(
        name,
        Rule(
            Check(lambda user, door: user == "anna", "Nur Anna darf klopfen."),
            Check(lambda user, door: door != "zu", lambda user, door: f"Die Tür ist {door}."),
        ),
    )
    yield name
    rules.remove_perm(name)
    from mitmachen.core import permissions

    permissions._rules.pop(name)


def test_the_first_failed_check_gives_the_reason(rule):
    assert decide("bert", rule, "auf") == Decision(False, "Nur Anna darf klopfen.")
    assert decide("anna", rule, "zu") == Decision(False, "Die Tür ist zu.")
    assert decide("anna", rule, "auf") == Decision(True, "")
    assert rules.has_perm(rule, "anna", "auf") and not rules.has_perm(rule, "anna", "zu")


def test_a_refusal_raises_permission_denied_with_its_reason(rule):
    with pytest.raises(PermissionDenied, match="Die Tür ist zu"):
        decide("anna", rule, "zu").raise_if_refused()
    decide("anna", rule, "auf").raise_if_refused()


def test_a_permission_has_one_rule(rule):
    with pytest.raises(ValueError, match="has a rule already"):
        add_rule(rule, Rule())
