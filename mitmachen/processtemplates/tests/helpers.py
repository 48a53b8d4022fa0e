"""A template document with every part, and people in two municipalities."""

from __future__ import annotations

import copy
import json
from typing import Any

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory, OrganisationFactory
from mitmachen.processtemplates.schema import FORMAT, VERSION

DOCUMENT: dict[str, Any] = {
    "format": FORMAT,
    "version": VERSION,
    "exported_at": "2026-12-01T10:00:00+01:00",
    "source": {"organisation": "Stadt Beispiel", "project": "Zukunft"},
    "project": {
        "title": "Unsere Stadt der Zukunft",
        "summary": "Ideen für Innenstadt, Wege und Wohnen.",
        "description": "## Ablauf\n\nErst fragen, dann sammeln, dann abstimmen.",
        "easy_language": "Wir fragen Sie.",
        "topics": [],
    },
    "phases": [
        {
            "name": "Umfrage",
            "description": "Kurze Umfrage.",
            "start_day": 0,
            "start_time": "09:00",
            "end_day": 14,
            "end_time": "18:00",
            "actions": ["answer"],
        },
        {
            "name": "Ideen",
            "description": "",
            "start_day": 15,
            "start_time": "00:00",
            "end_day": 60,
            "end_time": "00:00",
            "actions": ["propose", "support", "comment"],
        },
    ],
    "modules": {
        "budgets": [
            {
                "title": "Bürgerbudget",
                "description": "10.000 € für Ideen.",
                "result_rule": "greedy",
                "groups": [
                    {
                        "name": "Ganze Stadt",
                        "amount": 8000,
                        "ballot_rule": "knapsack",
                        "max_choices": None,
                    },
                    {"name": "Dörfer", "amount": 2000, "ballot_rule": "approval", "max_choices": 3},
                ],
            }
        ],
        "debates": [
            {"question": "Soll der Markt autofrei werden?", "description": "Für und wider."}
        ],
        "drafts": [
            {
                "title": "Leitbild",
                "slug": "leitbild",
                "intro": "Bitte kommentieren.",
                "published": False,
                "chapters": [
                    {"title": "Ziele", "paragraphs": ["Erstens.", "Zweitens mit **fett**."]},
                    {"title": "Wege", "paragraphs": ["Drittens."]},
                ],
            }
        ],
        "climate": [
            {
                "title": "Hitzeorte melden",
                "question": "Wie heiß ist es hier am Nachmittag?",
                "description": "Wir sammeln heiße Orte für den Hitzeaktionsplan.",
                "value_kind": "zahl",
                "unit": "°C",
                "choices": [],
                "photo_allowed": True,
                "start_day": 15,
                "end_day": 45,
            }
        ],
        "events": [
            {
                "kind": "werkstatttreffen",
                "title": "Auftaktwerkstatt",
                "description": "Wir stellen die Umfrage vor.",
                "start_day": 1,
                "start_time": "18:00",
                "end_day": 1,
                "end_time": "20:30",
                "place_name": "Rathaus, Saal 1",
                "online_url": "",
                "online_url_registered_only": False,
                "step_free": True,
                "hearing_loop": False,
                "sign_language": True,
                "childcare": False,
                "registration_enabled": True,
                "capacity": 40,
                "questions": [
                    {
                        "text": "Brauchen Sie eine Übersetzung?",
                        "kind": "auswahl",
                        "options": ["Gebärdensprache", "Leichte Sprache"],
                        "required": False,
                    }
                ],
            },
            {
                "kind": "online",
                "title": "Fragestunde online",
                "description": "",
                "start_day": 20,
                "start_time": "19:00",
                "end_day": 20,
                "end_time": "20:00",
                "place_name": "",
                "online_url": "https://konferenz.example.org/fragestunde",
                "online_url_registered_only": False,
                "step_free": False,
                "hearing_loop": False,
                "sign_language": False,
                "childcare": False,
                "registration_enabled": False,
                "capacity": None,
                "questions": [],
            },
        ],
        "polls": [
            {
                "phase": 0,
                "kind": "survey",
                "title": "Wie nutzen Sie die Innenstadt?",
                "intro": "Fünf Minuten.",
                "closing_text": "Danke!",
                "eligibility": "guests",
                "anonymous": True,
                "allow_changes": False,
                "results_visibility": "live",
                "published": True,
                "questions": [
                    {
                        "kind": "single",
                        "text": "Wie oft?",
                        "help_text": "",
                        "required": True,
                        "min_choices": None,
                        "max_choices": None,
                        "scale_min": 1,
                        "scale_max": 5,
                        "scale_min_label": "",
                        "scale_max_label": "",
                        "max_length": None,
                        "options": [{"label": "täglich"}, {"label": "selten"}],
                    },
                    {
                        "kind": "scale",
                        "text": "Wie zufrieden?",
                        "help_text": "1 = gar nicht",
                        "required": False,
                        "min_choices": None,
                        "max_choices": None,
                        "scale_min": 0,
                        "scale_max": 10,
                        "scale_min_label": "gar nicht",
                        "scale_max_label": "sehr",
                        "max_length": None,
                        "options": [],
                    },
                    {
                        "kind": "age_group",
                        "text": "Wie alt sind Sie?",
                        "help_text": "",
                        "required": False,
                        "min_choices": None,
                        "max_choices": None,
                        "scale_min": 1,
                        "scale_max": 5,
                        "scale_min_label": "",
                        "scale_max_label": "",
                        "max_length": None,
                        "options": [],
                    },
                ],
            }
        ],
        "proposals": [
            {
                "support_quorum": 30,
                "support_eligibility": "verified",
                "statuses": [
                    {
                        "name": "An den Ortsbeirat",
                        "base": "in_review",
                        "description": "Zur Beratung.",
                    }
                ],
            }
        ],
    },
}


def document(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(DOCUMENT)
    data.update(changes)
    return data


def raw(data: dict[str, Any] | None = None) -> bytes:
    return json.dumps(DOCUMENT if data is None else data, ensure_ascii=False).encode()


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    """A document without what may differ between two exports: when and where from."""
    data = copy.deepcopy(data)
    for key in ("exported_at", "source", "results"):
        data.pop(key, None)
    return data


def two_towns() -> dict[str, Any]:
    home, other = OrganisationFactory(name="Heimatstadt"), OrganisationFactory(name="Nachbarort")
    return {
        "home": home,
        "other": other,
        "admin_home": MembershipFactory(organisation=home, role=Role.ADMIN).user,
        "manager_home": MembershipFactory(organisation=home, role=Role.PROJECT_MANAGER).user,
        "moderator_home": MembershipFactory(organisation=home, role=Role.MODERATOR).user,
        "admin_other": MembershipFactory(organisation=other, role=Role.ADMIN).user,
        "resident": UserFactory(),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
