"""Forced colours (Windows contrast themes): the main pages keep their meaning.

Chromium emulates ``forced-colors: active``: it replaces the page's colours with the
system palette, so anything drawn with a background colour (KERN's radio dot) turns into
the canvas colour. The checks compare pixels, so they do not depend on how the CSS draws
a state:

- a checked radio button or checkbox looks different from an unchecked one, and its mark
  has a colour of its own (not the background's);
- every kind of focusable control (links, buttons, inputs, selects, radios, checkboxes,
  summaries, map markers …) gains something that stands out from the background (an
  outline, an inverted box) when it gets the keyboard focus; losing a border is not enough.

Screenshots of every page are written to ``/tmp/forced-colours-shots`` for a look.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import DESKTOP, MOBILE
from PIL import Image, ImageChops
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/forced-colours-shots")
RESIDENT = "bewohnerin@example.org"
PROJECT = "meine-stadt-der-zukunft"
MARKET = "Feierabendmarkt im Sommer auf dem Marktplatz"  # the resident may support it

# A state change must change at least this many pixels (a 12 px dot has over 100; a
# 3 px focus ring around a 32 px box several hundred).
MIN_CHANGED = 40
# Around an element, where an outline with an offset is drawn.
MARGIN = 10

FOCUSABLE_JS = """() => {
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
        + ' [tabindex]:not([tabindex="-1"])';
    const seen = new Set();
    const found = [];
    for (const e of document.querySelectorAll(selector)) {
        if (e.disabled || e.closest('[hidden], [inert]')) continue;
        const box = e.getBoundingClientRect();
        const style = getComputedStyle(e);
        if (box.width < 1 || box.height < 1 || style.visibility === 'hidden') continue;
        // One element of each kind: tag, type and classes (map markers share theirs).
        const kind = [e.tagName.toLowerCase(), e.type || '', e.className.baseVal ?? e.className,
                      e.closest('header, nav, footer, form, .leaflet-container')?.tagName || '']
            .join('|');
        if (seen.has(kind)) continue;
        seen.add(kind);
        e.setAttribute('data-fc-probe', String(found.length));
        found.push(kind);
    }
    return found;
}"""


def _area(page: Page, box: dict[str, float], margin: int = MARGIN) -> dict[str, float] | None:
    """``box`` plus a margin, cut to the viewport; None when nothing of it is on screen."""
    size = page.viewport_size or DESKTOP
    left, top = max(0, int(box["x"]) - margin), max(0, int(box["y"]) - margin)
    right = min(size["width"], int(box["x"] + box["width"]) + margin)
    bottom = min(size["height"], int(box["y"] + box["height"]) + margin)
    if right <= left or bottom <= top:
        return None
    return {"x": left, "y": top, "width": right - left, "height": bottom - top}


def _shot(page: Page, area: dict[str, float]) -> Image.Image:
    return Image.open(io.BytesIO(page.screenshot(clip=area))).convert("RGB")


def _changed(before: Image.Image, after: Image.Image) -> int:
    """Pixels that differ clearly between two shots of the same area."""
    difference = ImageChops.difference(before, after).convert("L")
    return sum(difference.histogram()[49:])


def _ink(shot: Image.Image, canvas: int) -> int:
    """Pixels that stand out from the canvas (grey levels ``canvas`` ± 96 and beyond)."""
    histogram = shot.convert("L").histogram()
    return sum(histogram[: max(0, canvas - 96)]) + sum(histogram[canvas + 97 :])


def _canvas(shot: Image.Image) -> int:
    """The grey level of the most common colour: the background around an element."""
    histogram = shot.convert("L").histogram()
    return histogram.index(max(histogram))


def _mark_colours(page: Page, selector: str) -> dict[str, str]:
    """Colours of a checked control's mark (``::before``) and of the control itself."""
    return page.evaluate(
        """(selector) => {
            const e = document.querySelector(selector);
            const own = getComputedStyle(e), mark = getComputedStyle(e, '::before');
            return {background: own.backgroundColor, mark: mark.backgroundColor,
                    markBorder: mark.borderRightColor, markBorderWidth: mark.borderRightWidth};
        }""",
        selector,
    )


def _opaque(colour: str) -> bool:
    return colour not in ("transparent", "rgba(0, 0, 0, 0)") and not colour.endswith(", 0)")


