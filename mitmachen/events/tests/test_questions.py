"""Questions staff add to an event, answered on registering."""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mitmachen.accounts.services import account_delete, personal_data_export
from mitmachen.events.models import Answer, Event, Frequency, Question, Registration
from mitmachen.events.services import guest_register, registration_register, series_create
from mitmachen.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(event):
    return [
        Question.objects.create(
            event=event,
            text="Essen?",
            kind="auswahl",
            options="vegan\nmit Fleisch",
            required=True,
            order=1,
        ),
        Question.objects.create(event=event, text="Gebärdensprache nötig?", kind="janein", order=2),
        Question.objects.create(event=event, text="Anmerkungen", kind="text", order=3),
    ]


def _answers(questions, *values):
    return {f"frage_{q.pk}": v for q, v in zip(questions, values, strict=True)}


def test_answers_are_stored_with_the_registration(event, resident, questions):
    registration = registration_register(
        user=resident, event=event, answers=_answers(questions, "vegan", "ja", "  keine  ")
    )
    assert {a.question.text: a.value for a in registration.answers.all()} == {
        "Essen?": "vegan",
        "Gebärdensprache nötig?": "ja",
        "Anmerkungen": "keine",
    }


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (("", "", ""), "Bitte beantworten Sie diese Frage."),
        (("Fisch", "", ""), "eine der angebotenen Möglichkeiten"),
        (("vegan", "vielleicht", ""), "„ja“ oder „nein“"),
        (("vegan", "", "x" * 1001), "höchstens 1.000 Zeichen"),
    ],
)
def test_bad_answers_are_refused_in_german_and_store_nothing(
    event, resident, questions, values, message
):
    with pytest.raises(ValidationError, match=message):
        registration_register(user=resident, event=event, answers=_answers(questions, *values))
    with pytest.raises(ValidationError, match=message):
        guest_register(
            event=event,
            name="Gast",
            email="gast@example.org",
            site_url="https://x.example/",
            answers=_answers(questions, *values),
        )
    assert not Registration.objects.exists()
    assert not Answer.objects.exists()


def test_the_register_form_asks_the_questions_and_shows_errors(client, event, resident, questions):
    client.force_login(resident)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Gebärdensprache nötig?" in page and "mit Fleisch" in page
    url = reverse("events:register", args=[event.pk])
    response = client.post(url, _answers(questions, "", "", ""))
    assert response.status_code == 200
    assert "Bitte beantworten Sie diese Frage." in response.content.decode()
    assert not Registration.objects.exists()
    response = client.post(url, _answers(questions, "vegan", "nein", ""))
    assert response.status_code == 302
    assert Answer.objects.count() == 2


def test_guests_answer_too(client, event, questions):
    url = reverse("events:guest_register", args=[event.pk])
    form = {"guest_name": "Gerd", "guest_email": "gerd@example.org"}
    response = client.post(url, {**form, **_answers(questions, "Fisch", "", "")})
    assert response.status_code == 200
    assert "eine der angebotenen Möglichkeiten" in response.content.decode()
    response = client.post(url, {**form, **_answers(questions, "mit Fleisch", "ja", "")})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.guest_email == "gerd@example.org"
    assert sorted(registration.answers.values_list("value", flat=True)) == ["ja", "mit Fleisch"]


def test_attendee_list_and_csv_show_the_answers_defused(
    client, event, organiser, resident, questions
):
    registration_register(
        user=resident, event=event, answers=_answers(questions, "vegan", "ja", "=HYPERLINK(1)")
    )
    client.force_login(organiser)
    page = client.get(reverse("events:attendees", args=[event.pk])).content.decode()
    assert "Gebärdensprache nötig?" in page and "vegan" in page and "=HYPERLINK(1)" in page
    body = client.get(reverse("events:attendees_csv", args=[event.pk])).content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert header[-3:] == ["Essen?", "Gebärdensprache nötig?", "Anmerkungen"]
    assert row[-3:] == ["vegan", "ja", "'=HYPERLINK(1)"]


def test_meine_daten_exports_answers_and_account_deletion_removes_them(event, resident, questions):
    registration_register(user=resident, event=event, answers=_answers(questions, "vegan", "", ""))
    exported = personal_data_export(user=resident)["veranstaltungen"]
    assert exported[0]["antworten"] == [{"frage": "Essen?", "antwort": "vegan"}]
    account_delete(user=resident)
    assert not Answer.objects.exists()


def test_a_choice_needs_options_and_other_kinds_none(event):
    with pytest.raises(ValidationError, match="mindestens zwei"):
        Question(event=event, text="Welche?", kind="auswahl", options="nur eine").full_clean()
    with pytest.raises(ValidationError, match="nur bei der Art"):
        Question(event=event, text="Frei", kind="text", options="a\nb").full_clean()


def test_a_series_copies_the_questions(organiser, region, project):
    start = datetime(2030, 3, 12, 18, tzinfo=ZoneInfo("Europe/Berlin"))
    first = EventFactory(
        organisation=region["organisation"],
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        registration_enabled=True,
    )
    Question.objects.create(event=first, text="Essen?", kind="janein", required=True)
    series_create(user=organiser, first=first, frequency=Frequency.WEEKLY, until=date(2030, 3, 26))
    later = Event.objects.exclude(pk=first.pk)
    assert [list(e.questions.values_list("text", "required")) for e in later] == [
        [("Essen?", True)],
        [("Essen?", True)],
    ]


def test_staff_add_questions_in_the_admin(client, organiser, event):
    client.force_login(organiser)
    url = reverse("admin:events_event_change", args=[event.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "projects"}
    data |= {"projects": [p.pk for p in event.projects.all()]}
    start, end = event.starts_at.astimezone(), event.ends_at.astimezone()
    data |= {
        "starts_at_0": start.strftime("%d.%m.%Y"),
        "starts_at_1": start.strftime("%H:%M:%S"),
        "ends_at_0": end.strftime("%d.%m.%Y"),
        "ends_at_1": end.strftime("%H:%M:%S"),
        "organisation": event.organisation_id,
        "district": event.district_id,
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-0-text": "Welche?",
        "questions-0-kind": "auswahl",
        "questions-0-options": "nur eine",
        "questions-0-order": "0",
    }
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "mindestens zwei Möglichkeiten" in response.content.decode()
    data["questions-0-options"] = "vegan\nvegetarisch"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert event.questions.get().option_list() == ["vegan", "vegetarisch"]
