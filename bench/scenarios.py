"""The scenarios: which pages and writes are loaded, as whom, with which requests."""

from __future__ import annotations

import secrets
from typing import Any

import mixed
from common import Scenario, log


def scenarios(data: dict[str, Any]) -> list[Scenario]:
    slug = data["project"]
    cookie = data["session_cookie"]
    sessions = data["sessions"]
    list_path = f"/projekte/{slug}/vorschlaege/"
    detail_path = f"/vorschlaege/{data['detail']}/"

    def signed_in(path: str) -> list[dict[str, Any]]:
        return [
            {"method": "GET", "path": path, "headers": {"Cookie": f"{cookie}={s}"}}
            for s in sessions
        ]

    writes, mixed_writes = [], []
    for i, session in enumerate(sessions):
        target = data["write_targets"][i % len(data["write_targets"])]
        mixed_target = data["mixed_targets"][i % len(data["mixed_targets"])]
        csrf = secrets.token_hex(16)
        headers = {
            "Cookie": f"{cookie}={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        for value in ("1", "0"):  # support, then take it back
            for into, proposal in ((writes, target), (mixed_writes, mixed_target)):
                into.append(
                    {
                        "method": "POST",
                        "path": f"/vorschlaege/{proposal}/unterstuetzen/",
                        "headers": headers,
                        "body": f"unterstuetzen={value}",
                    }
                )
    municipality_path = f"/kommunen/{data['organisation']}/"

    def posted(path: str, form: str) -> list[dict[str, Any]]:
        requests = []
        for session in sessions:
            csrf = secrets.token_hex(16)
            headers = {
                "Cookie": f"{cookie}={session}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
            }
            requests.append({"method": "POST", "path": path, "headers": headers, "body": form})
        return requests

    def staff_requests(path: str) -> list[dict[str, Any]]:
        staff_cookie = f"{cookie}={data['staff_session']}"
        return [{"method": "GET", "path": path, "headers": {"Cookie": staff_cookie}}]

    module_pages = []
    for page in data.get("module_pages", []):
        if page.get("form"):  # a module's write (BenchPage.form), as the signed-in residents
            module_pages.append(
                Scenario(
                    page["name"],
                    page["path"],
                    method="POST",
                    signed_in=True,
                    writes=True,
                    requests=posted(page["path"], page["form"]),
                )
            )
            continue
        if page["anonymous"]:
            module_pages.append(Scenario(page["name"], page["path"]))
        if page["signed_in"]:
            module_pages.append(
                Scenario(
                    f"{page['name']}, angemeldet",
                    page["path"],
                    signed_in=True,
                    requests=signed_in(page["path"]),
                )
            )
        if page["staff"]:
            module_pages.append(
                Scenario(
                    f"{page['name']} (Verwaltung)",
                    page["path"],
                    signed_in=True,
                    requests=staff_requests(page["path"]),
                )
            )
    district_pages = []
    if data.get("district_page"):
        district_path = data["district_page"]
        district_pages = [
            Scenario("Ortsteil", district_path),
            Scenario(
                "Ortsteil, angemeldet",
                district_path,
                signed_in=True,
                requests=signed_in(district_path),
            ),
        ]
    polls = []
    if data["poll"]:
        poll_path = f"/umfragen/{data['poll']}/"
        polls = [
            Scenario("Umfrage-Ergebnisse (20.000 Antwortbögen)", f"{poll_path}ergebnisse/"),
            Scenario("Ergebnisse nach Ortsteil", f"{poll_path}ergebnisse/?nach=ortsteil"),
            Scenario(
                "Fragebogen, angemeldet", poll_path, signed_in=True, requests=signed_in(poll_path)
            ),
            # Setting the survey up (polls.setup_views), on the poll with 20,000 responses.
            *(
                Scenario(name, path, signed_in=True, requests=staff_requests(path))
                for name, path in (
                    (
                        "Umfrage einrichten (Verwaltung, 20.000 Antwortbögen)",
                        f"/verwaltung/umfragen/{data['poll']}/einrichten/",
                    ),
                    (
                        "Einstellungen der Umfrage (Verwaltung)",
                        f"/verwaltung/umfragen/{data['poll']}/einstellungen/",
                    ),
                    (
                        "Frage hinzufügen (Verwaltung)",
                        f"/verwaltung/umfragen/{data['poll']}/fragen/neu/",
                    ),
                )
            ),
        ]
    else:
        log("No survey in the load data (seeded before surveys existed): poll scenarios skipped.")
    return [
        Scenario("Decke: leere Django-Antwort", "/bench/ceiling/"),
        Scenario("Startseite", "/"),
        Scenario("Projektseite", f"/projekte/{slug}/"),
        Scenario("Vorschlagsliste (1.000 Vorschläge)", list_path),
        Scenario(
            "Liste nach Ortsteil und Thema",
            f"{list_path}?ortsteil={data['district']}&thema={data['topic']}",
        ),
        Scenario("Liste nach Unterstützungen", f"{list_path}?sortierung=unterstuetzt"),
        Scenario("Volltextsuche", f"{list_path}?q=Radweg+sicherer"),
        Scenario("Vorschlag mit 200 Kommentaren", detail_path),
        Scenario("Karten-GeoJSON des Projekts", f"/projekte/{slug}/vorschlaege.geojson"),
        Scenario("Liste, angemeldet", list_path, signed_in=True, requests=signed_in(list_path)),
        Scenario(
            "Vorschlag, angemeldet", detail_path, signed_in=True, requests=signed_in(detail_path)
        ),
        Scenario(
            "Unterstützen/Zurücknehmen (Schreiben)",
            "/vorschlaege/<id>/unterstuetzen/",
            method="POST",
            signed_in=True,
            writes=True,
            requests=writes,
        ),
        # Anonymous readers of the project while signed-in people support (bench/mixed.py).
        Scenario(
            mixed.NAME,
            f"/projekte/{slug}/ + Liste + Vorschlag",
            requests=[
                {"method": "GET", "path": path}
                for path in (f"/projekte/{slug}/", list_path, detail_path)
            ],
            background=mixed_writes,
        ),
        *polls,
        # Submitting a questionnaire (a short survey whose answers may be changed): each
        # resident's first POST stores a response, later ones replace its answers.
        Scenario(
            "Fragebogen abschicken (Schreiben)",
            f"/umfragen/{data['submit_poll']}/",
            method="POST",
            signed_in=True,
            writes=True,
            requests=posted(f"/umfragen/{data['submit_poll']}/", data["submit_form"]),
        ),
        # Accessibility offers and the person's follows (issue 18).
        Scenario("Leichte Sprache", "/leichte-sprache/"),
        Scenario(
            "Leichte Sprache, angemeldet",
            "/leichte-sprache/",
            signed_in=True,
            requests=signed_in("/leichte-sprache/"),
        ),
        Scenario("Gebärdensprache", f"/kommunen/{data['organisation']}/gebaerdensprache/"),
        Scenario(
            "Meine Abonnements, angemeldet",
            "/konto/abonnements/",
            signed_in=True,
            requests=signed_in("/konto/abonnements/"),
        ),
        # Pages drawn from the modules' sections (issue 10).
        Scenario("Kommune", municipality_path),
        Scenario(
            "Kommune, angemeldet",
            municipality_path,
            signed_in=True,
            requests=signed_in(municipality_path),
        ),
        *district_pages,
        Scenario(
            "Vorschlag melden, angemeldet",
            f"/melden/vorschlag/{data['detail']}/",
            signed_in=True,
            requests=signed_in(f"/melden/vorschlag/{data['detail']}/"),
        ),
        Scenario(
            "Meine Projekte (Verwaltung)",
            "/verwaltung/",
            signed_in=True,
            requests=staff_requests("/verwaltung/"),
        ),
        # Setting up a project in the site (dashboard), on the big project.
        *(
            Scenario(name, path, signed_in=True, requests=staff_requests(path))
            for name, path in (
                ("Neues Projekt (Verwaltung)", "/verwaltung/projekte/neu/"),
                ("Projekt einrichten (Verwaltung)", f"/verwaltung/projekte/{slug}/"),
                ("Grunddaten (Verwaltung)", f"/verwaltung/projekte/{slug}/grunddaten/"),
                ("Phase hinzufügen (Verwaltung)", f"/verwaltung/projekte/{slug}/phasen/neu/"),
                ("Einladungen (Verwaltung)", f"/verwaltung/projekte/{slug}/einladungen/"),
                (
                    "Einstellungen für Vorschläge (Verwaltung)",
                    f"/verwaltung/projekte/{slug}/vorschlaege/",
                ),
                (
                    "Vorschau der Projektseite (Verwaltung)",
                    f"/verwaltung/projekte/{slug}/vorschau/",
                ),
            )
        ),
        # The statistics of the big project, counted live from all its contributions.
        Scenario(
            "Statistik des Projekts (Verwaltung)",
            f"/verwaltung/projekte/{slug}/statistik/",
            signed_in=True,
            requests=staff_requests(f"/verwaltung/projekte/{slug}/statistik/"),
        ),
        # The statistics of all projects of the big project's municipality (its admin).
        Scenario(
            "Statistik der Kommune (Verwaltung)",
            f"/verwaltung/kommunen/{data['organisation']}/statistik/",
            signed_in=True,
            requests=[
                {
                    "method": "GET",
                    "path": f"/verwaltung/kommunen/{data['organisation']}/statistik/",
                    "headers": {"Cookie": f"{cookie}={data['admin_session']}"},
                }
            ],
        ),
        # Rollen und Zugänge (dashboard roles pages), as the big project's manager.
        *(
            Scenario(name, path, signed_in=True, requests=staff_requests(path))
            for name, path in (
                ("Rollen und Zugänge (Verwaltung)", f"/verwaltung/rollen/{data['organisation']}/"),
                ("Projektleitung (Verwaltung)", f"/verwaltung/projekte/{slug}/projektleitung/"),
            )
        ),
        # The participation modules' own pages (``ParticipationModule.bench``).
        *module_pages,
    ]


def selected(only: str | None, name: str) -> bool:
    """Is the scenario ``name`` in the run? ``only``: texts separated by "|"."""
    return not only or any(part and part in name for part in only.split("|"))
