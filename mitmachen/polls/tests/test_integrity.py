"""What must hold when staff change a poll that already has answers."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.channels import Channel
from mitmachen.organisations.tests.factories import DistrictFactory, square
from mitmachen.polls import services
from mitmachen.polls.models import Participation, Poll, QuestionKind, ResultsVisibility
from mitmachen.polls.tests.factories import PollFactory, full_answers, question


def answer(poll, questions, district):
    services.response_submit(user=UserFactory(), poll=poll, data=full_answers(questions, district))


def test_the_ortsteil_question_offers_what_the_check_accepts(
    client, poll, questions, region, staff
):
    north = DistrictFactory(
        organisation=region["organisation"], name="Nord", geometry=square(12.02, 52.0)
    )
    poll.districts.set([region["west"], north])  # not the project's "Ost"
    client.force_login(staff)
    html = client.get(reverse("polls:detail", args=[poll.pk])).content.decode()
    assert ">Nord<" in html and ">West<" in html and ">Ost<" not in html
    printed = client.get(reverse("polls:print", args=[poll.pk])).content.decode()
    assert "Nord" in printed and "Ost" not in printed


def test_a_correction_keeps_an_ortsteil_that_is_no_longer_offered(
    client, poll, questions, region, staff
):
    batch = services.batch_create(
        user=staff,
        poll=poll,
        data=services.BatchData(channel=Channel.LETTER, collected_on=date.today()),
    )
    sheet = services.paper_response_create(
        user=staff, batch=batch, data=full_answers(questions, region["east"])
    )
    poll.districts.set([region["west"]])
    client.force_login(staff)
    html = client.get(reverse("polls:correct", args=[sheet.pk])).content.decode()
    assert f'value="{region["east"].pk}" selected' in html


def test_kind_poll_and_scale_are_fixed_once_answered(poll, questions, region):
    ranking = questions["single"]
    ranking.kind = QuestionKind.RANKING
    ranking.full_clean()  # no answers yet: fine
    answer(poll, questions, region["west"])
    for field, value in [
        ("kind", QuestionKind.RANKING),
        ("scale_max", 7),
        ("poll", PollFactory(project=poll.project)),
    ]:
        q = type(questions["scale"]).objects.get(pk=questions["scale"].pk)
        setattr(q, field, value)
        with pytest.raises(ValidationError, match="schon Antworten"):
            q.full_clean()
    unchanged = type(questions["scale"]).objects.get(pk=questions["scale"].pk)
    unchanged.text = "Neu formuliert?"
    unchanged.full_clean()  # wording may still be improved


def test_anonymity_and_project_are_fixed_once_someone_took_part(poll, questions, region):
    poll.anonymous = True
    poll.full_clean()
    answer(poll, questions, region["west"])
    poll = Poll.objects.get(pk=poll.pk)
    poll.anonymous = True
    with pytest.raises(ValidationError) as error:
        poll.full_clean()
    assert "anonymous" in error.value.message_dict


def test_a_second_submission_after_anonymity_was_switched_off_is_refused(poll, questions, region):
    Poll.objects.filter(pk=poll.pk).update(anonymous=True)
    poll.refresh_from_db()
    person = UserFactory()
    services.response_submit(user=person, poll=poll, data=full_answers(questions, region["west"]))
    # Switched in the database (the admin refuses it): no 500 for the person.
    Poll.objects.filter(pk=poll.pk).update(anonymous=False, allow_changes=True)
    poll.refresh_from_db()
    with pytest.raises(PermissionDenied, match="bereits teilgenommen"):
        services.response_submit(
            user=person, poll=poll, data=full_answers(questions, region["east"])
        )
    assert Participation.objects.count() == 1


def test_admin_deleting_a_question_updates_cached_results(
    client, poll, questions, region, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 60
    Poll.objects.filter(pk=poll.pk).update(results_visibility=ResultsVisibility.LIVE)
    answer(poll, questions, region["west"])
    # Asked after the answer was given: it has none, so the admin may delete it (an
    # answered question is refused there, as on the set-up page: test_admin_rules.py).
    late = question(poll, QuestionKind.YES_NO, text="Später ergänzte Frage?", required=False)
    url = reverse("polls:results", args=[poll.pk])
    assert late.text in client.get(url).content.decode()
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    delete = reverse("admin:polls_question_delete", args=[late.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete, {"post": "yes"}).status_code == 302
    client.logout()
    assert late.text not in client.get(url).content.decode()


def test_a_poll_with_paper_and_its_project_can_be_deleted(poll, questions, region, staff):
    batch = services.batch_create(
        user=staff,
        poll=poll,
        data=services.BatchData(channel=Channel.WORKSHOP, collected_on=date.today()),
    )
    services.paper_response_create(
        user=staff, batch=batch, data=full_answers(questions, region["west"])
    )
    project = poll.project
    other = PollFactory(project=project)
    question(other, QuestionKind.YES_NO)
    poll.delete()
    assert not Poll.objects.filter(pk=poll.pk).exists()
    project.delete()
    assert not Poll.objects.exists()


def test_whoever_corrected_a_sheet_cannot_check_the_batch(
    poll, questions, region, staff, second_staff
):
    batch = services.batch_create(
        user=staff,
        poll=poll,
        data=services.BatchData(channel=Channel.WORKSHOP, collected_on=date.today()),
    )
    sheet = services.paper_response_create(
        user=staff, batch=batch, data=full_answers(questions, region["west"])
    )
    services.paper_response_update(
        user=second_staff,
        response=sheet,
        data=full_answers(questions, region["east"]),
        reason="Ortsteil vertauscht",
    )
    with pytest.raises(PermissionDenied, match="andere Person"):
        services.batch_check(user=second_staff, batch=batch)