class ForcedColoursReport:
    """Checks page after page in forced colours and reports every finding together."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.failures: list[str] = []
        self.checked = 0

    def visit(self, label: str, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status == 200, f"{label}: {path}"
        assert self.page.evaluate("matchMedia('(forced-colors: active)').matches")
        if self.page.locator("[data-proposal-map]").count():
            # The map fetches its markers after load (proposal-map.js, the only script that
            # fetches anything); elsewhere "networkidle" only added its 500 ms of quiet.
            self.page.wait_for_load_state("networkidle")
        self.page.mouse.move(0, 0)
        SHOTS.mkdir(exist_ok=True)
        name = label.replace(" ", "-").replace("/", "-")
        self.page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
        self.check_focus(label)

    def check_control(self, label: str, control: Any) -> None:
        """Checking a radio button or checkbox must show: pixels and the mark's colour."""
        page = self.page
        control.scroll_into_view_if_needed()
        page.evaluate("document.activeElement && document.activeElement.blur()")
        box = control.bounding_box()
        assert box is not None
        area = _area(page, box, margin=0)
        assert area is not None
        if control.is_checked():
            control.uncheck()  # a checkbox (radios start unchecked in the demo)
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.mouse.move(0, 0)
        unchecked = _shot(page, area)
        control.check()
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.mouse.move(0, 0)
        checked = _shot(page, area)
        changed = _changed(unchecked, checked)
        kind = control.get_attribute("type")
        name = f"{label}: checked {kind} #{control.get_attribute('id')}"
        SHOTS.mkdir(exist_ok=True)
        wide = _area(page, {**box, "width": box["width"] + 300}, margin=20)
        assert wide is not None
        page.screenshot(clip=wide, path=SHOTS / f"{label.replace(' ', '-')}-{kind}-checked.png")
        if changed < MIN_CHANGED:
            self.failures.append(f"{name} looks like an unchecked one ({changed} pixels differ)")
        colours = _mark_colours(page, f"#{control.get_attribute('id')}")
        if kind == "radio":
            mark = colours["mark"]
            if not _opaque(mark) or mark == colours["background"]:
                self.failures.append(
                    f"{name}: its dot is {mark} on {colours['background']} – invisible"
                )
        self.checked += 1

    def check_focus(self, label: str) -> None:
        """Every kind of focusable element shows a visible focus indicator."""
        page = self.page
        kinds = page.evaluate(FOCUSABLE_JS)
        for index, kind in enumerate(kinds):
            element = page.locator(f'[data-fc-probe="{index}"]')
            if not element.count():
                continue  # redrawn meanwhile (Leaflet redraws marker clusters as it settles)
            element.scroll_into_view_if_needed()
            page.evaluate("document.activeElement && document.activeElement.blur()")
            page.mouse.move(0, 0)
            box = element.bounding_box()
            if box is None:
                continue
            area = _area(page, box)
            before = _shot(page, area) if area else None
            # A key press first: focus() then counts as keyboard focus (:focus-visible).
            page.keyboard.press("Shift")
            element.evaluate("e => e.focus({preventScroll: true})")
            if not element.evaluate("e => e === document.activeElement"):
                continue  # not focusable after all
            self.checked += 1
            if area is None or before is None:
                # Off screen until focused (the skip link): it must come into view.
                moved = element.bounding_box()
                if moved is None or _area(page, moved, margin=0) is None:
                    self.failures.append(f"{label}: {kind} stays off screen when focused")
                continue
            after = _shot(page, area)
            # Focus must add something that stands out (an outline, an inverted box), not
            # just take a border away.
            canvas = _canvas(before)
            changed = _ink(after, canvas) - _ink(before, canvas)
            if changed < MIN_CHANGED:
                after.save(SHOTS / f"{label.replace(' ', '-')}-focus-{index}.png")
                self.failures.append(
                    f"{label}: no visible focus on {kind} ({changed} pixels stand out more)"
                )
        page.evaluate("document.activeElement && document.activeElement.blur()")

    def assert_clean(self) -> None:
        assert self.checked, "nothing was checked"
        assert not self.failures, (
            f"forced colours: {len(self.failures)} problem(s) in {self.checked} checks:\n"
            + "\n".join(self.failures)
        )


@pytest.fixture
def forced_page(make_context: Callable[..., Any], login_as) -> Callable[..., Page]:
    def make(viewport: dict[str, int], email: str | None = RESIDENT) -> Page:
        context, _guard = make_context(viewport=viewport)
        if email:
            login_as(context, email)
        page = context.new_page()
        page.emulate_media(forced_colors="active")
        return page

    return make


def _open_survey() -> Any:
    """The demo survey the resident can answer (radio, checkboxes, scale)."""
    from mitmachen.polls.models import Poll

    return Poll.objects.get(project__slug="insek-bad-belzig-2035", kind="survey")


def test_checked_radio_and_checkbox_stay_visible(demo: None, forced_page) -> None:
    page = forced_page(DESKTOP)
    report = ForcedColoursReport(page)
    poll = _open_survey()
    page.goto(poll.get_absolute_url())
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")
    radio = page.locator("input.kern-form-check__radio").first
    expect(radio).to_be_visible()
    report.check_control("survey", radio)
    # A point of a scale question (a radio group in a row).
    report.check_control("survey scale", page.locator(".poll-scale input[type=radio]").first)
    report.check_control("survey", page.locator("input.kern-form-check__checkbox").first)
    page.screenshot(path=SHOTS / "survey-answered.png", full_page=True)
    report.assert_clean()


@pytest.mark.parametrize(
    "viewport", [pytest.param(DESKTOP, id="1280px"), pytest.param(MOBILE, id="320px")]
)
def test_focus_is_visible_on_the_main_pages(demo: None, forced_page, viewport) -> None:
    from mitmachen.proposals.models import Proposal

    market = Proposal.objects.get(project__slug=PROJECT, title=MARKET)
    page = forced_page(viewport)
    report = ForcedColoursReport(page)
    suffix = f" {viewport['width']}px"
    for label, path in {
        "home and header": "/",
        "project list filters": "/projekte/",
        "survey": _open_survey().get_absolute_url(),
        "proposal form": f"/projekte/{PROJECT}/vorschlaege/neu/",
        "proposal list filters": f"/projekte/{PROJECT}/vorschlaege/",
        "proposal map": f"/projekte/{PROJECT}/vorschlaege/karte/",
        "proposal with support button and comment form": market.get_absolute_url(),
    }.items():
        report.visit(label + suffix, path)
    expect(page.get_by_role("button", name="Unterstützen", exact=True)).to_be_visible()
    report.assert_clean()
