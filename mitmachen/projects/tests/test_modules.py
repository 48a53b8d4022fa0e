"""The module contract (projects.modules): what a module declares reaches the layers below."""

from __future__ import annotations

import copy

import pytest
import rules
from django.utils import timezone

from mitmachen.core import page_cache
from mitmachen.core import sections as page_sections
from mitmachen.core.sections import Section
from mitmachen.projects import modules
from mitmachen.projects.forms import PhaseAdminForm
from mitmachen.projects.models import Phase
from mitmachen.projects.modules import ParticipationModule, PhaseAction
from mitmachen.projects.permissions import can_take_part
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def isolated_registry(monkeypatch):
    """Register a module for one test only: the registries are restored afterwards."""
    monkeypatch.setattr(modules, "_modules", dict(modules._modules))
    monkeypatch.setattr(modules, "_actions", dict(modules._actions))
    monkeypatch.setattr(page_sections, "_sections", copy.deepcopy(page_sections._sections))
    yield
    if rules.perm_exists("projects.pinnwand_in_project"):
        rules.remove_perm("projects.pinnwand_in_project")


@pytest.fixture
def section_template(settings, tmp_path):
    folder = tmp_path / "pinnwand"
    folder.mkdir()
    (folder / "project.html").write_text(
        '<section id="pinnwand">{{ section.notes }} Notizen in {{ project.title }}</section>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    return "pinnwand/project.html"


def pinnwand(template: str, **kwargs) -> ParticipationModule:
    def load(request, project):
        return {"notes": 3} if project.title.startswith("Mit") else None

    return ParticipationModule(
        label="pinnwand",
        phase_actions=(PhaseAction("pinnwand", "An die Pinnwand schreiben", order=70),),
        sections=(Section("project", "pinnwand", template, load, 40),),
        **kwargs,
    )


def test_the_platform_declares_its_modules():
    labels = {module.label for module in modules.registered()}
    assert {"proposals", "polls", "debates", "comments", "moderation"} <= labels
    # In the order staff see them (other modules' actions may lie in between).
    keys = [a.key for a in modules.phase_actions()]
    expected = ["comment", "propose", "support", "vote", "answer", "debate"]
    assert [key for key in keys if key in expected] == expected


def test_a_new_module_reaches_the_project_page_the_phase_and_the_permissions(
    client, user, isolated_registry, section_template
):
    modules.register(pinnwand(section_template))
    project = ProjectFactory(title="Mit Pinnwand")
    phase = PhaseFactory(project=project, actions=["pinnwand"])

    content = client.get(project.get_absolute_url()).content.decode()
    assert '<section id="pinnwand">3 Notizen in Mit Pinnwand</section>' in content
    assert phase.action_labels() == ["An die Pinnwand schreiben"]
    assert ("pinnwand", "An die Pinnwand schreiben") in PhaseAdminForm().fields["actions"].choices
    assert can_take_part(user, "pinnwand", project)
    other = ProjectFactory(title="Ohne")
    PhaseFactory(project=other, actions=["comment"])
    assert not can_take_part(user, "pinnwand", other)
    # The loader said None: nothing of the module on this page.
    assert 'id="pinnwand"' not in client.get(other.get_absolute_url()).content.decode()


def test_an_action_nobody_declared_is_refused():
    phase = Phase(
        project=ProjectFactory(),
        name="Phase",
        start=timezone.now(),
        end=timezone.now() + timezone.timedelta(days=1),
        actions=["pinnwand"],
    )
    with pytest.raises(Exception, match="Unbekannte Beteiligungsart"):
        phase.full_clean()


def test_a_label_or_an_action_cannot_be_declared_twice(isolated_registry):
    modules.register(pinnwand("x.html"))
    with pytest.raises(ValueError, match="registered twice"):
        modules.register(pinnwand("y.html"))
    with pytest.raises(ValueError, match="declared by two modules"):
        modules.register(
            ParticipationModule(label="zweite", phase_actions=(PhaseAction("comment", "x"),))
        )


def test_sections_are_drawn_in_order_and_skip_those_without_data(rf, isolated_registry):
    calls = []

    def loader(name, data):
        def load(request, obj):
            calls.append(name)
            return data

        return load

    page_sections.register(Section("testseite", "b", "b.html", loader("b", {"x": 1}), 20))
    page_sections.register(Section("testseite", "a", "a.html", loader("a", {"y": 2}), 10))
    page_sections.register(Section("testseite", "c", "c.html", loader("c", None), 5))
    drawn = page_sections.draw(rf.get("/"), "testseite")
    assert [(d.key, d.template, dict(d.data)) for d in drawn] == [
        ("a", "a.html", {"y": 2}),
        ("b", "b.html", {"x": 1}),
    ]
    assert calls == ["c", "a", "b"]


def test_declared_models_make_their_project_stale_also_when_moved(
    settings, django_capture_on_commit_callbacks
):
    """CachedModel: a save bumps the project's version after commit; a row moved to
    another project (the admin can) bumps the old project's too."""
    from mitmachen.proposals.tests.factories import ProposalFactory

    settings.PAGE_CACHE_SECONDS = 60
    proposal = ProposalFactory()
    old, new = proposal.project, ProjectFactory(organisation=proposal.project.organisation)

    def versions():
        return [page_cache._versions([page_cache._project_key(p.pk)])[0] for p in (old, new)]

    before = versions()
    proposal.project = new
    with django_capture_on_commit_callbacks(execute=True):
        proposal.save()
    after = versions()
    assert after[0] != before[0] and after[1] != before[1]


def test_a_module_brings_its_own_demo_content(isolated_registry):
    from mitmachen.demo.services import seed_demo

    seen = []

    def demo(report):
        # Runs after the region is loaded: the module finds its projects by slug.
        seen.append(report)
        report.add("Pinnwand", "Notiz")

    modules.register(ParticipationModule(label="pinnwand", demo=demo))
    report = seed_demo()
    assert len(seen) == 1
    assert "Pinnwand: Notiz" in report.created
    assert any(line.startswith("Beteiligungsprozess: ") for line in report.created)
