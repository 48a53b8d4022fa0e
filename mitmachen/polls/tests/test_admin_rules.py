"""The admin asks the set-up's rules (polls.services): what would lose or change stored
answers is refused there with the same German reason, and nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.tests.admin_scope import form_data
from mitmachen.organisations.tests.factories import DistrictFactory
from mitmachen.polls import services
from mitmachen.polls.models import Answer, Option, Poll, Question, QuestionKind, Response
from mitmachen.polls.tests.factories import PollFactory, every_kind, full_answers, question

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def answered():
    poll = PollFactory()
    questions = every_kind(poll)
    district = DistrictFactory(organisation=poll.project.organisation)
    services.response_submit(user=UserFactory(), poll=poll, data=full_answers(questions, district))
    return poll, questions


def _inline_index(data, prefix, pk):
    return next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith(f"{prefix}-") and key.endswith("-id") and value == str(pk)
    )


def test_an_answered_question_is_not_deleted_from_the_poll_form(superuser_client, answered):
    poll, questions = answered
    url = reverse("admin:polls_poll_change", args=[poll.pk])
    data = form_data(superuser_client.get(url))
    target = questions["single"]
    data[f"questions-{_inline_index(data, 'questions', target.pk)}-DELETE"] = "on"
    answers = Answer.objects.count()
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert "hat schon Antworten und kann nicht gelöscht werden" in response.content.decode()
    assert Question.objects.filter(pk=target.pk).exists()
    assert Answer.objects.count() == answers


def test_an_unanswered_question_is_deleted_from_the_poll_form(superuser_client, answered):
    poll, _questions = answered
    extra = question(poll, QuestionKind.SINGLE, options=2, required=False)
    url = reverse("admin:polls_poll_change", args=[poll.pk])
    data = form_data(superuser_client.get(url))
    data[f"questions-{_inline_index(data, 'questions', extra.pk)}-DELETE"] = "on"
    assert superuser_client.post(url, data).status_code == 302
    assert not Question.objects.filter(pk=extra.pk).exists()


def test_answered_question_and_poll_have_no_delete(superuser_client, answered):
    poll, questions = answered
    for url in (
        reverse("admin:polls_question_delete", args=[questions["single"].pk]),
        reverse("admin:polls_poll_delete", args=[poll.pk]),
    ):
        assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    assert Poll.objects.filter(pk=poll.pk).exists()
    assert Response.objects.filter(poll=poll).count() == 1
    empty = PollFactory()
    url = reverse("admin:polls_poll_delete", args=[empty.pk])
    assert superuser_client.post(url, {"post": "yes"}).status_code == 302
    assert not Poll.objects.filter(pk=empty.pk).exists()


@pytest.mark.parametrize("kind", ["single", "ranking"])
def test_an_answered_option_is_not_renamed(superuser_client, answered, kind):
    _poll, questions = answered
    target = questions[kind]
    option = target.options.order_by("position").first()
    url = reverse("admin:polls_question_change", args=[target.pk])
    data = form_data(superuser_client.get(url))
    data[f"options-{_inline_index(data, 'options', option.pk)}-label"] = "Etwas ganz anderes"
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert "nicht mehr entfernen oder umbenennen" in response.content.decode()
    assert f"„{option.label}“" in response.content.decode()
    option.refresh_from_db()
    assert option.label != "Etwas ganz anderes"


def test_an_answered_ranking_gets_no_new_option_but_a_choice_does(superuser_client, answered):
    _poll, questions = answered
    for kind, refused in (("ranking", True), ("single", False)):
        target = questions[kind]
        url = reverse("admin:polls_question_change", args=[target.pk])
        data = form_data(superuser_client.get(url))
        before = target.options.count()
        index = int(data["options-TOTAL_FORMS"])
        data["options-TOTAL_FORMS"] = str(index + 1)
        data[f"options-{index}-label"] = "Neu dazu"
        data[f"options-{index}-position"] = "9"
        data[f"options-{index}-question"] = str(target.pk)
        response = superuser_client.post(url, data)
        if refused:
            # The page offers no new row (has_add_permission); a forged one is refused
            # by the rule or dropped by the formset: either way, nothing is added.
            assert response.status_code in (200, 302)
            assert target.options.count() == before
            assert not Option.objects.filter(question=target, label="Neu dazu").exists()
        else:
            assert response.status_code == 302
            assert Option.objects.filter(question=target, label="Neu dazu").exists()
