"""The results as XLSX: a sheet per group, votes per idea online and on paper, cells
defused (a title a spreadsheet would run as a formula)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.budgets import services
from mitmachen.budgets.models import VOTE, GroupResult, Idea
from mitmachen.budgets.tests.conftest import set_budget_phase
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_results_workbook(client, ballot_open, budget, town, manager, project):
    a, b, c, _west = ballot_open
    Idea.objects.filter(pk=a.pk).update(title='=HYPERLINK("http://example.com","Spielplatz")')
    for ideas in ([a.pk, c.pk], [a.pk], [b.pk]):
        services.ballot_submit(voter=UserFactory(), group=town, idea_ids=ideas)
    checker = MembershipFactory(organisation=project.organisation, role=Role.PROJECT_MANAGER).user
    project.managers.add(checker)
    batch = services.paper_batch_create(user=manager, group=town, collected_on=timezone.localdate())
    services.paper_ballots_add(user=manager, batch=batch, lines=f"{a.pk}\n{c.pk}, {a.pk}")
    services.paper_batch_confirm(user=checker, batch=batch)
    url = reverse("budgets:results_xlsx", args=[budget.pk])
    assert client.get(url).status_code == 404  # not before the vote is over
    set_budget_phase(project, [VOTE], when="past")
    budget.project.__dict__.pop("_prefetched_objects_cache", None)
    for group in budget.groups.all():
        services.group_result_compute(result_id=services.group_result(group=group).pk)
    assert GroupResult.objects.filter(state="done").count() == 2
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["1. Ganze Stadt", "2. Ortsteilbudget West"]
    rows = list(workbook["1. Ganze Stadt"].iter_rows(values_only=True))
    facts = {r[0]: r[1] for r in rows if r and r[0] and len(r) > 1}
    assert facts["Stimmzettel"] == 5
    assert facts["davon online"] == 3 and facts["davon auf Papier"] == 2
    header = next(i for i, r in enumerate(rows) if r[0] == "Nr.")
    by_idea = {r[0]: r for r in rows[header + 1 :]}
    assert by_idea[a.pk][1].startswith("'=HYPERLINK")  # defused: shown, never run
    assert by_idea[a.pk][3:5] == (4, 2)  # votes, of which on paper
    assert by_idea[c.pk][3:5] == (2, 1)
    assert by_idea[b.pk][3:5] == (1, 0)
    assert by_idea[a.pk][5] in ("ja", "nein") and "Stimmen" in by_idea[a.pk][6]
