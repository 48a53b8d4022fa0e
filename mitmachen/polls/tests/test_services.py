from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.channels import Channel
from mitmachen.polls import services
from mitmachen.polls.models import (
    Answer,
    Correction,
    Eligibility,
    Participation,
    QuestionKind,
    Response,
    TextReview,
)
from mitmachen.polls.services import AnswerError, BatchData
from mitmachen.polls.tests.factories import (
    OptionFactory,
    PollFactory,
    full_answers,
    options,
    question,
)
from mitmachen.projects.models import Visibility
from mitmachen.projects.tests.factories import PhaseFactory


def submit(user, poll, data, **kwargs):
    return services.response_submit(user=user, poll=poll, data=data, **kwargs)


def test_every_kind_is_stored(poll, questions, region, user):
    answers = full_answers(questions, region["west"])
    response, created = submit(user, poll, answers)
    assert created
    assert response.channel == Channel.ONLINE
    assert response.district == region["west"]
    assert response.participation.user == user
    stored = services.answers_of(
        Response.objects.prefetch_related("answers").get(pk=response.pk),
        services.questions_of(poll),
    )
    assert stored == answers
    ranking = Answer.objects.filter(question=questions["ranking"]).order_by("number")
    assert [a.option_id for a in ranking] == list(reversed(options(questions["ranking"])))
    assert [a.number for a in ranking] == [1, 2, 3]
    texts = Answer.objects.filter(question__kind__in=["short_text", "long_text"])
    assert {a.review for a in texts} == {TextReview.PENDING}


def test_yes_no_and_age_group_have_their_fixed_options(questions):
    assert [o.label for o in questions["yes_no"].options.all()] == ["Ja", "Nein", "Enthaltung"]
    assert questions["age_group"].options.count() == 6


def test_second_response_refused(poll, questions, region, user):
    submit(user, poll, full_answers(questions, region["west"]))
    with pytest.raises(PermissionDenied, match="bereits teilgenommen"):
        submit(user, poll, full_answers(questions, region["east"]))
    assert Response.objects.count() == 1
    assert Response.objects.get().district == region["west"]


def test_changing_answers_replaces_them(poll, questions, region, user):
    poll.allow_changes = True
    poll.save()
    first, _ = submit(user, poll, full_answers(questions, region["west"]))
    changed = full_answers(questions, region["east"])
    changed[questions["scale"].pk] = 1
    second, created = submit(user, poll, changed)
    assert not created and second.pk == first.pk
    assert Response.objects.count() == 1
    assert Response.objects.get().district == region["east"]
    assert Answer.objects.get(question=questions["scale"]).number == 1
    assert services.own_answers(user, poll) == changed


def test_anonymous_response_has_no_link_to_the_person(poll, questions, region, user):
    poll.anonymous = True
    poll.save()
    response, _ = submit(user, poll, full_answers(questions, region["west"]))
    assert response.participation is None
    assert Participation.objects.get(poll=poll).user == user
    with pytest.raises(PermissionDenied):
        submit(user, poll, full_answers(questions, region["west"]))
    assert Response.objects.count() == 1
    assert services.own_answers(user, poll) is None


def test_anonymous_and_changeable_cannot_be_combined(poll):
    poll.anonymous = True
    poll.allow_changes = True
    with pytest.raises(ValidationError):
        poll.full_clean()


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("single", "other-question", "gibt es bei dieser Frage nicht"),
        ("single", 999_999, "gibt es bei dieser Frage nicht"),
        ("multiple", [], "Bitte beantworten"),
        ("multiple", "three", "höchstens 2"),
        ("scale", 6, "von 1 bis 5"),
        ("scale", 0, "von 1 bis 5"),
        ("ranking", "partial", "alle 3 Antworten"),
        ("ranking", "duplicate", "nur einmal"),
        ("short_text", "x" * 51, "höchstens 50 Zeichen"),
        ("district", "foreign", "gibt es bei dieser Frage nicht"),
        ("yes_no", None, "Bitte beantworten"),
    ],
)
def test_bad_answers_store_nothing(poll, questions, region, user, kind, value, message):
    answers = full_answers(questions, region["west"])
    q = questions[kind]
    if value == "other-question":
        value = options(questions["ranking"])[0]
    elif value == "three":
        value = options(q)[:3]
    elif value == "partial":
        value = options(q)[:2]
    elif value == "duplicate":
        value = [options(q)[0], options(q)[0], options(q)[1]]
    elif value == "foreign":
        from mitmachen.organisations.tests.factories import DistrictFactory

        value = DistrictFactory().pk
    answers[q.pk] = value
    with pytest.raises(AnswerError) as error:
        submit(user, poll, answers)
    assert message in error.value.by_question[q.pk]
    assert not Response.objects.exists()
    assert not Participation.objects.exists()
    assert not Answer.objects.exists()


