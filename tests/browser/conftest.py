"""Fixtures for the browser tests: one headless Chromium per session, one context per test.

Every page gets a guard that fails the test when the page requests anything from
another host (the GDPR promise: no third-party requests) or logs a console error
(CSP violations, script errors, failed resources).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser_helpers import DESKTOP
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    expect,
    sync_playwright,
)

from mitmachen.core.tests import snapshot

CHROMIUM = os.environ.get("MITMACHEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


# --- browser ---------------------------------------------------------------------------


# Assertions wait as long as actions do: a loaded CI machine may answer slowly.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
    # ORM calls from the test code ("You cannot call this from an async context"). Set only
    # once a browser test starts, so unit tests keep Django's async-safety checks.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@dataclass
class Guard:
    """Collects what a page did that a test must not allow."""

    host: str
    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    allowed_console: list[re.Pattern[str]] = field(default_factory=list)

    def allow_console_error(self, pattern: str) -> None:
        """Accept console errors matching ``pattern`` (say why at the call site)."""
        self.allowed_console.append(re.compile(pattern))

    def on_request(self, request: Request) -> None:
        url = request.url
        self.requests.append(url)
        if url.startswith(("data:", "blob:", "about:")):
            return
        if urlsplit(url).netloc != self.host:
            self.foreign_requests.append(url)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location or {}
            self.console_errors.append(f"{message.text} ({location.get('url', '?')})")

    def on_page_error(self, error: Any) -> None:
        self.page_errors.append(str(error))

    def attach(self, context: BrowserContext) -> None:
        context.on("request", self.on_request)
        context.on("console", self.on_console)
        context.on("weberror", lambda web_error: self.on_page_error(web_error.error))

    def problems(self) -> list[str]:
        problems = [f"request to another host: {url}" for url in self.foreign_requests]
        problems += [
            f"console error: {text}"
            for text in self.console_errors
            if not any(p.search(text) for p in self.allowed_console)
        ]
        problems += [f"uncaught page error: {text}" for text in self.page_errors]
        return problems

    def check(self) -> None:
        problems = self.problems()
        assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def demo(transactional_db: None, demo_snapshot: list[str]) -> None:
    """The demo region, as seed_demo() leaves it: restored from the copy of the first
    (``demo_snapshot`` in the root conftest.py)."""
    snapshot.restore(demo_snapshot)


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    settings.MEDIA_ROOT = snapshot.media_dir(tmp_path_factory)


class ContextFactory:
    """Makes guarded browser contexts; all are checked and closed when the test ends."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.host = urlsplit(base_url).netloc
        self.made: list[tuple[BrowserContext, Guard]] = []

    def __call__(self, **options: Any) -> tuple[BrowserContext, Guard]:
        options.setdefault("locale", "de-DE")
        options.setdefault("viewport", DESKTOP)
        options.setdefault("base_url", self.base_url)
        options.setdefault("timezone_id", "Europe/Berlin")
        context = self.browser.new_context(**options)
        context.set_default_timeout(10_000)
        guard = Guard(host=self.host)
        guard.attach(context)
        self.made.append((context, guard))
        return context, guard

    def problems(self) -> list[str]:
        # A round trip to every open page delivers console messages still on their way.
        for context, _guard in self.made:
            for open_page in context.pages:
                try:
                    open_page.evaluate("0")
                except Exception:
                    pass
        return [problem for _context, guard in self.made for problem in guard.problems()]

    def close(self) -> None:
        for context, _guard in self.made:
            context.close()
        self.made.clear()


@pytest.fixture
def make_context(browser: Browser, live_server: Any, settings: Any) -> Iterator[ContextFactory]:
    # The live server is the site: mails and absolute links name it, as in production.
    settings.SITE_URL = live_server.url
    factory = ContextFactory(browser, live_server.url)
    yield factory
    factory.close()


@pytest.fixture
def context_and_guard(make_context: ContextFactory) -> tuple[BrowserContext, Guard]:
    return make_context()


@pytest.fixture
def context(context_and_guard: tuple[BrowserContext, Guard]) -> BrowserContext:
    return context_and_guard[0]


@pytest.fixture
def guard(context_and_guard: tuple[BrowserContext, Guard]) -> Guard:
    return context_and_guard[1]


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Fail a test that passed its own checks if its pages did something forbidden."""
    report = yield
    factory = getattr(item, "funcargs", {}).get("make_context")
    if report.when == "call" and report.passed and isinstance(factory, ContextFactory):
        problems = factory.problems()
        if problems:
            report.outcome = "failed"
            report.longrepr = "The browser reported problems:\n" + "\n".join(problems)
    return report


@pytest.fixture
def login_as(live_server: Any):
    """Log a context in without the form: a session made by Django's test client."""

    def login(context: BrowserContext, email: str) -> None:
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.test import Client

        client = Client()
        client.force_login(get_user_model().objects.get(email=email))
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )

    return login
