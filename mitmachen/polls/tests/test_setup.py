"""Setting up surveys in the site (polls.setup_views): permissions, scoped choices, every
question kind, the refusals that protect stored answers, bad input and query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.tests.factories import (
    DistrictFactory,
)
from mitmachen.polls.models import Answer, Option, Poll, Question, QuestionKind, Response
from mitmachen.polls.tests.factories import OptionFactory, PollFactory, QuestionFactory
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
from mitmachen.projects.tests.staff_matrix import assert_matrix, led_project, staff_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    town = led_project()
    start = timezone.now() + timedelta(days=10)
    town["phase"] = PhaseFactory(
        project=town["project"],
        name="Umfragephase",
        start=start,
        end=start + timedelta(days=5),
        actions=["answer"],
    )
    town["poll"] = PollFactory(project=town["project"], phase=town["phase"], title="Eigene Umfrage")
    town["question"] = QuestionFactory(
        poll=town["poll"], kind=QuestionKind.SINGLE, text="Welche Farbe?"
    )
    for i, label in enumerate(("Rot", "Blau")):
        OptionFactory(question=town["question"], label=label, position=i)
    return town


def _people(town):
    return staff_people(town["home"], town["other"], town["manager"])


def _pages(town):
    slug, poll, question = town["project"].slug, town["poll"].pk, town["question"].pk
    return [
        ("GET", reverse("dashboard:project_setup", args=[slug]), {}),
        ("GET", reverse("polls:setup_new", args=[slug]), {}),
        ("GET", reverse("polls:setup", args=[poll]), {}),
        ("GET", reverse("polls:setup_edit", args=[poll]), {}),
        ("GET", reverse("polls:question_new", args=[poll]), {}),
        ("GET", reverse("polls:question_edit", args=[question]), {}),
        ("GET", reverse("polls:question_delete", args=[question]), {}),
        ("POST", reverse("polls:question_move", args=[question]), {"richtung": "unten"}),
    ]


def test_permission_matrix(client, town):
    assert_matrix(client, _people(town), _pages(town))


def test_the_overview_lists_the_projects_surveys(client, town):
    client.force_login(town["manager"])
    content = client.get(reverse("dashboard:project_setup", args=["geleitet"])).content.decode()
    assert "3. Inhalte der Phasen" in content
    assert "Eigene Umfrage" in content and "1 Frage" in content
    assert reverse("polls:setup_new", args=["geleitet"]) in content


def test_another_municipalitys_poll_and_project_are_refused(client, town):
    client.force_login(town["manager"])
    foreign_poll = PollFactory(project=town["foreign"])
    assert client.get(reverse("polls:setup_new", args=["fremd"])).status_code == 403
    assert client.get(reverse("polls:setup", args=[foreign_poll.pk])).status_code == 403
    assert client.get(reverse("polls:question_new", args=[foreign_poll.pk])).status_code == 403


POLL = {
    "title": "Neue Umfrage",
    "kind": "survey",
    "eligibility": "registered",
    "results_visibility": "after_close",
}


def test_no_choice_list_offers_another_municipalitys_rows(client, town):
    DistrictFactory(organisation=town["home"], name="Eigener Ortsteil")
    foreign_district = DistrictFactory(organisation=town["other"], name="Fremder Ortsteil")
    foreign_phase = PhaseFactory(project=town["foreign"], name="Fremde Phase")
    client.force_login(town["manager"])
    for url in (
        reverse("polls:setup_new", args=["geleitet"]),
        reverse("polls:setup_edit", args=[town["poll"].pk]),
    ):
        content = client.get(url).content.decode()
        assert "Eigener Ortsteil" in content and "Umfragephase" in content, url
        assert "Fremder Ortsteil" not in content and "Fremde Phase" not in content, url
    before = Poll.objects.count()
    for forged in (
        {"phase": foreign_phase.pk},
        {"phase": town["phase"].pk, "districts": [foreign_district.pk]},
    ):
        response = client.post(reverse("polls:setup_new", args=["geleitet"]), {**POLL, **forged})
        assert response.status_code == 200
        assert "Bitte eine gültige Auswahl treffen" in response.content.decode()
    assert Poll.objects.count() == before


def test_a_manager_builds_a_survey_with_every_question_kind(client, town):
    client.force_login(town["manager"])
    response = client.post(
        reverse("polls:setup_new", args=["geleitet"]),
        {**POLL, "phase": town["phase"].pk, "is_published": "on", "intro": "## Hallo"},
    )
    poll = Poll.objects.get(title="Neue Umfrage")
    assert response.status_code == 302 and response["Location"] == reverse(
        "polls:setup", args=[poll.pk]
    )
    assert poll.is_published and poll.phase == town["phase"] and poll.project == town["project"]
    url = reverse("polls:question_new", args=[poll.pk])
    kinds = {
        "single": {"options": "Ja, gern\nLieber nicht"},
        "multiple": {"options": "A\nB\nC", "min_choices": "1", "max_choices": "2"},
        "yes_no": {},
        "scale": {"scale_min": "1", "scale_max": "5", "scale_min_label": "schlecht"},
        "ranking": {"options": "Bank\nBaum\nBrunnen"},
        "short_text": {"max_length": "80"},
        "long_text": {},
        "district": {},
        "age_group": {},
    }
    for kind, extra in kinds.items():
        response = client.post(
            url, {"kind": kind, "text": f"Frage {kind}?", "required": "on", **extra}
        )
        assert response.status_code == 302, (kind, response.content.decode()[:3000])
    questions = list(poll.questions.order_by("position"))
    assert [q.kind for q in questions] == list(kinds)
    assert [q.position for q in questions] == list(range(len(kinds)))
    by_kind = {q.kind: q for q in questions}
    assert [o.label for o in by_kind["single"].options.all()] == ["Ja, gern", "Lieber nicht"]
    assert (by_kind["multiple"].min_choices, by_kind["multiple"].max_choices) == (1, 2)
    assert [o.label for o in by_kind["yes_no"].options.all()] == ["Ja", "Nein", "Enthaltung"]
    assert by_kind["age_group"].options.count() == 6
    assert by_kind["scale"].scale_min_label == "schlecht"
    assert by_kind["short_text"].max_length == 80
    assert not by_kind["district"].options.exists()
    # Reorder and edit: options are kept by label, new ones added, order follows the text.
    ranking = by_kind["ranking"]
    kept = {o.label: o.pk for o in ranking.options.all()}
    client.post(
        reverse("polls:question_edit", args=[ranking.pk]),
        {"kind": "ranking", "text": "Was zuerst?", "options": "Brunnen\nBank\nBaum\nBeet"},
    )
    ranking.refresh_from_db()
    assert ranking.text == "Was zuerst?" and not ranking.required
    assert [(o.label, o.pk) for o in ranking.options.all()][:3] == [
        ("Brunnen", kept["Brunnen"]),
        ("Bank", kept["Bank"]),
        ("Baum", kept["Baum"]),
    ]
    move = reverse("polls:question_move", args=[questions[0].pk])
    client.post(move, {"richtung": "unten"})
    assert list(poll.questions.order_by("position").values_list("kind", flat=True))[:2] == [
        "multiple",
        "single",
    ]
    client.post(reverse("polls:question_delete", args=[by_kind["long_text"].pk]))
    assert list(poll.questions.order_by("position").values_list("position", flat=True)) == list(
        range(len(kinds) - 1)
    )
    # The residents' questionnaire shows them.
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "Was zuerst?" in page and "Frage long_text?<" not in page


def _answer(question, option=None):
    response = Response.objects.create(poll=question.poll)
    Answer.objects.create(response=response, question=question, option=option)


def test_changes_that_would_miscount_stored_answers_are_refused_in_german(client, town):
    question = town["question"]
    red = question.options.get(label="Rot")
    _answer(question, red)
    client.force_login(town["manager"])
    url = reverse("polls:question_edit", args=[question.pk])
    content = client.get(url).content.decode()
    assert "Diese Frage hat schon Antworten." in content
    cases = [
        ({"kind": "single", "text": "Welche Farbe?", "options": "Blau\nGrün"}, "„Rot“"),
        (
            {"kind": "single", "text": "Welche Farbe?", "options": "Rosa\nBlau"},
            "nicht mehr entfernen oder umbenennen",
        ),
        (
            {"kind": "multiple", "text": "Welche Farbe?", "options": "Rot\nBlau"},
            "Fragetyp und Skala lassen sich nicht",
        ),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200
        body = response.content.decode()
        assert message in body and "Bitte prüfen Sie Ihre Eingaben." in body, body[:3000]
        question.refresh_from_db()
        assert question.kind == "single"
        assert [o.label for o in question.options.all()] == ["Rot", "Blau"]
    # What keeps the answers' meaning is allowed: a new text, an added option.
    response = client.post(
        url, {"kind": "single", "text": "Welche Farbe mögen Sie?", "options": "Rot\nBlau\nGrün"}
    )
    assert response.status_code == 302
    assert [o.label for o in question.options.all()] == ["Rot", "Blau", "Grün"]
    assert Option.objects.get(pk=red.pk).answers.count() == 1
    # An answered question is not deleted; a ranking with answers gets no new options.
    response = client.post(reverse("polls:question_delete", args=[question.pk]))
    assert response.status_code == 400 and "hat schon Antworten" in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()
    ranking = QuestionFactory(poll=town["poll"], kind=QuestionKind.RANKING, text="Rang?")
    for i, label in enumerate(("X", "Y")):
        OptionFactory(question=ranking, label=label, position=i)
    _answer(ranking, ranking.options.first())
    response = client.post(
        reverse("polls:question_edit", args=[ranking.pk]),
        {"kind": "ranking", "text": "Rang?", "options": "X\nY\nZ"},
    )
    assert "bisherigen Rangfolgen verfälschen" in response.content.decode()
    assert ranking.options.count() == 2


def test_anonymous_cannot_change_once_someone_took_part(client, town):
    from mitmachen.polls.models import Participation

    poll = town["poll"]
    Participation.objects.create(poll=poll, user=UserFactory())
    client.force_login(town["manager"])
    response = client.post(
        reverse("polls:setup_edit", args=[poll.pk]),
        {**POLL, "title": poll.title, "phase": town["phase"].pk, "anonymous": "on"},
    )
    assert response.status_code == 200
    assert "lässt sich „anonym“ nicht mehr ändern" in response.content.decode()
    poll.refresh_from_db()
    assert not poll.anonymous


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"kind": "single", "text": "Farbe?", "options": ""},
            "Bitte geben Sie die Antwortmöglichkeiten an.",
        ),
        ({"kind": "single", "text": "Farbe?", "options": "Nur eine"}, "mindestens zwei"),
        ({"kind": "single", "text": "Farbe?", "options": "A\nA"}, "nur einmal vorkommen"),
        ({"kind": "single", "text": "Farbe?", "options": "<b>A</b>\nB"}, "Bitte ohne HTML"),
        (
            {"kind": "scale", "text": "Wie gut?", "scale_min": "5", "scale_max": "2"},
            "größte Wert muss über dem kleinsten",
        ),
        (
            {"kind": "scale", "text": "Wie gut?", "scale_min": "", "scale_max": "5"},
            "Bitte geben Sie einen Wert an.",
        ),
        (
            {
                "kind": "multiple",
                "text": "Was?",
                "options": "A\nB",
                "min_choices": "3",
                "max_choices": "1",
            },
            "„höchstens“ muss mindestens",
        ),
        ({"kind": "short_text", "text": "Was?", "max_length": "99999"}, "kleiner oder gleich 5000"),
        ({"kind": "nonsense", "text": "Was?"}, "Bitte eine gültige Auswahl treffen"),
        ({"kind": "single", "text": "x" * 100_000, "options": "A\nB"}, "höchstens 300 Zeichen"),
        (
            {"kind": "single", "text": "<script>alert(1)</script>", "options": "A\nB"},
            "Bitte ohne HTML",
        ),
        ({"kind": "single", "text": "", "options": "A\nB"}, "zwingend erforderlich"),
    ],
)
def test_bad_question_input_gives_a_german_message_and_stores_nothing(client, town, data, message):
    client.force_login(town["manager"])
    before = (Question.objects.count(), Option.objects.count())
    response = client.post(reverse("polls:question_new", args=[town["poll"].pk]), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content, content[:3000]
    assert "Bitte prüfen Sie Ihre Eingaben." in content
    assert (Question.objects.count(), Option.objects.count()) == before


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": ""}, "zwingend erforderlich"),
        ({"intro": "<script>alert(1)</script>"}, "Skripte"),
        (
            {"anonymous": "on", "allow_changes": "on"},
            "Anonyme Antworten können nicht geändert werden",
        ),
        ({"eligibility": "everyone"}, "Bitte eine gültige Auswahl treffen"),
        ({"phase": "abc"}, "Bitte eine gültige Auswahl treffen"),
    ],
)
def test_bad_poll_input_gives_a_german_message_and_stores_nothing(client, town, data, message):
    client.force_login(town["manager"])
    before = Poll.objects.count()
    response = client.post(
        reverse("polls:setup_new", args=["geleitet"]), {**POLL, "phase": town["phase"].pk, **data}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Poll.objects.count() == before


def test_a_project_without_phases_gets_no_survey(client, town):
    client.force_login(town["manager"])
    project = ProjectFactory(organisation=town["home"], slug="leer")
    project.managers.add(town["manager"])
    response = client.get(reverse("polls:setup_new", args=["leer"]), follow=True)
    assert "Bitte legen Sie zuerst eine Phase an" in response.content.decode()


def test_a_phase_that_takes_no_answers_is_pointed_out(client, town):
    phase = PhaseFactory(
        project=town["project"],
        name="Lesephase",
        actions=[],
        start=town["phase"].end + timedelta(days=1),
        end=town["phase"].end + timedelta(days=3),
    )
    poll = PollFactory(project=town["project"], phase=phase)
    client.force_login(town["manager"])
    content = client.get(reverse("polls:setup", args=[poll.pk])).content.decode()
    assert "Diese Umfrage nimmt keine Antworten an." in content


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_questions_or_polls(client, town):
    client.force_login(town["manager"])
    poll = town["poll"]
    pages = [
        reverse("polls:setup", args=[poll.pk]),
        reverse("dashboard:project_setup", args=["geleitet"]),
    ]
    small = [_queries(client, url) for url in pages]
    for n in range(15):
        question = QuestionFactory(poll=poll, kind=QuestionKind.MULTIPLE)
        OptionFactory(question=question)
        OptionFactory(question=question)
        PollFactory(project=town["project"], phase=town["phase"])
    large = [_queries(client, url) for url in pages]
    assert small == large
    assert max(large) <= 25
