"""Helpers shared by the browser tests (axe-core, logging in)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "mitmachen-demo"
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 320, "height": 640}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def run_axe(page: Page) -> dict[str, Any]:
    """Run axe-core on the whole document and return its result.

    The site sends ``script-src 'self'``; contexts used here must be made with
    ``bypass_csp=True`` so the injected (inline) axe script may run.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    # resultTypes: axe collects the elements only of violations (of passing rules one
    # element each), which makes a run on a long page about a fifth quicker; ``passes``
    # names the rules that passed.
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            const slim = (items) => items.map((r) => ({
                id: r.id, impact: r.impact, help: r.help, helpUrl: r.helpUrl,
                nodes: r.nodes.map((n) => ({target: n.target, summary: n.failureSummary,
                                            html: n.html})),
            }));
            return {violations: slim(result.violations),
                    passes: result.passes.map((r) => r.id),
                    incomplete: result.incomplete.length};
        }""",
        AXE_TAGS,
    )


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:10]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}")
            lines.append(f"       {node['html'][:200]}")
            if node.get("summary"):
                for summary_line in node["summary"].splitlines():
                    lines.append(f"       {summary_line}")
        if len(v["nodes"]) > 10:
            lines.append(f"    … and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page, label: str = "") -> dict[str, Any]:
    result = run_axe(page)
    assert result["passes"], f"axe did not run any check on {page.url}"
    violations = result["violations"]
    assert not violations, (
        f"axe found {len(violations)} WCAG 2.1 A/AA violation(s) on {label or page.url}:\n"
        + format_violations(violations)
    )
    return result


def log_in(page: Page, email: str, password: str) -> None:
    """Log in through the allauth form (works with and without JavaScript)."""
    page.goto("/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort", exact=True).fill(password)
    page.locator("main form").get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


def tab_to(page: Page, selector: str, limit: int = 200) -> None:
    """Press Tab until the focused element matches ``selector`` (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement?.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def type_into(page: Page, selector: str, text: str) -> None:
    """Tab to the field ``selector`` and type ``text`` (keyboard only)."""
    tab_to(page, selector)
    page.keyboard.type(text)
