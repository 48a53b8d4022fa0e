"""Bad template files: a German message naming the problem, nothing stored, never a 500;
through the import page as a member of staff sends them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mitmachen.processtemplates import services
from mitmachen.processtemplates.schema import MAX_BYTES
from mitmachen.processtemplates.tests.helpers import document, raw, two_towns

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def _with(path: list[Any], value: Any) -> bytes:
    data = document()
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return raw(data)


def _without(path: list[Any]) -> bytes:
    data = document()
    target = data
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    return raw(data)


SCRIPT = "<script>alert(1)</script>"

# (what, the file's bytes, a part of the German message)
CASES = [
    ("not JSON", b"das ist kein JSON {", "kein gültiges JSON (Zeile 1"),
    ("binary", b"\xff\xfe\x00\x01PK\x03\x04", "keine Textdatei in UTF-8"),
    ("JSON, not a template", b'{"hallo": 1}', "keine Prozessvorlage von Mitmachen"),
    ("a list", b"[1, 2, 3]", "keine Prozessvorlage von Mitmachen"),
    (
        "newer version",
        _with(["version"], 2),
        "Version 2; diese Installation liest Vorlagen bis Version 1",
    ),
    ("version as text", _with(["version"], "1"), "keine gültige Version"),
    (
        "unknown module",
        _with(["modules", "wahlomat"], [{"x": 1}]),
        "Der Baustein „wahlomat“ ist dieser Installation unbekannt",
    ),
    (
        "script in the title",
        _with(["project", "title"], SCRIPT),
        "Grunddaten › Titel: enthält HTML oder ein Skript",
    ),
    (
        "script in a phase",
        _with(["phases", 1, "description"], "Hallo <img src=x onerror=alert(1)>"),
        "Phase 2 › Beschreibung: enthält HTML",
    ),
    (
        "script in a question",
        _with(["modules", "polls", 0, "questions", 0, "text"], SCRIPT),
        "„polls“ 1 › „questions“ 1 › „text“: enthält HTML",
    ),
    (
        "script address in markdown",
        _with(["project", "description"], "[klick](javascript:alert(1))"),
        "enthält HTML oder ein Skript",
    ),
    (
        "script in an option",
        _with(["modules", "polls", 0, "questions", 0, "options", 1, "label"], SCRIPT),
        "enthält HTML",
    ),
    (
        "script in a draft",
        _with(["modules", "drafts", 0, "chapters", 0, "paragraphs", 0], SCRIPT),
        "enthält HTML",
    ),
    ("script in a debate", _with(["modules", "debates", 0, "question"], SCRIPT), "enthält HTML"),
    (
        "script in a budget",
        _with(["modules", "budgets", 0, "groups", 0, "name"], SCRIPT),
        "enthält HTML",
    ),
    (
        "script in a status",
        _with(["modules", "proposals", 0, "statuses", 0, "name"], SCRIPT),
        "enthält HTML",
    ),
    ("no title", _without(["project", "title"]), "Grunddaten › Titel: fehlt"),
    ("empty summary", _with(["project", "summary"], ""), "Kurzbeschreibung: darf nicht leer sein"),
    (
        "title too long",
        _with(["project", "title"], "x" * 121),
        "Titel: ist zu lang (höchstens 120 Zeichen)",
    ),
    ("no phases", _with(["phases"], []), "braucht mindestens 1 Einträge"),
    (
        "day as text",
        _with(["phases", 0, "start_day"], "0"),
        "Phase 1 › Beginn (Tag): muss eine ganze Zahl sein",
    ),
    ("bad time", _with(["phases", 0, "start_time"], "25:00"), "muss eine Uhrzeit wie 09:30 sein"),
    (
        "end before start",
        _with(["phases", 1, "end_day"], 15),
        "Das Ende muss nach dem Beginn liegen",
    ),
    ("overlap", _with(["phases", 1, "start_day"], 10), "überschneiden sich"),
    (
        "unknown action",
        _with(["phases", 0, "actions"], ["fliegen"]),
        "„fliegen“ ist keine Beteiligungsart",
    ),
    ("unknown key", _with(["project", "farbe"], "rot"), "„farbe“: ist unbekannt"),
    (
        "poll in no phase",
        _with(["modules", "polls", 0, "phase"], 7),
        "nennt Phase 8; die Vorlage hat 2 Phasen",
    ),
    (
        "choice with one option",
        _with(["modules", "polls", 0, "questions", 0, "options"], [{"label": "a"}]),
        "mindestens zwei Antworten",
    ),
    (
        "unknown question kind",
        _with(["modules", "polls", 0, "questions", 0, "kind"], "wahl"),
        "muss einer dieser Werte sein",
    ),
    (
        "anonymous and changeable",
        _with(["modules", "polls", 0, "allow_changes"], True),
        "Anonyme Antworten können nicht geändert werden",
    ),
    (
        "approval without limit",
        _with(["modules", "budgets", 0, "groups", 1, "max_choices"], None),
        "fehlt „max_choices“",
    ),
    (
        "negative money",
        _with(["modules", "budgets", 0, "groups", 0, "amount"], -5),
        "muss mindestens 1 sein",
    ),
    (
        "proposals twice",
        _with(["modules", "proposals"], [document()["modules"]["proposals"][0]] * 2),
        "nur einmal vorkommen",
    ),
    (
        "two drafts, one address",
        _with(["modules", "drafts"], document()["modules"]["drafts"] * 2),
        "dieselbe Adresse",
    ),
    ("deeply nested", ("[" * 100_000 + "]" * 100_000).encode(), "zu tief verschachtelt"),
]


@pytest.mark.parametrize(("what", "data", "message"), CASES, ids=[c[0] for c in CASES])
def test_the_service_names_the_problem_and_stores_nothing(what, data, message):
    towns = two_towns()
    before = _counts()
    with pytest.raises(services.TemplateProblems) as error:
        services.template_import(
            user=towns["admin_home"],
            organisation=towns["home"],
            raw=data,
            start=services.date(2027, 1, 4),
        )
    assert any(message in problem for problem in error.value.problems), error.value.problems
    assert _counts() == before


def test_every_problem_is_named_at_once():
    data = document()
    data["project"]["title"] = SCRIPT
    data["phases"][0]["actions"] = ["fliegen"]
    data["modules"]["polls"][0]["phase"] = 9
    data["modules"]["wahlomat"] = []
    with pytest.raises(services.TemplateProblems) as error:
        services.check_document(raw(data))
    assert len(error.value.problems) == 4, error.value.problems


def _post(client: Any, towns: dict[str, Any], upload: Any, **extra: Any) -> Any:
    return client.post(
        reverse("processtemplates:import"),
        {
            "organisation": towns["home"].pk,
            "start": "2027-01-04",
            "file": upload,
            "pruefen": "1",
            **extra,
        },
    )


@pytest.mark.parametrize(("what", "data", "message"), CASES[:8], ids=[c[0] for c in CASES[:8]])
def test_the_page_shows_the_problem_in_its_error_summary(client, what, data, message):
    towns = two_towns()
    client.force_login(towns["admin_home"])
    before = _counts()
    response = _post(client, towns, SimpleUploadedFile("vorlage.json", data, "application/json"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="form-errors"' in page and "autofocus" in page
    assert message in page.replace("&quot;", '"').replace("&#x27;", "'")
    assert _counts() == before


def test_a_file_of_50_megabytes_is_refused_by_its_size(client):
    towns = two_towns()
    client.force_login(towns["admin_home"])
    before = _counts()
    big = SimpleUploadedFile("gross.json", b" " * (50 * 1024 * 1024), "application/json")
    response = _post(client, towns, big)
    assert response.status_code == 200
    assert "Die Datei ist zu groß (52,4 MB)" in response.content.decode()
    assert _counts() == before


def test_a_forged_confirmation_is_checked_again(client):
    """The preview's hidden text is not trusted: a changed one is checked in full."""
    towns = two_towns()
    client.force_login(towns["admin_home"])
    before = _counts()
    forged = document()
    forged["project"]["title"] = SCRIPT
    response = client.post(
        reverse("processtemplates:import"),
        {
            "organisation": towns["home"].pk,
            "start": "2027-01-04",
            "document": json.dumps(forged),
            "anlegen": "1",
        },
    )
    assert response.status_code == 200
    assert "enthält HTML oder ein Skript" in response.content.decode()
    assert _counts() == before


