"""Every form, sent empty or invalid, puts the focus on its error summary and says so in
the page title (audit issue 18, finding 18).

The summary (``templates/includes/form_errors.html``) takes the focus through
``autofocus``: the browser honours it when the page with errors loads, htmx when it
swaps the form in. base.html prefixes the title with "Fehler:"; after an htmx swap
``static/js/form-errors.js`` does. The next Tab from the summary leads into the form,
never past it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

RESIDENT = "bewohnerin@example.org"
MANAGER = "projekt@example.org"
MODERATOR = "moderation@example.org"
PROJECT = "meine-stadt-der-zukunft"
ERROR_TITLE = re.compile(r"^Fehler: ")


def _user(email: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=email)


def _page(make_context: Any, login_as: Any, email: str | None, **options: Any) -> Page:
    context, _guard = make_context(**options)
    if email:
        login_as(context, email)
    return context.new_page()


def _assert_summary_focused(page: Page, label: str) -> None:
    summary = page.locator("#form-errors")
    expect(summary, f"{label}: no error summary").to_be_visible()
    expect(summary, f"{label}: the error summary does not have the focus").to_be_focused()
    expect(page, f"{label}: the title does not announce the error").to_have_title(ERROR_TITLE)
    assert page.locator("[autofocus]").count() >= 1
    # The next Tab stays in the form: the first link of the summary, then the fields.
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('form')"), (
        f"{label}: Tab after the summary leaves the form"
    )


def _submit_empty(
    page: Page,
    label: str,
    url: str,
    button: str | None,
    *,
    prepare: Callable[[Page], None] | None = None,
    scope: str = "main",
) -> None:
    page.goto(url)
    if prepare is not None:
        prepare(page)
    expect(page).not_to_have_title(ERROR_TITLE)
    if button is None:
        page.locator(scope).locator("[type=submit]").first.click()
    else:
        page.locator(scope).get_by_role("button", name=button, exact=True).first.click()
    _assert_summary_focused(page, label)


def _own_proposal() -> Any:
    from mitmachen.projects.models import Project
    from mitmachen.proposals.services import proposal_create

    return proposal_create(
        author=_user(RESIDENT),
        project=Project.objects.get(slug=PROJECT),
        title="Trinkbrunnen am Busbahnhof",
        text="Im Sommer fehlt dort Wasser.",
    )


def _own_comment(proposal: Any) -> Any:
    from mitmachen.comments.services import comment_create

    return comment_create(
        author=_user(RESIDENT), project=proposal.project, proposal=proposal, text="Gute Idee."
    )


def _other_proposal() -> Any:
    from mitmachen.proposals.models import Proposal

    return (
        Proposal.objects.filter(project__slug=PROJECT, author=None, withdrawn_at=None)
        .filter(hidden_at=None)
        .order_by("pk")
        .first()
    )


def _clear(selector: str) -> Callable[[Page], None]:
    return lambda page: page.locator(selector).fill("")


# 1. Residents: proposal, comment, reply, edit, report, withdraw, feedback, account ----------


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_resident_forms(demo: None, make_context: Any, login_as: Any, javascript: bool) -> None:
    own = _own_proposal()
    other = _other_proposal()
    comment = _own_comment(other)  # on another's proposal: a comment would freeze her own
    page = _page(make_context, login_as, RESIDENT, java_script_enabled=javascript)

    _submit_empty(
        page,
        "proposal create",
        f"/projekte/{PROJECT}/vorschlaege/neu/",
        "Vorschlag veröffentlichen",
    )
    _submit_empty(
        page,
        "proposal edit",
        f"/vorschlaege/{own.pk}/bearbeiten/",
        "Änderungen speichern",
        prepare=_clear("#id_title"),
    )
    # The comment form on the proposal page (htmx swaps the thread list in place).
    _submit_empty(page, "comment", other.get_absolute_url(), "Kommentar veröffentlichen")

    def open_reply(page: Page) -> None:
        page.locator(f"#kommentar-{comment.pk} > details > summary").click()

    _submit_empty(
        page,
        "reply",
        other.get_absolute_url(),
        "Antwort veröffentlichen",
        prepare=open_reply,
        scope=f"#kommentar-{comment.pk}",
    )
    _submit_empty(
        page,
        "edit comment",
        f"/kommentare/{comment.pk}/bearbeiten/",
        "Änderungen speichern",
        prepare=_clear(f"#kommentar-{comment.pk} textarea"),
    )
    _submit_empty(page, "report", f"/melden/vorschlag/{other.pk}/", "Meldung absenden")
    _submit_empty(page, "withdraw", f"/vorschlaege/{own.pk}/zurueckziehen/", "Zurückziehen")
    _submit_empty(page, "accessibility feedback", "/barrierefreiheit/", "Nachricht senden")
    _submit_empty(page, "delete account", "/konto/loeschen/", "Konto endgültig löschen")


def test_comment_edit_in_place_with_htmx(demo: None, make_context: Any, login_as: Any) -> None:
    """The edit form swapped into the thread: an empty text focuses the summary there."""
    other = _other_proposal()
    comment = _own_comment(other)
    page = _page(make_context, login_as, RESIDENT)
    page.goto(other.get_absolute_url())
    page.locator(f"#kommentar-{comment.pk}").get_by_role("link", name="Bearbeiten").click()
    textarea = page.locator(f"#kommentar-{comment.pk} textarea")
    expect(textarea).to_be_visible()
    textarea.fill("")
    page.locator(f"#kommentar-{comment.pk}").get_by_role(
        "button", name="Änderungen speichern"
    ).click()
    _assert_summary_focused(page, "edit comment in place")
    assert page.url.split("#")[0].endswith(other.get_absolute_url())


# 2. Signing up and in (allauth) ---------------------------------------------------------


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_account_forms(demo: None, make_context: Any, javascript: bool) -> None:
    page = _page(make_context, None, None, java_script_enabled=javascript)
    _submit_empty(page, "login", "/konto/login/", "Anmelden", scope="main form")
    _submit_empty(page, "sign-up", "/konto/signup/", "Registrieren", scope="main form")
    _submit_empty(page, "password reset", "/konto/password/reset/", None, scope="main form")


# 3. Staff: offline entry, status, debates, moderation --------------------------------------


@pytest.fixture
def debate(demo: None) -> Any:
    from mitmachen.debates.services import debate_create
    from mitmachen.projects.models import Project

    return debate_create(
        author=_user(MANAGER),
        project=Project.objects.get(slug=PROJECT),
        question="Soll der Marktplatz autofrei werden?",
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_staff_forms(debate: Any, make_context: Any, login_as: Any, javascript: bool) -> None:
    other = _other_proposal()
    page = _page(make_context, login_as, MANAGER, java_script_enabled=javascript)
    _submit_empty(
        page,
        "offline entry",
        f"/projekte/{PROJECT}/vorschlaege/erfassen/",
        "Speichern und ansehen",
    )
    _submit_empty(
        page,
        "status change",
        other.get_absolute_url(),
        "Status und Rückmeldung veröffentlichen",
    )
    _submit_empty(page, "debate open", f"/projekte/{PROJECT}/debatten/neu/", "Debatte eröffnen")
    _submit_empty(
        page,
        "debate close",
        f"/debatten/{debate.pk}/abschliessen/",
        "Abschließen und Fazit veröffentlichen",
    )

    moderator = _page(make_context, login_as, MODERATOR, java_script_enabled=javascript)
    _submit_empty(
        moderator,
        "moderation decision",
        f"/verwaltung/moderation/vorschlaege/{other.pk}/",
        "Ausblenden",
    )
    _submit_empty(
        moderator,
        "block",
        f"/verwaltung/moderation/sperren/{_user(RESIDENT).pk}/",
        "Konto sperren",
    )
    _submit_empty(
        moderator, "debate moderation", f"/debatten/{debate.pk}/moderieren/", "Ausblenden"
    )


# 4. Surveys: the questionnaire, a new paper batch, a paper questionnaire -------------------


@pytest.fixture
def survey(transactional_db: None) -> Any:
    from polls_helpers import _survey, make_region

    make_region()
    return _survey()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_survey_forms(survey: Any, make_context: Any, login_as: Any, javascript: bool) -> None:
    from django.utils import timezone

    from mitmachen.polls.models import PaperBatch

    context, guard = make_context(java_script_enabled=javascript)
    guard.allow_console_error(r"status of 400 \(Bad Request\)")  # answers refused: 400
    login_as(context, MANAGER)
    page = context.new_page()
    _submit_empty(page, "survey", survey.url, "Antworten absenden")
    _submit_empty(
        page,
        "new paper batch",
        f"/verwaltung/umfragen/{survey.poll.pk}/stapel/neu/",
        "Stapel anlegen und Bögen erfassen",
    )
    batch = PaperBatch.objects.create(
        poll=survey.poll,
        channel="market_stand",
        collected_on=timezone.localdate(),
        entered_by=_user(MANAGER),
    )
    _submit_empty(
        page,
        "paper questionnaire",
        f"/verwaltung/umfragen/stapel/{batch.pk}/",
        "Bogen speichern und nächsten erfassen",
    )
