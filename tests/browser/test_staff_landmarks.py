"""Landmarks on staff pages are unique (audit issue 18, finding 21).

A scrollable table box (``role="region"``) inside a section named by the same heading
made two region landmarks of the same name on the survey's staff page and on a paper
batch; screen-reader users could not tell them apart. axe's ``landmark-unique`` rule
is a best practice, not a WCAG tag, so the accessibility sweep does not run it: this
test does, on both pages and on the moderation pages.
"""

from __future__ import annotations

from typing import Any

import pytest
from browser_helpers import AXE_JS, format_violations
from playwright.sync_api import Page

pytestmark = pytest.mark.django_db(transaction=True)

MANAGER = "projekt@example.org"
RULES = ["landmark-unique", "landmark-no-duplicate-main", "landmark-no-duplicate-banner"]


def _landmark_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        """async (rules) => {
            const result = await axe.run(document, {runOnly: {type: "rule", values: rules}});
            return result.violations.map((r) => ({
                id: r.id, impact: r.impact, help: r.help, helpUrl: r.helpUrl,
                nodes: r.nodes.map((n) => ({target: n.target, summary: n.failureSummary,
                                            html: n.html})),
            }));
        }""",
        RULES,
    )


@pytest.fixture
def batch(transactional_db: None) -> Any:
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from polls_helpers import _survey, make_region

    from mitmachen.polls.services import BatchData, batch_create, paper_response_create

    make_region()
    survey = _survey()
    poll = survey.poll
    manager = get_user_model().objects.get(email=MANAGER)
    batch = batch_create(
        user=manager,
        poll=poll,
        data=BatchData(channel="market_stand", collected_on=timezone.localdate()),
    )
    paper_response_create(user=manager, batch=batch, data={survey.q["long_text"].pk: "Mehr Bänke."})
    return batch


def test_staff_pages_have_unique_landmarks(batch: Any, make_context: Any, login_as: Any) -> None:
    context, _guard = make_context(bypass_csp=True)
    login_as(context, MANAGER)
    page = context.new_page()
    problems = []
    for label, url in [
        ("survey staff page", f"/verwaltung/umfragen/{batch.poll_id}/"),
        ("paper batch", f"/verwaltung/umfragen/stapel/{batch.pk}/"),
    ]:
        page.goto(url)
        assert page.locator("[role=region]").count(), f"{label}: no table region to check"
        violations = _landmark_violations(page)
        if violations:
            problems.append(f"{label}:\n{format_violations(violations)}")
    assert not problems, "\n".join(problems)
