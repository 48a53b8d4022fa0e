"""Draft texts in the browser: accessibility of every page at 1280 and 320 px, valid HTML,
agreeing by keyboard, suggesting a wording without JavaScript, and the staff weighing.

The demo region brings the drafts module's demo (``mitmachen/drafts/demo.py``): the
Klimaschutzagenda draft in the Klimawerkstatt project, open for responses.
"""

from __future__ import annotations

from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from playwright.sync_api import expect
from test_accessibility import AxeReport
from test_html_validity import Pages, run_vnu

pytestmark = pytest.mark.django_db(transaction=True)

RESIDENT = "bewohnerin@example.org"
STAFF = "admin@example.org"
DRAFT = "/projekte/klimawerkstatt-flaeming/texte/klimaschutzagenda-entwurf/"


def _empty_draft() -> str:
    """A new draft without text in the demo's project (the demo draft has responses, so
    its text can no longer be replaced); returns its address."""
    from mitmachen.drafts.models import Draft
    from mitmachen.projects.models import Project

    project = Project.objects.get(slug="klimawerkstatt-flaeming")
    return Draft.objects.create(project=project, title="Leer", slug="leer").get_absolute_url()


def _paragraph(number: int) -> Any:
    from mitmachen.drafts.models import Paragraph

    return Paragraph.objects.select_related("draft__project").get(
        draft__slug="klimaschutzagenda-entwurf", number=number
    )


def _paragraph_of(url: str, version: int, number: int) -> str:
    from mitmachen.drafts.models import Paragraph

    slug = url.rstrip("/").rsplit("/", 1)[-1]
    return str(
        Paragraph.objects.select_related("draft__project")
        .get(draft__slug=slug, version=version, number=number)
        .get_absolute_url()
    )


def _insek_v2() -> str:
    from mitmachen.drafts.demo import INSEK_V2

    return INSEK_V2


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "320px"])
def test_draft_pages_accessible(
    demo: None, make_context: Any, login_as: Any, viewport: dict[str, int]
) -> None:
    first = _paragraph(1).get_absolute_url()
    context, _guard = make_context(viewport=viewport, bypass_csp=True)
    report = AxeReport(context.new_page())
    report.visit("draft, anonymous", DRAFT)
    report.visit("most discussed", f"{DRAFT}?ansicht=meistdiskutiert")
    report.visit("paragraph with suggestions, anonymous", first)
    report.visit("Abwägungstabelle", f"{DRAFT}abwaegung/")
    report.assert_clean()

    context, guard = make_context(viewport=viewport, bypass_csp=True)
    guard.allow_console_error(r"status of 400")  # a form sent back with its errors
    login_as(context, RESIDENT)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("draft with vote buttons", DRAFT)
    report.visit("paragraph with the suggestion form", _paragraph(2).get_absolute_url())
    page.get_by_role("button", name="Vorschlag veröffentlichen").click()
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.locator("#form-errors")).to_contain_text("gleich dem Text")
    report.check("suggestion equal to the text")
    report.assert_clean()

    empty = _empty_draft()
    context, guard = make_context(viewport=viewport, bypass_csp=True)
    guard.allow_console_error(r"status of 400")  # a form sent back with its errors
    login_as(context, STAFF)
    page = context.new_page()
    report = AxeReport(page)
    report.visit("paragraph, staff", _paragraph(9).get_absolute_url())
    page.get_by_text("Abwägen", exact=True).click()
    page.get_by_role("button", name="Abwägung veröffentlichen").click()
    expect(page.locator("#form-errors")).to_be_focused()
    report.check("weighing without a choice")
    report.visit("import", f"{empty}importieren/")
    page.get_by_label("Text in Markdown").fill("# Eins\n\nErster Absatz.")
    page.get_by_role("button", name="Vorschau zeigen").click()
    report.check("import preview")
    report.assert_clean()


def test_agree_by_keyboard_and_change_it(demo: None, make_context: Any, login_as: Any) -> None:
    context, _guard = make_context(viewport=DESKTOP)
    login_as(context, RESIDENT)
    page = context.new_page()
    page.goto(DRAFT)
    paragraph = _paragraph(5)
    agree = page.locator(f"#{paragraph.anchor}").get_by_role("button", name="Zustimmen")
    agree.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{page.url.split('#')[0].split('?')[0]}#{paragraph.anchor}")
    block = page.locator(f"#{paragraph.anchor}")
    expect(block).to_contain_text("Sie stimmen zu.")
    expect(block).to_contain_text("1 Zustimmung, 0 Ablehnungen")
    block.get_by_role("button", name="Doch ablehnen").click()
    expect(page.locator(f"#{paragraph.anchor}")).to_contain_text("0 Zustimmungen, 1 Ablehnung")


def test_suggest_a_wording_without_javascript(demo: None, make_context: Any, login_as: Any) -> None:
    from mitmachen.drafts.models import Suggestion

    context, _guard = make_context(viewport=MOBILE, java_script_enabled=False)
    login_as(context, RESIDENT)
    page = context.new_page()
    paragraph = _paragraph(10)
    page.goto(paragraph.get_absolute_url())
    field = page.get_by_label("Ihre Fassung des Absatzes")
    field.fill(paragraph.text.replace("Schulhöfen", "Schulhöfen, Friedhöfen"))
    page.get_by_label("Begründung").fill("Friedhöfe sind oft ganz versiegelt.")
    page.get_by_role("button", name="Vorschlag veröffentlichen").click()
    expect(page.locator(".messages")).to_contain_text("Änderungsvorschlag ist veröffentlicht")
    suggestion = Suggestion.objects.get(paragraph=paragraph)
    diff = page.locator(f"#vorschlag-{suggestion.pk} .draft-diff")
    expect(diff.locator("ins")).to_contain_text("Friedhöfen")


