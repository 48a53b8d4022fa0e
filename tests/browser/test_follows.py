""" "Meine Abonnements" without JavaScript and by keyboard: find it, stop following."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

RESIDENT = "bewohnerin@example.org"


def test_unfollow_without_javascript_by_keyboard(demo: None, make_context: Any, login_as: Any):
    from mitmachen.proposals.models import ProposalFollow

    followed = list(
        ProposalFollow.objects.filter(user__email=RESIDENT)
        .select_related("proposal")
        .order_by("-created_at", "-pk")
    )
    assert followed, "the demo resident follows proposals"
    newest = followed[0].proposal

    context, _guard = make_context(java_script_enabled=False)
    login_as(context, RESIDENT)
    page = context.new_page()
    page.goto("/konto/profil/")
    page.get_by_role("navigation", name="Mein Konto").get_by_role(
        "link", name="Abonnements"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Abonnements")
    expect(page.get_by_role("link", name=newest.title)).to_be_visible()

    # The button is named with what it ends, so screen reader users know which one.
    button = page.get_by_role("button", name=f"Nicht mehr folgen {newest.title}")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Sie folgen „{newest.title}“ nicht mehr.")).to_be_visible()
    expect(page.get_by_role("link", name=newest.title)).to_have_count(0)
    assert not ProposalFollow.objects.filter(user__email=RESIDENT, proposal=newest).exists()
    assert ProposalFollow.objects.filter(user__email=RESIDENT).count() == len(followed) - 1
