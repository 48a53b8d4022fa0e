"""Permission matrix of every template action, scoped choices, the library, bounded
queries, and personal data (none is stored)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mitmachen.core.permissions import decide
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory
from mitmachen.processtemplates import services
from mitmachen.processtemplates.models import SharedTemplate
from mitmachen.processtemplates.tests.helpers import raw, two_towns
from mitmachen.projects.models import Project, Visibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def town() -> dict[str, Any]:
    towns = two_towns()
    project = services.template_import(
        user=towns["superuser"], organisation=towns["home"], raw=raw(), start=date(2027, 3, 1)
    )
    manager_own = towns["manager_home"]
    project.managers.add(manager_own)
    towns["manager_other_project"] = MembershipFactory(
        organisation=towns["home"], role=Role.PROJECT_MANAGER
    ).user
    towns["project"] = project
    towns["shared"] = services.template_share(
        user=towns["superuser"], project=project, method="Erst fragen.", channels=["online"]
    )
    return towns


PEOPLE = (
    "anonymous",
    "resident",
    "moderator_home",
    "manager_home",
    "manager_other_project",
    "admin_home",
    "admin_other",
    "superuser",
)
MAY_CHANGE = {"manager_home", "admin_home", "superuser"}
MAY_CREATE = {"manager_home", "manager_other_project", "admin_home", "admin_other", "superuser"}
EVERYONE = set(PEOPLE)


def _pages(town: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], set[str]]]:
    slug = town["project"].slug
    return [
        ("GET", reverse("processtemplates:library"), {}, EVERYONE),
        ("GET", reverse("processtemplates:detail", args=[town["shared"].pk]), {}, EVERYONE),
        ("GET", reverse("processtemplates:download", args=[town["shared"].pk]), {}, EVERYONE),
        ("GET", reverse("processtemplates:export", args=[slug]), {}, MAY_CHANGE),
        ("GET", reverse("processtemplates:export_file", args=[slug]), {}, MAY_CHANGE),
        (
            "GET",
            reverse("processtemplates:export_file", args=[slug]) + "?ergebnisse=1",
            {},
            MAY_CHANGE,
        ),
        (
            "POST",
            reverse("processtemplates:export", args=[slug]),
            {"method": "Neu beschrieben.", "channels": ["workshop"]},
            MAY_CHANGE,
        ),
        ("GET", reverse("processtemplates:import", args=[]), {}, MAY_CREATE),
        ("POST", reverse("processtemplates:unshare", args=[slug]), {}, MAY_CHANGE),
    ]


def test_permission_matrix(client, town):
    for who in PEOPLE:
        person = town.get(who)
        if not SharedTemplate.objects.exists():  # the one before stopped sharing
            town["shared"] = services.template_share(
                user=town["superuser"], project=town["project"], method="x", channels=[]
            )
        for method, url, data, allowed in _pages(town):
            client.logout()
            if person is not None:
                client.force_login(person)
            response = client.get(url) if method == "GET" else client.post(url, data)
            if who in allowed:
                expected = 200 if method == "GET" else 302
                assert response.status_code == expected, (who, url, response.status_code)
            elif person is None:
                assert response.status_code == 302, (who, url)
                assert response["Location"].startswith("/konto/"), (who, url)
            else:
                assert response.status_code == 403, (who, url, response.status_code)


def test_rules_and_pages_agree_with_reasons(town):
    project = town["project"]
    for who in PEOPLE[1:]:
        decision = decide(town[who], "processtemplates.export_template", project)
        assert decision.allowed == (who in MAY_CHANGE), who
        if not decision.allowed:
            assert "Verwaltung" in decision.reason


def test_the_import_lists_only_own_municipalities_and_the_service_refuses_others(client, town):
    client.force_login(town["manager_home"])
    page = client.get(reverse("processtemplates:import")).content.decode()
    assert town["home"].name in page and town["other"].name not in page
    with pytest.raises(services.PermissionDenied):
        services.template_import(
            user=town["manager_home"],
            organisation=town["other"],
            raw=raw(),
            start=date(2027, 3, 1),
        )
    with pytest.raises(services.PermissionDenied):
        services.template_import(
            user=town["moderator_home"],
            organisation=town["home"],
            raw=raw(),
            start=date(2027, 3, 1),
        )


def test_a_member_of_staff_imports_in_two_steps(client, town):
    client.force_login(town["admin_other"])
    url = reverse("processtemplates:import")
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = Project.objects.count()
    preview = client.post(
        url,
        {
            "organisation": town["other"].pk,
            "start": "2027-05-03",
            "file": SimpleUploadedFile("v.json", raw(), "application/json"),
            "pruefen": "1",
        },
    )
    page = preview.content.decode()
    assert "Vorschau: Das wird angelegt" in page and "3. Mai 2027" in page
    assert Project.objects.count() == before  # the preview stores nothing
    document = preview.context["document"]
    done = client.post(
        url,
        {
            "organisation": town["other"].pk,
            "start": "2027-05-03",
            "document": document,
            "anlegen": "1",
        },
    )
    project = Project.objects.exclude(pk=town["project"].pk).get(organisation=town["other"])
    assert done.status_code == 302
    assert done["Location"] == reverse("dashboard:project_setup", args=[project.slug])
    assert project.visibility == Visibility.DRAFT
    assert project.slug == "unsere-stadt-der-zukunft-2"


def test_importing_from_the_library(client, town):
    client.force_login(town["admin_other"])
    url = reverse("processtemplates:import")
    page = client.get(f"{url}?vorlage={town['shared'].pk}").content.decode()
    assert "Vorlage aus der Bibliothek" in page
    preview = client.post(
        url,
        {
            "organisation": town["other"].pk,
            "start": "2027-05-03",
            "vorlage": town["shared"].pk,
            "pruefen": "1",
        },
    )
    assert "Vorschau: Das wird angelegt" in preview.content.decode()


def test_the_library_shows_method_figures_and_the_small_group_rule(client, town):
    from mitmachen.proposals.tests.factories import ProposalFactory

    for _n in range(3):
        ProposalFactory(project=town["project"])
    client.force_login(town["admin_home"])
    client.post(
        reverse("processtemplates:export", args=[town["project"].slug]),
        {"method": "Erst fragen.", "channels": ["online"]},
    )
    client.logout()
    shared = SharedTemplate.objects.get()
    assert shared.duration_days == 60
    assert shared.figures == {"Vorschläge": None}  # three: fewer than five; zeros left out
    page = client.get(shared.get_absolute_url()).content.decode()
    assert "So haben wir" in page and "Erst fragen." in page
    assert "weniger als 5" in page and "online" in page
    assert "Wie nutzen Sie die Innenstadt?" in page
    download = client.get(reverse("processtemplates:download", args=[shared.pk]))
    assert download["Content-Type"].startswith("application/json")
    assert services.check_document(download.content).document.project.title == (
        "Unsere Stadt der Zukunft"
    )


def test_sharing_refuses_html_and_unknown_channels(client, town):
    client.force_login(town["admin_home"])
    url = reverse("processtemplates:export", args=[town["project"].slug])
    response = client.post(url, {"method": "<b>fett</b>", "channels": ["online"]})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="form-errors"' in page
    assert "kein HTML" in page
    response = client.post(url, {"method": "Gut.", "channels": ["brieftaube"]})
    assert "gültige Auswahl" in response.content.decode()
    assert SharedTemplate.objects.get().method == "Erst fragen."


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_bounded_queries(client, town):
    """The library with 2 or 12 entries, an entry and the export page of a project with
    1 or 11 polls: the same number of queries."""
    client.force_login(town["admin_home"])
    project = town["project"]
    urls = [
        reverse("processtemplates:library"),
        town["shared"].get_absolute_url(),
        reverse("processtemplates:export", args=[project.slug]),
        reverse("processtemplates:export_file", args=[project.slug]) + "?ergebnisse=1",
    ]
    small = [_queries(client, url) for url in urls]
    for n in range(10):
        other = services.template_import(
            user=town["superuser"],
            organisation=town["home"],
            raw=raw(),
            start=timezone.localdate() + timedelta(days=n),
        )
        services.template_share(user=town["superuser"], project=other, method="x", channels=[])
    from mitmachen.polls.models import Poll

    poll = Poll.objects.filter(project=project).first()
    assert poll is not None
    for _n in range(10):
        questions = list(poll.questions.all())
        poll.pk = None
        poll._state.adding = True
        poll.save()
        for question in questions:
            options = list(question.options.all())
            question.pk, question.poll = None, poll
            question.save()
            for option in options:
                option.pk, option.question = None, question
                option.save()
    assert [_queries(client, url) for url in urls] == small


def test_sharing_makes_the_cached_library_pages_stale(fresh_page, town):
    project = town["project"]
    page = fresh_page(
        reverse("processtemplates:library"),
        lambda: services.template_share(
            user=town["superuser"], project=project, method="Neu beschrieben.", channels=[]
        ),
    )
    assert "Unsere Stadt der Zukunft" in page
    detail = town["shared"].get_absolute_url()
    page = fresh_page(
        detail,
        lambda: services.template_share(
            user=town["superuser"], project=project, method="Noch einmal neu.", channels=[]
        ),
    )
    assert "Noch einmal neu." in page
    page = fresh_page(
        reverse("processtemplates:library"),
        lambda: services.template_unshare(
            user=town["superuser"], shared=SharedTemplate.objects.get()
        ),
    )
    assert "Noch hat keine Kommune einen Prozess geteilt." in page


def test_the_municipality_page_lists_its_shared_processes(client, town):
    page = client.get(town["home"].get_absolute_url()).content.decode()
    assert "Als Vorlage geteilt" in page and town["shared"].get_absolute_url() in page
    page = client.get(town["other"].get_absolute_url()).content.decode()
    assert "Als Vorlage geteilt" not in page