def test_draft_pages_are_valid_html(demo: None, tmp_path: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    pages = Pages(tmp_path)
    anonymous, resident, staff = Client(), Client(), Client()
    resident.force_login(get_user_model().objects.get(email=RESIDENT))
    staff.force_login(get_user_model().objects.get(email=STAFF))
    first, second = _paragraph(1).get_absolute_url(), _paragraph(2).get_absolute_url()
    pages.get(anonymous, "draft", DRAFT)
    pages.get(anonymous, "most discussed", f"{DRAFT}?ansicht=meistdiskutiert")
    pages.get(anonymous, "paragraph", first)
    pages.get(anonymous, "Abwägungstabelle", f"{DRAFT}abwaegung/")
    pages.get(resident, "draft signed in", DRAFT)
    pages.get(resident, "paragraph signed in", second)
    pages.post(resident, "suggestion error", second, {"text": ""})
    pages.get(staff, "paragraph staff", first)
    empty = _empty_draft()
    pages.get(staff, "import", f"{empty}importieren/")
    pages.add("import preview", staff.post(f"{empty}importieren/", {"text": "# A\n\nB"}))
    pages.post(staff, "import refused", f"{DRAFT}importieren/", {"text": "# A\n\nB"})
    insek = "/projekte/insek-bad-belzig-2035/texte/insek-2035-entwurf/"
    pages.get(anonymous, "INSEK version 2", insek)
    pages.get(anonymous, "INSEK version 1", f"{insek}?fassung=1")
    pages.get(anonymous, "versions compared", f"{insek}fassungen/?von=1&zu=2")
    pages.add("comparison refused", anonymous.get(f"{insek}fassungen/?von=2&zu=2"), 400)
    pages.get(anonymous, "what changed", f"{insek}was-sich-geaendert-hat/")
    pages.get(anonymous, "paragraph of version 1", _paragraph_of(insek, 1, 14))
    pages.get(staff, "new version", f"{insek}neue-fassung/")
    new_text = "# Leitlinien\n\nNeu.\n\n" + _insek_v2()
    pages.add("new version preview", staff.post(f"{insek}neue-fassung/", {"text": new_text}))
    errors = run_vnu(pages.files())
    assert not errors, [
        (pages.labels.get(e["url"].rsplit("/", 1)[-1]), e["message"]) for e in errors
    ]


def _versioned_draft() -> tuple[str, int]:
    """A draft in two versions built with factories: version 2 adopts a suggestion (with
    consent to the name), drops a paragraph and adds one. Returns its address and the
    adopted suggestion's id."""
    from mitmachen.accounts.tests.factories import UserFactory
    from mitmachen.drafts import services
    from mitmachen.drafts.models import COMMENT_TEXT, Draft, Paragraph, Weighing
    from mitmachen.organisations.models import Role
    from mitmachen.organisations.tests.factories import MembershipFactory
    from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory

    project = ProjectFactory(slug="agenda")
    PhaseFactory(project=project, actions=[COMMENT_TEXT])
    staff = MembershipFactory(organisation=project.organisation, role=Role.PROJECT_MANAGER).user
    project.managers.add(staff)
    draft = Draft.objects.create(project=project, title="Agenda", slug="agenda", is_public=True)
    first = "Bis 2045 klimaneutral werden.\n\nBusse fahren stündlich.\n\nParkplätze bleiben."
    services.draft_import(user=staff, draft=draft, text=f"# Leitbild\n\n{first}")
    paragraph = Paragraph.objects.select_related("draft__project").get(draft=draft, number=1)
    suggestion = services.suggestion_create(
        by=UserFactory(display_name="Renate Rose"),
        paragraph=paragraph,
        text="Bis 2040 klimaneutral werden.",
        name_in_report=True,
    )
    services.suggestion_weigh(
        user=staff, suggestion=suggestion, weighing=Weighing.ADOPTED, reason="Übernommen."
    )
    second = "Bis 2040 klimaneutral werden.\n\nBusse fahren stündlich.\n\nRadwege überall."
    services.version_publish(user=staff, draft=draft, text=f"# Leitbild\n\n{second}")
    return draft.get_absolute_url(), suggestion.pk


def test_versions_compared_and_what_changed_accessible(make_context: Any) -> None:
    """The version comparison (chosen with its GET form) and the page of adopted
    suggestions, each loaded once and checked by axe at 1280 and 320 px."""
    url, adopted = _versioned_draft()
    context, _guard = make_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    report = AxeReport(page)

    def both_widths(label: str) -> None:
        page.set_viewport_size(DESKTOP)
        report.check(f"{label}, 1280px")
        page.set_viewport_size(MOBILE)
        report.check(f"{label}, 320px")

    page.goto(f"{url}fassungen/")
    page.get_by_label("Ältere Fassung").select_option("1")
    page.get_by_label("Neuere Fassung").select_option("2")
    page.get_by_role("button", name="Vergleichen").click()
    expect(page).to_have_url(f"{page.url.split('?')[0]}?von=1&zu=2")
    result = page.locator(".version-entries")
    expect(result.locator("ins").first).to_contain_text("2040")
    expect(result).to_contain_text("gestrichen")  # "Parkplätze bleiben." was dropped
    expect(result).to_contain_text("neu")
    both_widths("version comparison")

    page.goto(f"{url}was-sich-geaendert-hat/")
    entry = page.locator(f"#uebernommen-{adopted}")
    expect(entry).to_contain_text("Vorgeschlagen von: Renate Rose")
    expect(entry.locator("del")).to_contain_text("2045")
    both_widths("what changed")
    report.assert_clean()
