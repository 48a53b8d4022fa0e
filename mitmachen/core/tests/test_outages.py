"""Outages of the database: a 503 with Retry-After and a German page, never a 500."""

import logging

import pytest
from django.db import InterfaceError, OperationalError, connection

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
from mitmachen.proposals.models import Support
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def _database_down(error_class):
    """Every query fails, as when the server is gone (also while the error page renders)."""

    def fail(execute, sql, params, many, context):
        raise error_class("server closed the connection unexpectedly")

    return connection.execute_wrapper(fail)


@pytest.fixture
def erroring_client(client):
    client.raise_request_exception = False  # answer like production, don't re-raise
    return client


@pytest.mark.parametrize("error_class", [OperationalError, InterfaceError])
@pytest.mark.parametrize("path", ["/", "/projekte/", "/vorschlaege/1/"])
def test_database_outage_answers_503_in_german(erroring_client, organisation, error_class, path):
    with _database_down(error_class):
        response = erroring_client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    content = response.content.decode()
    assert "Vorübergehend nicht erreichbar" in content
    assert "noch einmal" in content


def test_database_outage_for_a_signed_in_write(erroring_client, caplog):
    project = ProjectFactory()
    PhaseFactory(project=project, actions=["support"])
    proposal = ProposalFactory(project=project)
    erroring_client.force_login(UserFactory())
    url = f"/vorschlaege/{proposal.pk}/unterstuetzen/"
    with _database_down(OperationalError), caplog.at_level(logging.ERROR):
        response = erroring_client.post(url)
    assert response.status_code == 503
    assert "Vorübergehend nicht erreichbar" in response.content.decode()
    assert not Support.objects.exists()


def test_other_errors_stay_500(erroring_client, monkeypatch):
    def broken(request):
        raise ValueError("bug")

    monkeypatch.setattr("mitmachen.projects.sections.Project.objects.visible_to", broken)
    response = erroring_client.get("/")
    assert response.status_code == 500
    assert "Technischer Fehler" in response.content.decode()
    assert "Retry-After" not in response


def test_healthz_reports_a_database_outage_with_503(client):
    with _database_down(OperationalError):
        response = client.get("/healthz/")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "down"
    assert data["components"]["database"]["status"] == "down"


def test_healthz_reports_a_stuck_task_queue_as_degraded(client, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from mitmachen.core.mail import send_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["mail"]}}
    send_email.enqueue(subject="Hallo", body="Text", to=["a@example.org"])
    assert client.get("/healthz/").json()["components"]["tasks"]["status"] == "ok"
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))
    data = client.get("/healthz/").json()
    assert data["status"] == "degraded"
    assert data["components"]["tasks"] == {
        "status": "degraded",
        "backend": "database",
        "waiting": 1,
        "oldest_waiting_seconds": data["components"]["tasks"]["oldest_waiting_seconds"],
    }
    assert data["components"]["tasks"]["oldest_waiting_seconds"] >= 3600