def test_another_municipality_cannot_be_chosen(client):
    towns = two_towns()
    client.force_login(towns["admin_home"])
    before = _counts()
    response = client.post(
        reverse("processtemplates:import"),
        {
            "organisation": towns["other"].pk,
            "start": "2027-01-04",
            "document": raw().decode(),
            "anlegen": "1",
        },
    )
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()
    assert _counts() == before


def test_no_file_and_no_date(client):
    towns = two_towns()
    client.force_login(towns["admin_home"])
    response = client.post(
        reverse("processtemplates:import"), {"organisation": towns["home"].pk, "pruefen": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Beginn der ersten Phase" in page and 'id="form-errors"' in page


def test_the_size_limit_is_one_megabyte():
    assert MAX_BYTES == 1_000_000
    with pytest.raises(services.TemplateProblems) as error:
        services.check_document(b" " * (MAX_BYTES + 1))
    assert "zu groß" in error.value.problems[0]


def test_a_start_at_the_end_of_the_calendar(client):
    towns = two_towns()
    client.force_login(towns["admin_home"])
    before = _counts()
    response = client.post(
        reverse("processtemplates:import"),
        {
            "organisation": towns["home"].pk,
            "start": "9999-12-30",
            "document": raw().decode(),
            "anlegen": "1",
        },
    )
    assert response.status_code == 200
    assert "gültiges Datum" in response.content.decode()
    preview = client.post(
        reverse("processtemplates:import"),
        {
            "organisation": towns["home"].pk,
            "start": "9999-12-30",
            "file": SimpleUploadedFile("v.json", raw(), "application/json"),
            "pruefen": "1",
        },
    )
    assert preview.status_code == 200
    assert "gültiges Datum" in preview.content.decode()
    assert _counts() == before


def test_a_part_with_more_than_1000_entries_is_refused_and_1000_are_not_for_their_number():
    entry = document()["modules"]["proposals"][0]
    data = document()
    data["modules"]["proposals"] = [entry] * 1001
    with pytest.raises(services.TemplateProblems) as error:
        services.check_document(raw(data))
    assert any("höchstens 1000" in problem for problem in error.value.problems), (
        error.value.problems
    )
    data["modules"]["proposals"] = [entry] * 1000
    with pytest.raises(services.TemplateProblems) as error:
        services.check_document(raw(data))
    # Refused for repeating an entry ("nur einmal"), not for the number of entries.
    assert not any("höchstens 1000" in problem for problem in error.value.problems)
