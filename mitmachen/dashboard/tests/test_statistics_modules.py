"""Every module that stores residents' contributions reports them to the statistics
(``ParticipationModule.statistics``): one row of each kind, counted once, in its channel."""

from __future__ import annotations

import pytest
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.budgets.models import Ballot, Budget, BudgetGroup, PaperBatch
from mitmachen.budgets.tests.factories import IdeaFactory
from mitmachen.climate.models import Observation
from mitmachen.climate.tests.factories import campaign_in
from mitmachen.debates.tests.factories import DebateFactory
from mitmachen.drafts.models import Chapter, Draft, Paragraph, ParagraphVote, Suggestion
from mitmachen.organisations.tests.factories import DistrictFactory
from mitmachen.projects import modules
from mitmachen.projects.statistics import StatsScope, count
from mitmachen.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_each_module_reports_its_contributions_once():
    project = ProjectFactory()
    district = DistrictFactory(organisation=project.organisation)
    people = [UserFactory(home_district=district) for _ in range(6)]
    today = timezone.localdate()
    DebateFactory(project=project, author=people[0])
    DebateFactory(project=project, author=people[0], opened_by_staff=True)  # staff's: not counted
    draft = Draft.objects.create(project=project, title="Agenda", slug="agenda", is_public=True)
    chapter = Chapter.objects.create(draft=draft, position=1, title="Ziele")
    paragraph = Paragraph.objects.create(draft=draft, chapter=chapter, number=1, text="Alt.")
    Suggestion.objects.create(
        paragraph=paragraph, project=project, author=people[1], text="Neu.", base_text="Alt."
    )
    ParagraphVote.objects.create(paragraph=paragraph, user=people[2], value=1)
    budget = Budget.objects.create(project=project, title="Bürgerhaushalt")
    group = BudgetGroup.objects.create(budget=budget, name="Ganze Stadt", amount=1000)
    IdeaFactory(budget=budget, project=project, group=group, author=people[3], district=district)
    Ballot.objects.create(group=group, voter=people[4])
    confirmed = PaperBatch.objects.create(
        group=group, collected_on=today, confirmed_at=timezone.now()
    )
    Ballot.objects.create(group=group, batch=confirmed)
    unconfirmed = PaperBatch.objects.create(group=group, collected_on=today)
    Ballot.objects.create(group=group, batch=unconfirmed)  # does not count yet
    Observation.objects.create(
        campaign=campaign_in(project),
        project=project,
        author=people[5],
        observed_on=today,
        district=district,
        number_value=31.5,
    )
    DebateFactory(project=ProjectFactory(), author=people[0])  # another project's: not counted

    counts = count(modules.statistics_sources(StatsScope([project.pk])))

    kinds = {c.key: c.contributions for c in counts.breakdowns["kind"]}
    assert kinds == {
        "debate": 1,
        "suggestion": 1,
        "paragraph_vote": 1,
        "budget_idea": 1,
        "ballot": 2,
        "observation": 1,
    }
    channels = {c.key: c.contributions for c in counts.breakdowns["channel"]}
    assert channels == {"online": 6, "paper_ballot": 1}
    assert counts.channel_labels["paper_ballot"] == "Papierstimmzettel"
    # Six accounts and one paper ballot; all but the paper ballot from the one Ortsteil.
    assert (counts.contributions, counts.people) == (7, 7)
    districts = {c.key: (c.contributions, c.people) for c in counts.breakdowns["district"]}
    assert districts == {district.pk: (6, 6), None: (1, 1)}


def test_which_modules_report():
    reporting = {m.label for m in modules.registered() if m.statistics is not None}
    assert reporting == {
        "proposals",
        "comments",
        "polls",
        "debates",
        "drafts",
        "budgets",
        "climate",
    }
