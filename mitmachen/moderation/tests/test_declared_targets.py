"""A module declares a moderation target (``projects.modules.ModerationTarget``) and its
rows can be reported and moderated – report page, queue, decision page, the log, the
author's notifications, blocking, deletion – with no edit in the moderation app.

The throwaway module "beobachtungen" (residents' observations) brings a model of its
own, with its table created for the test only.
"""

from __future__ import annotations

import copy

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.db.models.signals import post_delete

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core import sections as page_sections
from mitmachen.core.models import HideCause, ModeratedModel, TimeStampedModel
from mitmachen.moderation import services
from mitmachen.moderation.models import ActionKind, ModerationAction, Report
from mitmachen.notifications.models import Notification
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.projects import modules
from mitmachen.projects.models import Project
from mitmachen.projects.modules import Gender, ModerationTarget, ParticipationModule
from mitmachen.projects.tests.factories import ProjectFactory


def observation_target(**changes) -> ModerationTarget:
    declared = {
        "model": "projects.Observation",
        "key": "observation",
        "slug": "beobachtung",
        "staff_slug": "beobachtungen",
        "label": "Beobachtung",
        "label_plural": "Beobachtungen",
        "gender": Gender.FEMININE,
        "subject": lambda o: f"Beobachtung „{o.note}“",
        "yours": lambda o: f"Ihre Beobachtung „{o.note}“",
        "headline": lambda o: o.note,
        "template": "beobachtungen/moderation.html",
    }
    return ModerationTarget(**{**declared, **changes})


@pytest.fixture
def isolated(monkeypatch):
    monkeypatch.setattr(modules, "_modules", dict(modules._modules))
    monkeypatch.setattr(modules, "_targets", dict(modules._targets))
    monkeypatch.setattr(page_sections, "_sections", copy.deepcopy(page_sections._sections))


@pytest.fixture
def observation_model(transactional_db, isolated, settings, tmp_path):
    """The module's model and its table, gone again after the test."""

    class Observation(ModeratedModel, TimeStampedModel):
        project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
        author = models.ForeignKey(
            django_settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
        )
        note = models.TextField()

        class Meta:
            app_label = "projects"

        def get_absolute_url(self) -> str:
            return self.project.get_absolute_url()

        def public_author(self) -> str:
            return self.author.public_name if self.author else "gelöschtes Konto"

    (tmp_path / "beobachtungen").mkdir()
    (tmp_path / "beobachtungen" / "moderation.html").write_text(
        "<p>{{ target.note }}{% if full %} (ganz){% endif %}</p>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    with connection.schema_editor() as editor:
        editor.create_model(Observation)
    try:
        yield Observation
    finally:
        post_delete.disconnect(
            sender=Observation, dispatch_uid="moderation-target-deleted-observation"
        )
        with connection.schema_editor() as editor:
            editor.delete_model(Observation)
        del apps.all_models["projects"]["observation"]
        apps.clear_cache()


@pytest.fixture
def observation(observation_model):
    modules.register(
        ParticipationModule(label="beobachtungen", moderation_targets=(observation_target(),))
    )
    project = ProjectFactory()
    author = UserFactory(display_name="Olga")
    return observation_model.objects.create(project=project, author=author, note="Müll am Teich")


def test_a_declared_target_is_reported_and_moderated_with_no_edit_in_moderation(
    client, observation
):
    project = observation.project
    reporter = UserFactory()
    client.force_login(reporter)
    url = f"/melden/beobachtung/{observation.pk}/"
    form = client.get(url).content.decode()
    assert "Beobachtung melden" in form and "Müll am Teich" in form and "(ganz)" not in form
    assert client.post(url, {"reason": "spam"}).status_code == 302
    assert Report.objects.about(observation).get().reporter == reporter
    observation.refresh_from_db()
    assert observation.report_count == 1

    moderator = MembershipFactory(organisation=project.organisation, role=Role.MODERATOR).user
    client.force_login(moderator)
    queue = client.get("/verwaltung/moderation/").content.decode()
    decision = f"/verwaltung/moderation/beobachtungen/{observation.pk}/"
    assert f'href="{decision}"' in queue and "Beobachtung" in queue
    page = client.get(decision).content.decode()
    assert "Beobachtung moderieren" in page and "Müll am Teich (ganz)" in page
    response = client.post(decision, {"aktion": "ausblenden", "ausblenden-reason": "Werbung"})
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.is_hidden and observation.hidden_cause == HideCause.MODERATOR
    action = ModerationAction.objects.about(observation).get()
    assert action.kind == ActionKind.HIDE and action.subject == "Beobachtung „Müll am Teich“"
    assert action.target == observation and action.target_user == observation.author
    assert Report.objects.about(observation).get().resolution == "hidden"
    told = Notification.objects.get(recipient=observation.author)
    assert told.title == "Ihre Beobachtung „Müll am Teich“ wurde von der Moderation ausgeblendet"
    log = client.get("/verwaltung/moderation/protokoll/").content.decode()
    assert f'href="{decision}"' in log

    assert services.restore(moderator=moderator, target=observation, reason="Geprüft")
    # Feminine noun: "sie ist wieder öffentlich".
    assert services._shown_again(observation) == (
        "Die Moderation hat Ihre Beobachtung „Müll am Teich“ geprüft; sie ist wieder öffentlich."
    )


def test_blocking_and_deleting_reach_a_declared_target(observation):
    organisation = observation.project.organisation
    moderator = MembershipFactory(organisation=organisation, role=Role.MODERATOR).user
    services.report_create(reporter=UserFactory(), target=observation, reason="spam")
    services.block(
        moderator=moderator, organisation=organisation, user=observation.author, reason="Spam"
    )
    observation.refresh_from_db()
    assert observation.hidden_cause == HideCause.BLOCK
    services.unblock(
        moderator=moderator, organisation=organisation, user=observation.author, reason="ok"
    )
    observation.refresh_from_db()
    assert not observation.is_hidden
    services.hide(moderator=moderator, target=observation, reason="Werbung")

    observation.delete()
    assert not Report.objects.exists()
    action = ModerationAction.objects.get(kind=ActionKind.HIDE)
    assert action.target_id is None and action.subject == "Beobachtung „Müll am Teich“"


def test_deleting_the_project_keeps_the_log_readable(observation):
    moderator = MembershipFactory(
        organisation=observation.project.organisation, role=Role.MODERATOR
    ).user
    services.report_create(reporter=UserFactory(), target=observation, reason="spam")
    services.hide(moderator=moderator, target=observation, reason="Werbung")
    observation.project.delete()
    assert not Report.objects.exists()
    assert ModerationAction.objects.get().target_id is None


def test_a_target_must_be_moderated_and_declared_once(observation_model, isolated):
    modules.register(
        ParticipationModule(label="beobachtungen", moderation_targets=(observation_target(),))
    )
    twice = observation_target(key="observation2", slug="b2", staff_slug="b2")
    with pytest.raises(ValueError, match="collides"):
        modules.register(ParticipationModule(label="zwei", moderation_targets=(twice,)))
    for clash in ({"key": "log"}, {"staff_slug": "protokoll"}):
        bad = observation_target(**{"key": "x", "slug": "x", "staff_slug": "x", **clash})
        with pytest.raises((ImproperlyConfigured, ValueError)):
            modules.register(ParticipationModule(label="drei", moderation_targets=(bad,)))
    with pytest.raises(ImproperlyConfigured, match="no ModeratedModel"):
        modules.register(
            ParticipationModule(
                label="vier",
                moderation_targets=(
                    observation_target(model="projects.Topic", key="t", slug="t", staff_slug="t"),
                ),
            )
        )