def test_unknown_question_is_refused(poll, questions, region, user):
    other = question(PollFactory(project=poll.project), QuestionKind.SCALE)
    answers = full_answers(questions, region["west"])
    answers[other.pk] = 3
    with pytest.raises(AnswerError) as error:
        submit(user, poll, answers)
    assert "passen nicht" in error.value.by_question[0]
    assert not Response.objects.exists()


def test_all_blank_optional_poll_is_refused(poll, user):
    question(poll, QuestionKind.SHORT_TEXT, required=False)
    with pytest.raises(AnswerError) as error:
        submit(user, poll, {})
    assert "mindestens eine Frage" in error.value.by_question[0]


def test_closed_poll_takes_no_answers(poll, questions, region, user, staff):
    services.poll_close(user=staff, poll=poll)
    poll.refresh_from_db()
    with pytest.raises(PermissionDenied, match="beendet"):
        submit(user, poll, full_answers(questions, region["west"]))
    assert not Response.objects.exists()


def test_poll_in_a_phase_without_answering_is_closed_for_answers(project, user):
    phase = PhaseFactory(project=project, actions=["comment"])
    poll = PollFactory(project=project, phase=phase)
    q = question(poll, QuestionKind.YES_NO)
    with pytest.raises(PermissionDenied, match="keine Antworten"):
        submit(user, poll, {q.pk: options(q)[0]})


def test_ended_phase_closes_the_poll(project, user):
    now = timezone.now()
    phase = PhaseFactory(
        project=project,
        actions=["answer"],
        start=now - timedelta(days=10),
        end=now - timedelta(seconds=1),
    )
    poll = PollFactory(project=project, phase=phase)
    assert poll.is_closed() and not poll.is_open()
    assert poll.results_are_public()


def test_draft_project_or_unpublished_poll_takes_no_answers(poll, questions, region, user):
    poll.is_published = False
    poll.save()
    with pytest.raises(PermissionDenied, match="nicht veröffentlicht"):
        submit(user, poll, full_answers(questions, region["west"]))
    poll.is_published = True
    poll.save()
    poll.project.visibility = Visibility.DRAFT
    poll.project.save()
    with pytest.raises(PermissionDenied):
        submit(user, poll, full_answers(questions, region["west"]))


def test_eligibility_rules(poll, region):
    q = question(poll, QuestionKind.YES_NO)
    yes = {q.pk: options(q)[0]}
    poll.eligibility = Eligibility.VERIFIED
    poll.save()
    with pytest.raises(PermissionDenied, match="bestätigtem Wohnsitz"):
        submit(UserFactory(), poll, yes)
    submit(UserFactory(is_verified_resident=True), poll, yes)

    poll.eligibility = Eligibility.RESIDENTS
    poll.save()
    poll.districts.set([region["west"]])
    with pytest.raises(PermissionDenied, match="Ortsteile"):
        submit(UserFactory(home_district=region["east"]), poll, yes)
    with pytest.raises(PermissionDenied, match="Ortsteile"):
        submit(UserFactory(), poll, yes)
    submit(UserFactory(home_district=region["west"]), poll, yes)
    assert Response.objects.count() == 2


def test_guest_token_answers_once(poll):
    poll.eligibility = Eligibility.GUESTS
    poll.save()
    q = question(poll, QuestionKind.YES_NO)
    from django.contrib.auth.models import AnonymousUser

    guest = AnonymousUser()
    token = services.guest_token(poll)
    submit(guest, poll, {q.pk: options(q)[0]}, guest_token_value=token)
    with pytest.raises(PermissionDenied, match="bereits teilgenommen"):
        submit(guest, poll, {q.pk: options(q)[1]}, guest_token_value=token)
    submit(guest, poll, {q.pk: options(q)[1]}, guest_token_value=services.guest_token(poll))
    assert Response.objects.count() == 2
    assert Participation.objects.filter(user__isnull=True).count() == 2


