"""A new resident finds a project, signs up, confirms, downloads their data and leaves again."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_helpers import log_in
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "neu.im.ort@example.org"
PASSWORD = "Fläming-Wanderweg-2026"


def test_resident_journey(demo: None, page: Page, mailoutbox: list) -> None:
    page.goto("/")

    # Keyboard only: the first Tab reaches the skip link, Enter moves focus to the content.
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # visible on focus, not only to screen readers
    page.keyboard.press("Enter")
    expect(page.locator("main#inhalt")).to_be_focused()
    assert urlsplit(page.url).fragment == "inhalt"

    # Home → a running project.
    running = page.get_by_role("region", name="Jetzt mitmachen")
    running.get_by_role("link", name="Meine Stadt der Zukunft", exact=True).click()
    expect(page).to_have_url(re.compile(r"/projekte/meine-stadt-der-zukunft/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Stadt der Zukunft")

    # Project → its Ortsteil.
    page.get_by_role("region", name="Themen und Orte").get_by_role(
        "link", name="Bad Belzig"
    ).click()
    expect(page).to_have_url(re.compile(r"/kommunen/bad-belzig/ortsteile/bad-belzig/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bad Belzig")
    expect(page.get_by_role("link", name="Meine Stadt der Zukunft", exact=True)).to_be_visible()

    # Sign up; the last field is submitted with Enter.
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Registrieren"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrieren")
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort (Wiederholung)").fill(PASSWORD)
    page.get_by_label("Passwort (Wiederholung)").press("Enter")
    expect(page).to_have_url(re.compile(r"/konto/confirm-email/$"))

    # The confirmation mail (tasks run immediately in tests, mail goes to the outbox).
    assert len(mailoutbox) == 1, [m.subject for m in mailoutbox]
    mail = mailoutbox[0]
    assert mail.to == [EMAIL]
    match = re.search(r"https?://\S+/konto/confirm-email/[^/\s]+/", mail.body)
    assert match, f"no confirmation link in the mail:\n{mail.body}"
    link = urlsplit(match.group(0))
    assert link.netloc == urlsplit(page.url).netloc, "the link must point to this site"
    page.goto(link.path)
    expect(page.get_by_role("heading", level=1)).to_have_text("E-Mail-Adresse bestätigen")
    page.locator("main form").get_by_role("button", name="Bestätigen").click()
    expect(page.locator(".messages")).to_contain_text("bestätigt")

    # Log in through the form.
    log_in(page, EMAIL, PASSWORD)

    # Mein Konto → Meine Daten → download the JSON.
    page.get_by_role("link", name="Mein Konto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Profil")
    page.get_by_role("navigation", name="Mein Konto").get_by_role(
        "link", name="Meine Daten"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Daten")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Meine Daten herunterladen (JSON)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert EMAIL in json.dumps(data, ensure_ascii=False)

    # Konto löschen.
    page.get_by_role("navigation", name="Mein Konto").get_by_role(
        "link", name="Konto löschen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Konto löschen")
    page.get_by_label("Ihr Passwort zur Bestätigung").fill(PASSWORD)
    page.get_by_label("Ja, ich möchte mein Konto endgültig löschen.").check()
    page.get_by_role("button", name="Konto endgültig löschen").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(".messages")).to_contain_text(
        "Ihr Konto und Ihre persönlichen Daten wurden gelöscht."
    )
    expect(page.get_by_role("link", name="Anmelden")).to_be_visible()
    assert not get_user_model().objects.filter(email__iexact=EMAIL).exists()

    # The old credentials no longer work.
    page.goto("/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(r"/konto/login/$"))
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.get_by_role("button", name="Abmelden")).to_have_count(0)
