"""Notifications in the browser: axe on the list (1280px and 320px) and the flow without JS."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from playwright.sync_api import expect
from test_accessibility import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

RESIDENT = "bewohnerin@example.org"
LIST = "/benachrichtigungen/"


def _fill_inbox(count: int = 34) -> list[Any]:
    """``count`` notifications for the resident (two pages), linking to real demo pages."""
    from django.contrib.auth import get_user_model

    from mitmachen.notifications import kinds as notification_kinds
    from mitmachen.notifications.models import Notification
    from mitmachen.notifications.services import mark_read, notify
    from mitmachen.proposals.models import Proposal

    resident = get_user_model().objects.get(email=RESIDENT)
    Notification.objects.filter(recipient=resident).delete()
    proposals = list(Proposal.objects.select_related("project")[:4])
    kinds = [key for key, _label in notification_kinds.choices()]
    for i in range(count):
        proposal = proposals[i % len(proposals)]
        notify(
            recipients=[resident],
            kind=kinds[i % len(kinds)],
            title=f"Rückmeldung der Verwaltung zu „{proposal.title}“ ({i + 1})",
            text=(
                "Die Verwaltung hat den Status geändert und eine ausführliche Begründung "
                "veröffentlicht. Lesen Sie die Antwort auf der Seite des Vorschlags."
                if i % 3
                else ""
            ),
            url=proposal.get_absolute_url(),
        )
    made = list(Notification.objects.filter(recipient=resident).order_by("pk"))
    # The older half is read: the list shows both states.
    mark_read(user=resident, notification_ids=[n.pk for n in made[: count // 2]])
    return made


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_notification_pages_accessible(
    demo: None, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    _fill_inbox()
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(context, RESIDENT)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("notifications, first page (unread)", LIST)
    expect(page.get_by_role("link", name="Benachrichtigungen 17 ungelesen")).to_have_attribute(
        "aria-current", "page"
    )
    report.visit("notifications, second page (read)", f"{LIST}?seite=2")

    page.goto(LIST)
    page.get_by_role("button", name=re.compile("^Als gelesen markieren")).first.click()
    expect(page.get_by_text("Die Benachrichtigung ist als gelesen markiert.")).to_be_visible()
    report.check("notifications, after marking one read")

    page.get_by_role("button", name="Alle als gelesen markieren").click()
    expect(page.get_by_text("Alle Benachrichtigungen sind als gelesen markiert.")).to_be_visible()
    report.check("notifications, all read")

    empty, _guard = make_context(viewport=viewport, bypass_csp=True)
    login_as(empty, "moderation@example.org")
    empty_report = AxeReport(empty.new_page())
    empty_report.visit("notifications, none yet", LIST)
    report.failures += empty_report.failures
    report.checked += empty_report.checked
    report.assert_clean()


def test_notifications_without_javascript(demo: None, make_context: Any, login_as: Any) -> None:
    from mitmachen.notifications.models import Notification

    made = _fill_inbox(3)
    newest = made[-1]
    context, _guard = make_context(java_script_enabled=False)
    login_as(context, RESIDENT)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("link", name="Benachrichtigungen 2 ungelesen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Benachrichtigungen")

    # Following an unread notification marks it read and leads to its page.
    page.get_by_role("button", name=newest.title, exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(newest.url) + "$"))
    newest.refresh_from_db()
    assert newest.read_at is not None

    page.goto(LIST)
    expect(page.get_by_text("Sie haben 1 ungelesene Benachrichtigung.")).to_be_visible()
    page.get_by_role("button", name="Alle als gelesen markieren").click()
    expect(page.get_by_text("Sie haben alle Benachrichtigungen gelesen.")).to_be_visible()
    expect(page.get_by_role("link", name="Benachrichtigungen", exact=True)).to_be_visible()
    assert not Notification.objects.filter(recipient=newest.recipient, read_at=None).exists()
