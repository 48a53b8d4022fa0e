"""The page-cache part of the module contract (``projects.modules``): every model of a
participation module is decided on, declarations are checked, and invalidation has one
way in – so a new module or model cannot forget it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mitmachen.core import page_cache
from mitmachen.projects import modules
from mitmachen.projects.modules import CachedModel, CachedPart, ParticipationModule

ROOT = Path(__file__).resolve().parents[2]  # mitmachen/


def _label(name: str) -> str:
    return apps.get_model(name)._meta.label


def decisions(module: ParticipationModule) -> list[str]:
    """Every model the module decided on, once per decision."""
    return [
        *(_label(c.model) for c in module.page_cache),
        *(_label(label) for label in module.stale_everywhere),
        *(_label(p.model) for p in module.page_cache_parts),
        *(_label(label) for label in module.not_on_public_pages),
    ]


def undecided(module: ParticipationModule) -> set[str]:
    """Concrete models of the module's app that are in none of its page-cache fields."""
    app = apps.get_app_config(module.label)
    return {m._meta.label for m in app.get_models() if not m._meta.abstract} - set(
        decisions(module)
    )


@pytest.mark.parametrize("module", modules.registered(), ids=lambda m: m.label)
def test_every_model_of_a_module_is_decided_once(module):
    """A model added to a module must be declared as shown on public pages (or a part of
    one, or stale everywhere) or listed with its reason in ``not_on_public_pages``."""
    assert not undecided(module), (
        f"{module.label}: decide for {sorted(undecided(module))} in its module.py: "
        "page_cache, page_cache_parts, stale_everywhere or not_on_public_pages"
    )
    made = decisions(module)
    assert len(made) == len(set(made)), f"{module.label}: a model is decided twice"
    own = {m._meta.label for m in apps.get_app_config(module.label).get_models()}
    assert set(made) <= own, f"{module.label}: decides on models of another app"


def test_the_check_finds_a_forgotten_model():
    polls = next(m for m in modules.registered() if m.label == "polls")
    forgetful = dataclasses.replace(polls, not_on_public_pages=(), page_cache_parts=())
    assert undecided(forgetful) == {
        "polls.Participation",
        "polls.PaperBatch",
        "polls.Correction",
        "polls.Answer",
    }


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        (
            {"page_cache": (CachedModel("polls.Option", "question.project_id"),)},
            "reaches no project",
        ),
        ({"page_cache": (CachedModel("polls.Question", "poll_id"),)}, "reaches no project"),
        ({"page_cache": (CachedModel("polls.Question", "poll"),)}, "reaches no project"),
        (
            {"page_cache_parts": (CachedPart("polls.Answer", whole="polls.Response"),)},
            "not declared",
        ),
    ],
)
def test_declarations_are_checked_when_a_module_registers(declaration, message):
    module = ParticipationModule(label="tryout", **declaration)
    with pytest.raises(ImproperlyConfigured, match=message):
        modules.register(module)
    assert "tryout" not in {m.label for m in modules.registered()}


def test_changed_takes_a_project_or_everywhere():
    with pytest.raises(TypeError):
        modules.changed()
    with pytest.raises(TypeError):
        modules.changed(project_id=1, everywhere=True)


@pytest.mark.django_db
def test_changed_bumps_after_commit(django_capture_on_commit_callbacks):
    before = page_cache.data_version(7)
    with django_capture_on_commit_callbacks() as callbacks:
        modules.changed(project_id=7)
    assert page_cache.data_version(7) == before  # not before the commit
    for callback in callbacks:
        callback()
    after = page_cache.data_version(7)
    assert after != before
    with django_capture_on_commit_callbacks(execute=True):
        modules.changed(everywhere=True)
    assert page_cache.data_version(7) != after  # the global version moved


TOUCH = re.compile(r"\btouch_(project|everything)\w*")


def test_only_the_contract_invalidates():
    """Modules make pages stale through their declarations and ``modules.changed()``,
    never by calling ``core.page_cache`` themselves."""
    allowed = {"core/page_cache.py", "projects/modules.py"}
    callers = set()
    for path in ROOT.rglob("*.py"):
        name = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{name}" or name in allowed:
            continue
        if TOUCH.search(path.read_text(encoding="utf-8")):
            callers.add(name)
    assert callers == set()


# --- what the signals do ----------------------------------------------------------------


