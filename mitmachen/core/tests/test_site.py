import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from mitmachen.core.views import server_error

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def test_home_is_german_even_for_english_browsers(client, organisation):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    content = response.content.decode()
    assert '<html lang="de"' in content
    assert "Zum Inhalt springen" in content


def test_language_switch_to_english_and_back(client, organisation):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/projekte/"})
    assert response.status_code == 302 and response["Location"] == "/projekte/"
    page = client.get("/projekte/")
    assert page["Content-Language"] == "en"
    assert '<html lang="en"' in page.content.decode()
    assert "Skip to content" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert client.get("/")["Content-Language"] == "de"


def test_unknown_language_cookie_falls_back_to_german(client, organisation):
    client.cookies["django_language"] = "xx"
    assert client.get("/")["Content-Language"] == "de"


def test_security_headers(client, organisation):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_page_has_landmarks_skip_link_and_one_h1(client, organisation):
    content = client.get("/").content.decode()
    assert content.count("<h1") == 1
    assert '<a class="skip-link" href="#inhalt">' in content
    for landmark in ('<header class="site-header">', '<main id="inhalt"', "<footer", "<nav"):
        assert landmark in content


def test_german_404(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_german_500_page_renders_without_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Technischer Fehler" in response.content.decode()


def test_healthz(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert {name: c["status"] for name, c in data["components"].items()} == {
        "database": "ok",
        "cache": "ok",
        "tasks": "ok",
    }


def _run_manage(*args, env_extra):
    skip = {"DEBUG", "PYTEST_CURRENT_TEST", "DJANGO_ALLOW_ASYNC_UNSAFE", "MITMACHEN_TESTING"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_production_settings_pass_check_deploy():
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "SECRET_KEY": "x" * 10 + "-production-secret-key-with-enough-entropy-1234567890",
            "ALLOWED_HOSTS": "beteiligung.example.org",
            "SITE_URL": "https://beteiligung.example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    result = _run_manage("check", env_extra={"SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_language_choice_does_not_leak_out_of_the_request(client, organisation):
    from django.utils import translation

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get("/")["Content-Language"] == "en"
    assert translation.get_language() == "de"
