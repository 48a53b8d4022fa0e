"""Bad input through the pages: a clear German message, nothing stored, never a 500.

test_services covers the same rules one level down; here everything arrives as a
browser (or someone imitating one) would send it. The test client re-raises any
exception in a view, so a 500 fails the test by itself.
"""

from __future__ import annotations

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from mitmachen.core.channels import Channel
from mitmachen.organisations.tests.factories import DistrictFactory
from mitmachen.polls import services
from mitmachen.polls.models import (
    Answer,
    Eligibility,
    Participation,
    Poll,
    QuestionKind,
    Response,
)
from mitmachen.polls.tests.factories import (
    PollFactory,
    full_answers,
    options,
    post_data,
    question,
)

WRONG_OPTION = "Diese Antwort gibt es bei dieser Frage nicht."


def detail(poll):
    return reverse("polls:detail", args=[poll.pk])


def stored():
    return (Response.objects.count(), Participation.objects.count(), Answer.objects.count())


def messages_on(client, poll):
    return [str(m) for m in client.get(detail(poll)).context["messages"]]


def ranking_places(q, places):
    return {f"{q.field_name()}-{oid}": str(p) for oid, p in zip(options(q), places, strict=True)}


# Each case: (question, how the form is changed, the message at that question)
FORM_CASES = {
    "required_single_missing": ("single", "drop", "Bitte beantworten Sie diese Frage."),
    "required_multiple_missing": ("multiple", "drop", "Bitte beantworten Sie diese Frage."),
    "scale_below_range": ("scale", "0", "Bitte wählen Sie einen Wert von 1 bis 5."),
    "scale_above_range": ("scale", "6", "Bitte wählen Sie einen Wert von 1 bis 5."),
    "scale_negative": ("scale", "-3", "Bitte wählen Sie einen Wert von 1 bis 5."),
    "scale_not_a_number": ("scale", "drei", WRONG_OPTION),
    "scale_fraction": ("scale", "4.5", WRONG_OPTION),
    "scale_endless_digits": ("scale", "9" * 5000, WRONG_OPTION),
    "single_option_of_another_question": ("single", "other_question", WRONG_OPTION),
    "single_option_of_another_poll": ("single", "other_poll", WRONG_OPTION),
    "single_huge_number": ("single", "9" * 30, WRONG_OPTION),
    "multiple_with_a_foreign_option": ("multiple", "own_and_foreign", WRONG_OPTION),
    "multiple_same_option_twice": (
        "multiple",
        "twice",
        "Jede Antwort kann nur einmal gewählt werden.",
    ),
    "multiple_too_many": ("multiple", "three", "Bitte wählen Sie höchstens 2 Antworten."),
    "yes_no_with_an_age_group_option": ("yes_no", "age_option", WRONG_OPTION),
    "ranking_place_out_of_range": ("ranking", [1, 2, 4], "Bitte vergeben Sie die Plätze 1 bis 3."),
    "ranking_place_zero": ("ranking", [0, 1, 2], "Bitte vergeben Sie die Plätze 1 bis 3."),
    "ranking_place_twice": ("ranking", [1, 1, 2], "Jeder Platz darf nur einmal vergeben werden."),
    "ranking_incomplete": (
        "ranking",
        [1, 2, ""],
        "Bitte bringen Sie alle 3 Antworten in eine Reihenfolge.",
    ),
    "ranking_place_not_a_number": (
        "ranking",
        ["erster", 2, 3],
        "Bitte wählen Sie für jede Antwort einen Platz aus der Liste.",
    ),
    "district_of_another_municipality": ("district", "foreign_district", WRONG_OPTION),
    "short_text_too_long": (
        "short_text",
        "x" * 51,
        "Bitte schreiben Sie höchstens 50 Zeichen (jetzt: 51).",
    ),
    "text_with_nul": ("long_text", "Bank\x00am Markt", "Der Text enthält ungültige Zeichen."),
    "age_group_not_a_number": ("age_group", "alt", WRONG_OPTION),
}


