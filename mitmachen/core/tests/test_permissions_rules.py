"""core.permissions: a rule decides with the reason of the first failed check, and
django-rules gives the same answer."""

from __future__ import annotations

import pytest
import rules
from django.core.exceptions import PermissionDenied

from mitmachen.core.permissions import Check, Decision, Rule, add_rule, allowed_by, decide


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


def test_asked_without_an_object_a_rule_says_no(rule):
    """``user.has_perm(name)`` without an object (the admin asks so) reads no attribute of
    None: it is refused."""
    assert not rules.has_perm(rule, "anna")


def test_has_perm_runs_the_tests_but_words_no_reason():
    """A reason may cost a query to word; ``has_perm`` needs only the answer."""
    worded = []

    def reason(user, door):
        worded.append(door)
        return "Zu."

    name = "tests.open_door"
    add_rule(name, Rule(Check(lambda user, door: door == "auf", reason)))
    try:
        assert not rules.has_perm(name, "anna", "zu") and not worded
        assert decide("anna", name, "zu") == Decision(False, "Zu.") and worded == ["zu"]
    finally:
        rules.remove_perm(name)
        from mitmachen.core import permissions

        permissions._rules.pop(name)


def test_a_check_may_rest_on_another_rule(rule):
    """``allowed_by``: passes when the other rule allows, and says why not in its words."""
    name = "tests.enter_house"
    add_rule(
        name,
        Rule(
            Check(lambda user, house: house != "abgerissen", "Das Haus gibt es nicht mehr."),
            allowed_by(rule, lambda house: "zu" if house == "verschlossen" else "auf"),
        ),
    )
    try:
        assert decide("anna", name, "abgerissen").reason == "Das Haus gibt es nicht mehr."
        assert decide("bert", name, "offen") == Decision(False, "Nur Anna darf klopfen.")
        assert decide("anna", name, "verschlossen") == Decision(False, "Die Tür ist zu.")
        assert decide("anna", name, "offen") == Decision(True, "")
        assert rules.has_perm(name, "anna", "offen")
        assert not rules.has_perm(name, "anna", "verschlossen")
    finally:
        rules.remove_perm(name)
        from mitmachen.core import permissions

        permissions._rules.pop(name)