@pytest.mark.parametrize("tamper", ["missing", "garbage", "edited", "other_poll"])
def test_tampered_guest_token_is_refused(poll, tamper):
    poll.eligibility = Eligibility.GUESTS
    poll.save()
    q = question(poll, QuestionKind.YES_NO)
    from django.contrib.auth.models import AnonymousUser

    token = {
        "missing": None,
        "garbage": "abc",
        "edited": services.guest_token(poll)[:-2] + "xx",
        "other_poll": services.guest_token(PollFactory(project=poll.project)),
    }[tamper]
    with pytest.raises(PermissionDenied, match="Formular"):
        submit(AnonymousUser(), poll, {q.pk: options(q)[0]}, guest_token_value=token)
    assert not Response.objects.exists()
    assert not Participation.objects.exists()


def test_registered_poll_refuses_guests(poll):
    from django.contrib.auth.models import AnonymousUser

    q = question(poll, QuestionKind.YES_NO)
    with pytest.raises(PermissionDenied, match="melden Sie sich an"):
        submit(
            AnonymousUser(),
            poll,
            {q.pk: options(q)[0]},
            guest_token_value=services.guest_token(poll),
        )


def test_blocked_person_takes_no_part(poll, region):
    from mitmachen.moderation.models import Block

    blocked = UserFactory()
    Block.objects.create(organisation=region["organisation"], user=blocked, reason="Spam")
    q = question(poll, QuestionKind.YES_NO)
    with pytest.raises(PermissionDenied, match="gesperrt"):
        submit(blocked, poll, {q.pk: options(q)[0]})


# --- paper ------------------------------------------------------------------------------


def batch(poll, staff, channel=Channel.MARKET_STAND):
    return services.batch_create(
        user=staff,
        poll=poll,
        data=BatchData(channel=channel, collected_on=timezone.localdate(), place="Marktplatz"),
    )


def test_paper_entry_accepts_missing_required_answers(poll, questions, staff):
    paper = batch(poll, staff)
    response = services.paper_response_create(
        user=staff, batch=paper, data={questions["scale"].pk: 2}
    )
    assert response.channel == Channel.MARKET_STAND
    assert response.entered_by == staff
    assert response.participation is None
    assert Answer.objects.get(response=response).number == 2


def test_paper_entry_checks_values_and_refuses_empty(poll, questions, staff):
    paper = batch(poll, staff)
    with pytest.raises(AnswerError):
        services.paper_response_create(user=staff, batch=paper, data={questions["scale"].pk: 9})
    with pytest.raises(AnswerError, match="leer"):
        services.paper_response_create(user=staff, batch=paper, data={})
    assert not Response.objects.exists()


def test_paper_entry_needs_staff(poll, questions, staff, user):
    paper = batch(poll, staff)
    with pytest.raises(PermissionDenied):
        services.paper_response_create(user=user, batch=paper, data={questions["scale"].pk: 2})
    with pytest.raises(PermissionDenied):
        batch(poll, user)


def test_batch_refuses_online_channel_and_future_dates(poll, staff):
    with pytest.raises(ValidationError):
        batch(poll, staff, channel=Channel.ONLINE)
    with pytest.raises(ValidationError):
        services.batch_create(
            user=staff,
            poll=poll,
            data=BatchData(
                channel=Channel.LETTER, collected_on=timezone.localdate() + timedelta(days=2)
            ),
        )


def test_paper_entry_after_close_is_possible(poll, questions, staff):
    services.poll_close(user=staff, poll=poll)
    poll.refresh_from_db()
    paper = batch(poll, staff, channel=Channel.LETTER)
    services.paper_response_create(user=staff, batch=paper, data={questions["scale"].pk: 5})
    assert Response.objects.filter(channel=Channel.LETTER).count() == 1


