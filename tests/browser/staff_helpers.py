"""Shared helpers of the staff browser tests (set-up, roles, templates, statistics, council
report): the demo's staff accounts, screenshots, keyboard steps of the project set-up,
links in mails and the Nu Html Checker's verdict on a set of pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from browser_helpers import tab_to, type_into
from playwright.sync_api import Page, expect
from test_html_validity import Pages, run_vnu

ADMIN = "admin@example.org"  # the demo's administrator of Bad Belzig
MANAGER = "projekt@example.org"  # the demo's project manager of "Meine Stadt der Zukunft"
HALDENSLEBEN = "haldensleben@example.org"  # the administrator of the demo's third town
SHOTS = Path("/tmp/shots")


def shot(page: Page, prefix: str, name: str) -> None:
    """A full-page screenshot ``/tmp/shots/<prefix>-<name>-<width>px.png``."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(SHOTS / f"{prefix}-{name}-{width}px.png"), full_page=True)


def type_date(page: Page, selector: str, day: date) -> None:
    """Type a date into a ``type=date`` input. Chromium orders the segments by its own UI
    language (month first in headless Chromium), not the page's: try that order, then the
    German one."""
    tab_to(page, selector)
    field = page.locator(selector)
    page.keyboard.type(day.strftime("%m%d%Y"))
    if field.input_value() != day.isoformat():
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.type(day.strftime("%d%m%Y"))
    expect(field).to_have_value(day.isoformat())


def add_phase(
    page: Page,
    name: str,
    start: date,
    end: date,
    actions: list[str],
    *,
    on_form: Callable[[str], None] | None = None,
) -> None:
    """From the set-up overview, add a phase by keyboard only: "Phase hinzufügen", name,
    dates, the actions ticked, saved. ``on_form(label)`` runs once the form is open (an
    axe check)."""
    tab_to(page, "a[href$='/phasen/neu/']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Phase hinzufügen")
    if on_form is not None:
        on_form(f"new phase {name}")
    type_into(page, "#id_name", name)
    type_date(page, "#id_start_date", start)
    type_date(page, "#id_end_date", end)
    for action in actions:
        tab_to(page, f"input[name='actions'][value='{action}']")
        page.keyboard.press("Space")
    tab_to(page, "button[type='submit']")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text(f"Die Phase „{name}“ ist gespeichert.")


def link_in(mail: Any, pattern: str) -> str:
    """The path of the first link in ``mail`` whose path matches ``pattern``."""
    match = re.search(rf"https?://\S+{pattern}", mail.body)
    assert match, mail.body
    return urlsplit(match.group(0)).path


def assert_valid_html(pages: Pages) -> None:
    """One Nu Html Checker run over ``pages``; every error named with its page's label."""
    errors = run_vnu(pages.files())
    assert not errors, "\n".join(
        f"{pages.labels.get(Path(m.get('url', '?')).name)}, line {m.get('lastLine')}: "
        f"{m.get('message')} {m.get('extract', '').strip()[:160]}"
        for m in errors
    )
