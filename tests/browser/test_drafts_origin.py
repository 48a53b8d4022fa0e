"""A suggested wording becomes a measure, in the browser: the suggestion's own page checked
by axe at 1280 and 320 px (anonymous, staff, and after the measure was made), valid HTML,
and the staff's one step from the paragraph's page to the measure without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from playwright.sync_api import expect
from test_accessibility import AxeReport
from test_html_validity import Pages, run_vnu

pytestmark = pytest.mark.django_db(transaction=True)


def _setting() -> dict[str, Any]:
    """A project open for responses with a draft, a resident's suggestion on paragraph 1
    (weighed "nicht übernommen": a measure may still come of it), a goal and the
    project's manager (also the municipality's administration)."""
    from mitmachen.accounts.tests.factories import UserFactory
    from mitmachen.drafts import services
    from mitmachen.drafts.models import COMMENT_TEXT, Draft, Paragraph, Weighing
    from mitmachen.measures.tests.factories import GoalFactory
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import MembershipFactory
    from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory

    project = ProjectFactory(slug="agenda")
    PhaseFactory(project=project, actions=[COMMENT_TEXT])
    staff = MembershipFactory(organisation=project.organisation, role=Role.ADMIN).user
    project.managers.add(staff)
    draft = Draft.objects.create(project=project, title="Agenda", slug="agenda", is_public=True)
    text = "Bis 2045 klimaneutral werden.\n\nBusse fahren stündlich."
    services.draft_import(user=staff, draft=draft, text=f"# Leitbild\n\n{text}")
    paragraph = Paragraph.objects.select_related("draft__project").get(draft=draft, number=2)
    suggestion = services.suggestion_create(
        by=UserFactory(display_name="Renate Rose"),
        paragraph=paragraph,
        text="Busse fahren stündlich, auch am Wochenende.",
        reason="Am Samstag fährt kaum etwas.",
    )
    services.suggestion_weigh(
        user=staff, suggestion=suggestion, weighing=Weighing.REJECTED, reason="Zu teuer."
    )
    goal = GoalFactory(field__organisation=project.organisation, title="Mobil ohne Auto")
    return {
        "staff": staff,
        "paragraph": paragraph.get_absolute_url(),
        "suggestion": f"{draft.get_absolute_url()}vorschlaege/{suggestion.pk}/",
        "goal": goal,
    }


def test_a_suggestion_becomes_a_measure_without_javascript(
    make_context: Any, login_as: Any, tmp_path: Any
) -> None:
    from django.test import Client

    from mitmachen.measures.models import Measure

    data = _setting()
    context, _guard = make_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    report = AxeReport(page)

    def both_widths(label: str) -> None:
        page.set_viewport_size(DESKTOP)
        report.check(f"{label}, 1280px")
        page.set_viewport_size(MOBILE)
        report.check(f"{label}, 320px")
        page.set_viewport_size(DESKTOP)

    page.goto(data["suggestion"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Änderungsvorschlag zu Absatz 2")
    expect(page.locator(".draft-diff ins")).to_contain_text("Wochenende")
    expect(page.get_by_text("Maßnahme daraus machen")).to_have_count(0)
    both_widths("suggestion, anonymous")

    # Staff, without JavaScript: from the paragraph to the suggestion to the measure.
    context, _guard = make_context(viewport=DESKTOP, java_script_enabled=False)
    login_as(context, data["staff"].email)
    plain = context.new_page()
    plain.goto(data["paragraph"])
    plain.get_by_role("link", name="Einzelansicht – Vorschlag von Renate Rose").click()
    expect(plain).to_have_url(f"{_base(plain)}{data['suggestion']}")
    plain.get_by_role("link", name="Maßnahme daraus machen").click()
    plain.get_by_label("Neue Maßnahme unter dem Ziel").select_option(str(data["goal"].pk))
    plain.get_by_role("button", name="Speichern").click()
    expect(plain.get_by_text("Die Maßnahme ist angelegt")).to_be_visible()
    measure = Measure.objects.get()
    assert measure.title == "Busse fahren stündlich, auch am Wochenende."
    plain.goto(data["suggestion"])
    expect(plain.get_by_text("Daraus wurde die Maßnahme")).to_be_visible()

    # The same pages for staff and, after the measure, for everyone, checked by axe.
    page.goto(data["paragraph"])
    expect(page.get_by_text("Daraus wurde die Maßnahme")).to_be_visible()
    both_widths("paragraph with what became of its suggestion")
    page.goto(data["suggestion"])
    expect(page.get_by_text("Daraus wurde die Maßnahme")).to_be_visible()
    both_widths("suggestion with what became of it")
    context, _guard = make_context(viewport=DESKTOP, bypass_csp=True)
    login_as(context, data["staff"].email)
    page = report.page = context.new_page()
    page.goto(data["suggestion"])
    expect(page.get_by_role("link", name="Mit einer weiteren Maßnahme verknüpfen")).to_be_visible()
    both_widths("suggestion, staff")
    report.assert_clean()

    pages = Pages(tmp_path)
    staff = Client()
    staff.force_login(data["staff"])
    pages.get(Client(), "suggestion, anonymous", data["suggestion"])
    pages.get(staff, "suggestion, staff", data["suggestion"])
    pages.get(Client(), "paragraph with outcomes", data["paragraph"])
    errors = run_vnu(pages.files())
    assert not errors, [
        (pages.labels.get(e["url"].rsplit("/", 1)[-1]), e["message"]) for e in errors
    ]


def _base(page: Any) -> str:
    """The live server's address (scheme, host and port) of the page."""
    return "/".join(page.url.split("/")[:3])
