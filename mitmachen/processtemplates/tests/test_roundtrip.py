"""Export → import in another municipality → export gives the same file (apart from
when and where from), for a set-up with every part and for random set-ups; a failing
import stores nothing; no id of the file is used."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mitmachen.budgets.models import BudgetGroup
from mitmachen.climate.models import Campaign
from mitmachen.debates.models import Debate
from mitmachen.drafts.models import Paragraph
from mitmachen.events.models import Event
from mitmachen.polls.models import Option, Poll
from mitmachen.processtemplates import services
from mitmachen.processtemplates.tests.helpers import comparable, document, raw, two_towns
from mitmachen.projects.models import Phase, Project, Visibility
from mitmachen.proposals.models import CustomStatus

pytestmark = pytest.mark.django_db

START = date(2027, 3, 1)


def _round_trip(data: dict[str, Any], towns: dict[str, Any]) -> tuple[dict, dict]:
    first = services.template_import(
        user=towns["superuser"], organisation=towns["home"], raw=raw(data), start=START
    )
    exported = services.template_export(project=first)
    second = services.template_import(
        user=towns["superuser"],
        organisation=towns["other"],
        raw=services.template_dumps(exported),
        start=START + timedelta(days=40),
    )
    return exported, services.template_export(project=second)


def test_every_part_survives_the_round_trip():
    towns = two_towns()
    exported, again = _round_trip(document(), towns)
    assert comparable(exported) == comparable(again)
    assert comparable(exported) == comparable(document())  # nothing lost on the way in
    assert set(exported["modules"]) == {
        "budgets",
        "climate",
        "debates",
        "drafts",
        "events",
        "polls",
        "proposals",
    }


def test_the_import_creates_a_draft_with_the_rows_of_every_part():
    towns = two_towns()
    project = services.template_import(
        user=towns["admin_other"], organisation=towns["other"], raw=raw(), start=START
    )
    assert project.visibility == Visibility.DRAFT
    assert project.organisation == towns["other"]
    assert project.support_quorum == 30 and project.support_eligibility == "verified"
    phases = project.ordered_phases()
    assert [p.name for p in phases] == ["Umfrage", "Ideen"]
    start = timezone.localtime(phases[0].start)
    assert start.date() == START and start.hour == 9
    poll = Poll.objects.get(project=project)
    assert poll.phase == phases[0] and poll.anonymous and poll.is_published
    questions = list(poll.questions.order_by("position"))
    assert [q.kind for q in questions] == ["single", "scale", "age_group"]
    assert Option.objects.filter(question=questions[2]).count() == 6  # the fixed age groups
    assert Debate.objects.get(project=project).author == towns["admin_other"]
    assert Paragraph.objects.filter(draft__project=project).count() == 3
    assert BudgetGroup.objects.filter(budget__project=project).count() == 2
    assert CustomStatus.objects.get(project=project).name == "An den Ortsbeirat"
    workshop, online = Event.objects.filter(projects=project).order_by("starts_at")
    assert workshop.organisation == towns["other"] and not workshop.is_published
    assert timezone.localtime(workshop.starts_at).date() == START + timedelta(days=1)
    assert workshop.questions.get().option_list() == ["Gebärdensprache", "Leichte Sprache"]
    assert online.online_url == "https://konferenz.example.org/fragestunde"
    campaign = Campaign.objects.get(project=project)
    assert (campaign.starts_on, campaign.ends_on) == (
        START + timedelta(days=15),
        START + timedelta(days=45),
    )
    assert not campaign.is_example_data


def test_the_export_reads_what_staff_built_and_leaves_out_contributions():
    from mitmachen.debates.tests.factories import DebateFactory
    from mitmachen.polls.tests.factories import OptionFactory, PollFactory, QuestionFactory
    from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
    from mitmachen.proposals.tests.factories import ProposalFactory

    project = ProjectFactory(title="Gebaut", support_quorum=12)
    phase = PhaseFactory(project=project)
    poll = PollFactory(project=project, phase=phase, title="Befragung")
    question = QuestionFactory(poll=poll, kind="multiple", text="Was fehlt?", max_choices=2)
    OptionFactory(question=question, label="Bänke")
    OptionFactory(question=question, label="Bäume")
    DebateFactory(project=project, question="Von der Verwaltung?", opened_by_staff=True)
    DebateFactory(project=project, question="Von einer Bürgerin", opened_by_staff=False)
    ProposalFactory(project=project, title="Ein Vorschlag von jemandem")
    data = services.template_export(project=project)
    text = json.dumps(data, ensure_ascii=False)
    assert data["modules"]["polls"][0]["questions"][0]["options"] == [
        {"label": "Bänke"},
        {"label": "Bäume"},
    ]
    assert data["modules"]["polls"][0]["questions"][0]["max_choices"] == 2
    assert [d["question"] for d in data["modules"]["debates"]] == ["Von der Verwaltung?"]
    assert data["modules"]["proposals"][0]["support_quorum"] == 12
    assert "Von einer Bürgerin" not in text and "Ein Vorschlag von jemandem" not in text

    def keys(value: Any) -> set[str]:
        if isinstance(value, dict):
            return set(value) | {k for v in value.values() for k in keys(v)}
        if isinstance(value, list):
            return {k for v in value for k in keys(v)}
        return set()

    assert not {k for k in keys(data) if k in ("id", "pk") or k.endswith("_id")}


def test_a_failing_import_stores_nothing(monkeypatch):
    """The last part refuses after the project, its phases and the other parts were
    written: the whole import rolls back."""
    from dataclasses import replace

    from django.core.exceptions import ValidationError

    from mitmachen.projects import modules

    towns = two_towns()
    written = []

    def refuse(**kwargs: Any) -> int:
        written.append(Project.objects.filter(organisation=towns["other"]).count())
        raise ValidationError("Abgelehnt")

    module = next(m for m in modules.registered() if m.label == "proposals")
    assert module.template is not None
    changed = replace(module, template=replace(module.template, create=refuse))
    monkeypatch.setitem(modules._modules, "proposals", changed)
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    with pytest.raises(ValidationError):
        services.template_import(
            user=towns["superuser"], organisation=towns["other"], raw=raw(), start=START
        )
    assert written == [1]  # the project existed when the part refused
    assert {m._meta.label: m._default_manager.count() for m in apps.get_models()} == counts


# --- Random set-ups --------------------------------------------------------------------------

words = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzäöüßABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ0123456789 .,;:!?-–„“()€%",
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and "  " not in s and s.strip())
optional = st.one_of(st.just(""), words)


@st.composite
def question(draw: Any) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            [
                "single",
                "multiple",
                "yes_no",
                "scale",
                "ranking",
                "short_text",
                "long_text",
                "district",
                "age_group",
            ]
        )
    )
    low = draw(st.integers(0, 5))
    return {
        "kind": kind,
        "text": draw(words),
        "help_text": draw(optional),
        "required": draw(st.booleans()),
        "min_choices": None,
        "max_choices": draw(st.one_of(st.none(), st.integers(1, 5)))
        if kind == "multiple"
        else None,
        "scale_min": low,
        "scale_max": draw(st.integers(low + 1, 10)),
        "scale_min_label": draw(optional),
        "scale_max_label": draw(optional),
        "max_length": draw(st.one_of(st.none(), st.integers(1, 5000)))
        if kind.endswith("text")
        else None,
        "options": [{"label": draw(words)} for _ in range(draw(st.integers(2, 4)))]
        if kind in ("single", "multiple", "ranking")
        else [],
    }


@st.composite
def setup(draw: Any) -> dict[str, Any]:
    phases = []
    day = 0
    for n in range(draw(st.integers(1, 4))):
        start = day + draw(st.integers(0, 5)) if n else 0
        end = start + draw(st.integers(1, 30))
        phases.append(
            {
                "name": draw(words),
                "description": draw(optional),
                "start_day": start,
                "start_time": draw(st.sampled_from(["00:00", "08:30", "18:00"])),
                "end_day": end,
                "end_time": "00:00",
                "actions": draw(
                    st.lists(
                        st.sampled_from(
                            ["answer", "comment", "propose", "support", "vote", "debate"]
                        ),
                        unique=True,
                        max_size=3,
                    )
                ),
            }
        )
        day = end + 1
    anonymous = draw(st.booleans())
    polls = [
        {
            "phase": draw(st.integers(0, len(phases) - 1)),
            "kind": draw(st.sampled_from(["survey", "vote"])),
            "title": draw(words),
            "intro": draw(optional),
            "closing_text": draw(optional),
            "eligibility": draw(st.sampled_from(["registered", "verified", "residents", "guests"])),
            "anonymous": anonymous,
            "allow_changes": False if anonymous else draw(st.booleans()),
            "results_visibility": draw(st.sampled_from(["live", "after_close"])),
            "published": draw(st.booleans()),
            "questions": draw(st.lists(question(), min_size=1, max_size=4)),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    # The export lists polls by their phase (the input too, to compare with it).
    polls.sort(key=lambda poll: poll["phase"])
    modules: dict[str, Any] = {}
    if polls:
        modules["polls"] = polls
    debates = [
        {"question": draw(words), "description": draw(optional)}
        for _ in range(draw(st.integers(0, 2)))
    ]
    if debates:
        modules["debates"] = debates
    if draw(st.booleans()):
        modules["proposals"] = [
            {
                "support_quorum": draw(st.integers(1, 500)),
                "support_eligibility": draw(
                    st.sampled_from(["registered", "verified", "residents"])
                ),
                "statuses": [
                    {"name": f"Status {i}", "base": "in_review", "description": draw(optional)}
                    for i in range(draw(st.integers(0, 2)))
                ],
            }
        ]
    if draw(st.booleans()):
        modules["drafts"] = [
            {
                "title": draw(words),
                "slug": "text",
                "intro": draw(optional),
                "published": draw(st.booleans()),
                "chapters": [
                    {
                        "title": draw(words),
                        "paragraphs": draw(st.lists(words, min_size=1, max_size=3)),
                    }
                    for _ in range(draw(st.integers(1, 3)))
                ],
            }
        ]
    if draw(st.booleans()):
        modules["budgets"] = [
            {
                "title": draw(words),
                "description": draw(optional),
                "result_rule": draw(st.sampled_from(["greedy", "mes"])),
                "groups": [
                    {
                        "name": draw(words),
                        "amount": draw(st.integers(1, 10**6)),
                        "ballot_rule": "knapsack",
                        "max_choices": None,
                    }
                ],
            }
        ]
    events = []
    for n in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["werkstatttreffen", "marktstand", "online", "hybrid"]))
        # Distinct days: the export's order (start, then title) is the input's.
        day = -3 + 10 * n + draw(st.integers(0, 5))
        registration = draw(st.booleans())
        events.append(
            {
                "kind": kind,
                "title": draw(words),
                "description": draw(optional),
                "start_day": day,
                "start_time": "17:00",
                "end_day": day + draw(st.integers(0, 1)),
                "end_time": "19:30",
                "place_name": "" if kind == "online" else draw(words),
                "online_url": "https://treffen.example.org/raum"
                if kind in ("online", "hybrid")
                else "",
                "online_url_registered_only": False,
                "step_free": draw(st.booleans()),
                "hearing_loop": draw(st.booleans()),
                "sign_language": draw(st.booleans()),
                "childcare": draw(st.booleans()),
                "registration_enabled": registration,
                "capacity": draw(st.one_of(st.none(), st.integers(1, 500)))
                if registration
                else None,
                "questions": [
                    {"text": draw(words), "kind": "janein", "options": [], "required": True}
                    for _ in range(draw(st.integers(0, 2)))
                ],
            }
        )
    if events:
        modules["events"] = events
    if draw(st.booleans()):
        start = draw(st.integers(-30, 30))
        modules["climate"] = [
            {
                "title": draw(words),
                "question": draw(words),
                "description": draw(words),
                "value_kind": "auswahl",
                "unit": "",
                "choices": draw(st.lists(words, min_size=2, max_size=4, unique=True)),
                "photo_allowed": draw(st.booleans()),
                "start_day": start,
                "end_day": start + draw(st.integers(0, 60)),
            }
        ]
    return document(
        project={
            "title": draw(words),
            "summary": draw(words),
            "description": draw(optional),
            "easy_language": draw(optional),
            "topics": [],
        },
        phases=phases,
        modules=modules,
    )


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=setup())
def test_random_setups_survive_the_round_trip(data):
    with transaction.atomic():
        towns = two_towns()
        exported, again = _round_trip(data, towns)
        assert comparable(exported) == comparable(again)
        assert comparable(exported) == comparable(data)
        transaction.set_rollback(True)


def test_ids_in_a_file_are_never_used():
    """A key the format does not know (an id) is a problem, not a hint."""
    towns = two_towns()
    data = document()
    data["phases"][0]["id"] = Phase.objects.create(
        project=Project.objects.create(
            organisation=towns["home"], title="x", slug="x", summary="x"
        ),
        name="fremd",
        start="2027-01-01T00:00Z",
        end="2027-01-02T00:00Z",
    ).pk
    with pytest.raises(services.TemplateProblems) as error:
        services.check_document(raw(data))
    assert error.value.problems == ["Phase 1 › „id“: ist unbekannt (ein Tippfehler?)"]