@pytest.mark.parametrize("case", list(FORM_CASES))
def test_bad_form_input_is_refused_in_german(client, poll, questions, region, user, case):
    kind, change, message = FORM_CASES[case]
    q = questions[kind]
    data = post_data(questions, full_answers(questions, region["west"]))
    name = q.field_name()
    if change == "drop":
        del data[name]
    elif change == "other_question":
        data[name] = str(options(questions["yes_no"])[0])
    elif change == "other_poll":
        other = question(PollFactory(project=poll.project), QuestionKind.SINGLE, options=2)
        data[name] = str(options(other)[0])
    elif change == "own_and_foreign":
        data[name] = [str(options(q)[0]), str(options(questions["single"])[0])]
    elif change == "twice":
        data[name] = [str(options(q)[0])] * 2
    elif change == "three":
        data[name] = [str(o) for o in options(q)[:3]]
    elif change == "age_option":
        data[name] = str(options(questions["age_group"])[0])
    elif change == "foreign_district":
        data[name] = str(DistrictFactory().pk)
    elif isinstance(change, list):
        data.update(ranking_places(q, change))
    else:
        data[name] = change
    client.force_login(user)
    before = stored()
    response = client.post(detail(poll), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte prüfen Sie Ihre Eingaben." in html
    assert message in html
    errors = {f.question.pk: f.error for f in response.context["fields"] if f.error}
    assert errors == {q.pk: message}
    assert stored() == before
    # The person may try again: nothing counts as answered.
    assert "Antworten absenden" in html


def test_every_problem_is_shown_at_once(client, poll, questions, region, user):
    data = post_data(questions, full_answers(questions, region["west"]))
    data[questions["scale"].field_name()] = "0"
    data[questions["single"].field_name()] = "keine Zahl"
    del data[questions["yes_no"].field_name()]
    client.force_login(user)
    response = client.post(detail(poll), data)
    assert response.status_code == 400
    errors = {f.question.pk for f in response.context["fields"] if f.error}
    assert errors == {questions["scale"].pk, questions["single"].pk, questions["yes_no"].pk}
    assert not Response.objects.exists()


def test_an_empty_form_is_refused(client, poll, user):
    question(poll, QuestionKind.SHORT_TEXT, required=False)
    client.force_login(user)
    response = client.post(detail(poll), {})
    assert response.status_code == 400
    assert "Bitte beantworten Sie mindestens eine Frage." in response.content.decode()
    assert stored() == (0, 0, 0)


# --- the poll does not take answers -------------------------------------------------------


@pytest.mark.parametrize("how", ["closed_early", "phase_ended"])
def test_answers_after_closing_are_refused(client, poll, questions, region, user, staff, how):
    data = post_data(questions, full_answers(questions, region["west"]))
    client.force_login(user)
    assert client.get(detail(poll)).status_code == 200  # the form was open
    if how == "closed_early":
        services.poll_close(user=staff, poll=poll)
    else:
        poll.phase.end = timezone.now() - timedelta(seconds=1)
        poll.phase.start = poll.phase.end - timedelta(days=3)
        poll.phase.save()
    response = client.post(detail(poll), data)
    assert response.status_code == 302 and response.url == detail(poll)
    assert messages_on(client, poll) == [
        "Diese Umfrage ist beendet. Antworten sind nicht mehr möglich."
    ]
    assert stored() == (0, 0, 0)


def test_post_to_an_unpublished_poll(client, poll, questions, region, user, staff):
    Poll.objects.filter(pk=poll.pk).update(is_published=False)
    data = post_data(questions, full_answers(questions, region["west"]))
    assert client.post(detail(poll), data).status_code == 404
    client.force_login(user)
    assert client.post(detail(poll), data).status_code == 404
    client.force_login(staff)  # staff see the preview, but nobody answers yet
    response = client.post(detail(poll), data)
    assert response.status_code == 302
    assert messages_on(client, poll) == ["Diese Umfrage ist noch nicht veröffentlicht."]
    assert stored() == (0, 0, 0)


def test_post_to_a_missing_poll_is_a_404(client, user):
    client.force_login(user)
    assert client.post(reverse("polls:detail", args=[987654]), {}).status_code == 404


# --- guest tokens ---------------------------------------------------------------------------


@pytest.fixture
def guest_poll(poll):
    poll.eligibility = Eligibility.GUESTS
    poll.save()
    q = question(poll, QuestionKind.YES_NO)
    return poll, q


def expired_token(poll):
    """A token made 25 hours ago (tokens last a day)."""
    past = time.time() - services.GUEST_TOKEN_MAX_AGE - 3600
    with mock.patch("django.core.signing.time.time", return_value=past):
        return services.guest_token(poll)


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("missing", "Das Formular ist ungültig."),
        ("empty", "Das Formular ist ungültig."),
        ("garbage", "Das Formular ist ungültig."),
        ("cut", "Das Formular ist ungültig."),
        ("edited", "Das Formular ist ungültig."),
        ("other_poll", "Das Formular gehört zu einer anderen Umfrage."),
        ("expired", "Das Formular ist abgelaufen."),
    ],
)
def test_bad_guest_tokens(client, guest_poll, token, message):
    poll, q = guest_poll
    good = services.guest_token(poll)
    value = {
        "missing": None,
        "empty": "",
        "garbage": "x.y.z",
        "cut": good[: len(good) // 2],
        "edited": good.replace(good.split(":")[0], good.split(":")[0][::-1], 1),
        "other_poll": services.guest_token(PollFactory(project=poll.project)),
        "expired": expired_token(poll),
    }[token]
    data = {q.field_name(): str(options(q)[0])}
    if value is not None:
        data["gast"] = value
    response = client.post(detail(poll), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored() == (0, 0, 0)
    # The page hands out a fresh token with the message, so the guest can send again.
    fresh = response.context["guest_token"]
    assert fresh and fresh != value
    assert client.post(detail(poll), {**data, "gast": fresh}).status_code == 302
    assert stored() == (1, 1, 1)


def test_expired_token_is_refused_by_the_service_too(guest_poll):
    poll, q = guest_poll
    with pytest.raises(PermissionDenied, match="abgelaufen"):
        services.response_submit(
            user=AnonymousUser(),
            poll=poll,
            data={q.pk: options(q)[0]},
            guest_token_value=expired_token(poll),
        )
    # A day is enough: a token from 23 hours ago still works.
    recent = time.time() - services.GUEST_TOKEN_MAX_AGE + 3600
    with mock.patch("django.core.signing.time.time", return_value=recent):
        token = services.guest_token(poll)
    services.response_submit(
        user=AnonymousUser(), poll=poll, data={q.pk: options(q)[0]}, guest_token_value=token
    )
    assert stored() == (1, 1, 1)


# --- staff pages ------------------------------------------------------------------------------


@pytest.fixture
def batch(poll, staff):
    return services.batch_create(
        user=staff,
        poll=poll,
        data=services.BatchData(channel=Channel.LETTER, collected_on=timezone.localdate()),
    )


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("scale", "acht", WRONG_OPTION),
        ("scale", "8", "Bitte wählen Sie einen Wert von 1 bis 5."),
        ("single", "other_question", WRONG_OPTION),
        ("short_text", "Bank\x00", "Der Text enthält ungültige Zeichen."),
    ],
)
def test_bad_paper_entry(client, poll, questions, staff, batch, kind, value, message):
    if value == "other_question":
        value = str(options(questions["ranking"])[0])
    client.force_login(staff)
    response = client.post(
        reverse("polls:batch", args=[batch.pk]), {questions[kind].field_name(): value}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored() == (0, 0, 0)


def test_bad_correction_changes_nothing(client, poll, questions, staff, batch):
    response = services.paper_response_create(
        user=staff, batch=batch, data={questions["scale"].pk: 3}
    )
    client.force_login(staff)
    url = reverse("polls:correct", args=[response.pk])
    bad = client.post(url, {questions["scale"].field_name(): "30", "reason": "Tippfehler"})
    assert bad.status_code == 400
    assert "Bitte wählen Sie einen Wert von 1 bis 5." in bad.content.decode()
    empty = client.post(url, {"reason": "Tippfehler"})
    assert empty.status_code == 400
    assert "Der Bogen ist leer" in empty.content.decode()
    assert Answer.objects.get(response=response).number == 3
    assert not response.corrections.exists()


@pytest.mark.parametrize("value", ["", "abc", "1.5", "-1", "\x00", "9" * 30])
def test_text_review_with_a_bad_answer_id_is_a_404(client, poll, questions, staff, value):
    client.force_login(staff)
    response = client.post(
        reverse("polls:texts", args=[poll.pk]), {"antwort": value, "entscheidung": "approved"}
    )
    assert response.status_code == 404