def test_second_person_checks_a_batch(poll, questions, staff, second_staff):
    paper = batch(poll, staff)
    with pytest.raises(ValidationError):
        services.batch_check(user=second_staff, batch=paper)
    services.paper_response_create(user=staff, batch=paper, data={questions["scale"].pk: 3})
    with pytest.raises(PermissionDenied, match="andere Person"):
        services.batch_check(user=staff, batch=paper)
    services.batch_check(user=second_staff, batch=paper)
    paper.refresh_from_db()
    assert paper.checked_by == second_staff and paper.is_checked
    # A new questionnaire in the batch needs a new check.
    services.paper_response_create(user=staff, batch=paper, data={questions["scale"].pk: 1})
    paper.refresh_from_db()
    assert not paper.is_checked


def test_corrections_are_logged(poll, questions, staff, second_staff):
    paper = batch(poll, staff)
    response = services.paper_response_create(
        user=staff, batch=paper, data={questions["scale"].pk: 3}
    )
    with pytest.raises(ValidationError):
        services.paper_response_update(
            user=second_staff, response=response, data={questions["scale"].pk: 4}, reason=" "
        )
    correction = services.paper_response_update(
        user=second_staff,
        response=response,
        data={questions["scale"].pk: 4, questions["short_text"].pk: "Radweg"},
        reason="Tippfehler",
    )
    assert correction.before == {str(questions["scale"].pk): 3}
    assert correction.after == {
        str(questions["scale"].pk): 4,
        str(questions["short_text"].pk): "Radweg",
    }
    assert correction.corrected_by == second_staff
    deleted = services.paper_response_delete(
        user=staff, response=response, reason="doppelt erfasst"
    )
    assert deleted.after == {} and deleted.before[str(questions["scale"].pk)] == 4
    assert not Response.objects.exists()
    assert Correction.objects.count() == 2


def test_online_responses_cannot_be_corrected(poll, questions, region, user, staff):
    response, _ = submit(user, poll, full_answers(questions, region["west"]))
    with pytest.raises(PermissionDenied):
        services.paper_response_update(user=staff, response=response, data={}, reason="x")
    with pytest.raises(PermissionDenied):
        services.paper_response_delete(user=staff, response=response, reason="x")


def test_question_move(poll, staff, user):
    first = question(poll, QuestionKind.YES_NO, position=0)
    second = question(poll, QuestionKind.YES_NO, position=1)
    third = question(poll, QuestionKind.YES_NO, position=2)
    services.question_move(user=staff, question=third, up=True)
    assert [q.pk for q in services.questions_of(poll)] == [first.pk, third.pk, second.pk]
    services.question_move(user=staff, question=first, up=True)  # already first: no change
    assert [q.pk for q in services.questions_of(poll)] == [first.pk, third.pk, second.pk]
    with pytest.raises(PermissionDenied):
        services.question_move(user=user, question=first, up=False)


def test_text_review(poll, questions, region, user, staff):
    submit(user, poll, full_answers(questions, region["west"]))
    answer = Answer.objects.get(question=questions["short_text"])
    with pytest.raises(PermissionDenied):
        services.text_review(user=user, answer=answer, review=TextReview.APPROVED)
    with pytest.raises(ValidationError):
        services.text_review(user=staff, answer=answer, review="published!")
    services.text_review(user=staff, answer=answer, review=TextReview.APPROVED)
    answer.refresh_from_db()
    assert answer.review == TextReview.APPROVED
    scale = Answer.objects.get(question=questions["scale"])
    with pytest.raises(ValidationError):
        services.text_review(user=staff, answer=scale, review=TextReview.APPROVED)


def test_close_notifies_participants(
    poll, questions, region, user, staff, django_capture_on_commit_callbacks
):
    from mitmachen.notifications.models import Notification

    submit(user, poll, full_answers(questions, region["west"]))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.poll_close(user=staff, poll=poll)
    assert not services.poll_close(user=staff, poll=poll)
    assert Notification.objects.filter(recipient=user).count() == 1
    with pytest.raises(PermissionDenied):
        services.poll_close(user=user, poll=PollFactory(project=poll.project))


def test_option_image_needs_alt_text(poll):
    option = OptionFactory(question=question(poll, QuestionKind.SINGLE))
    option.image = "polls/bild.jpg"
    with pytest.raises(ValidationError):
        option.full_clean()