@pytest.fixture
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.mark.django_db
def test_a_relation_of_a_declared_row_makes_its_project_stale(
    _cache_on, django_capture_on_commit_callbacks
):
    """Many-to-many relations of declared models (a poll's Ortsteile) count as changes,
    from either side."""
    from mitmachen.organisations.tests.factories import DistrictFactory
    from mitmachen.polls.tests.factories import PollFactory

    poll = PollFactory()
    district = DistrictFactory(organisation=poll.project.organisation)
    other = PollFactory()
    seen = page_cache.data_version(poll.project_id)
    untouched = page_cache.data_version(other.project_id)
    with django_capture_on_commit_callbacks(execute=True):
        poll.districts.add(district)
    assert page_cache.data_version(poll.project_id) != seen
    seen = page_cache.data_version(poll.project_id)
    with django_capture_on_commit_callbacks(execute=True):
        district.polls.remove(poll)
    assert page_cache.data_version(poll.project_id) != seen
    assert page_cache.data_version(other.project_id) == untouched


def _delete_queries(make_parent, make_child, children: int) -> int:
    parent = make_parent()
    for _ in range(children):
        make_child(parent)
    with CaptureQueriesContext(connection) as queries:
        parent.delete()
    return len(queries)


@pytest.mark.django_db
def test_rows_deleted_with_their_parent_cost_no_query_each(_cache_on):
    """A cascade (a proposal with its supports, a poll with its responses) is announced
    by the parent's signal: the children's receivers do not look up their project."""
    from mitmachen.accounts.tests.factories import UserFactory
    from mitmachen.polls.models import Response
    from mitmachen.polls.tests.factories import PollFactory
    from mitmachen.projects.tests.factories import ProjectFactory
    from mitmachen.proposals.models import Support
    from mitmachen.proposals.tests.factories import ProposalFactory

    project = ProjectFactory()

    def support(proposal):
        Support.objects.create(proposal=proposal, user=UserFactory())

    def response(poll):
        Response.objects.create(poll=poll)

    for make_parent, make_child in (
        (lambda: ProposalFactory(project=project), support),
        (lambda: PollFactory(project=project), response),
    ):
        # Once before counting: the first delete fills caches (the content type that
        # events' link clean-up reads), which are not what the test is about.
        _delete_queries(make_parent, make_child, 1)
        few = _delete_queries(make_parent, make_child, 2)
        many = _delete_queries(make_parent, make_child, 6)
        assert few == many


@pytest.mark.django_db
def test_a_cascade_still_makes_the_page_stale(
    client, _cache_on, django_capture_on_commit_callbacks
):
    from mitmachen.accounts.tests.factories import UserFactory
    from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
    from mitmachen.proposals.models import Support
    from mitmachen.proposals.tests.factories import ProposalFactory

    project = ProjectFactory()
    PhaseFactory(project=project, actions=["propose", "support"])
    proposal = ProposalFactory(project=project, title="Ein Brunnen am Markt")
    Support.objects.create(proposal=proposal, user=UserFactory())
    url = f"/projekte/{project.slug}/vorschlaege/"
    assert "Ein Brunnen" in client.get(url).content.decode()
    assert client.get(url)[page_cache.STATE_HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        proposal.delete()
    page = client.get(url)
    assert page[page_cache.STATE_HEADER] == "miss"
    assert "Ein Brunnen" not in page.content.decode()


@pytest.mark.django_db
def test_stale_everywhere_makes_every_page_stale(django_capture_on_commit_callbacks):
    """``stale_everywhere`` (no module uses it today): a change bumps the global version.
    Tried on a model no module declares so, and disconnected again."""
    from django.db.models.signals import post_delete, post_save

    from mitmachen.polls.models import Correction
    from mitmachen.polls.tests.factories import PollFactory

    poll = PollFactory()
    modules._connect_everywhere("polls.Correction")
    try:
        elsewhere = poll.project_id + 1000  # a project the row has nothing to do with
        seen = page_cache.data_version(elsewhere)
        with django_capture_on_commit_callbacks(execute=True):
            Correction.objects.create(poll=poll, response_number=1, reason="Test")
        assert page_cache.data_version(elsewhere) != seen
    finally:
        for signal in (post_save, post_delete):
            signal.disconnect(
                sender=Correction,
                dispatch_uid=f"page-cache-all-{signal is post_save}-polls.Correction",
            )
        modules._stale_when_deleted.discard("polls.Correction")
