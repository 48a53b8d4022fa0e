"""A Redis outage slows the site down but breaks nothing (a redis-server of the test's own)."""

import logging
import shutil
import socket
import subprocess
import time

import pytest
from django.test import override_settings

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core import cache as fail_open
from mitmachen.core import page_cache, rate_limit
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
from mitmachen.proposals.models import Support
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_server():
    port = _free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("redis-server did not start")
    yield process, port
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


def _settings_for(port: int) -> dict:
    return {
        "CACHES": {
            "default": {
                "BACKEND": "mitmachen.core.cache.FailOpenRedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        },
        "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
        "PAGE_CACHE_SECONDS": 60,
    }


def test_site_keeps_working_when_redis_goes_down(client, redis_server, caplog):
    process, port = redis_server
    project = ProjectFactory()
    PhaseFactory(project=project, actions=["support", "comment"])
    proposal = ProposalFactory(project=project)
    resident = UserFactory()
    with override_settings(**_settings_for(port)):
        page_cache.clear_local()
        fail_open.reset_warning()
        anonymous = client.__class__()
        assert anonymous.get("/")[page_cache.STATE_HEADER] == "miss"
        assert anonymous.get("/")[page_cache.STATE_HEADER] == "hit"
        client.force_login(resident)
        assert client.get("/").wsgi_request.user == resident
        assert client.get("/healthz/").json()["components"]["cache"]["status"] == "ok"

        process.kill()
        process.wait(timeout=10)
        page_cache.clear_local()  # this process's copies would hide the outage

        with caplog.at_level(logging.WARNING, logger="mitmachen.cache"):
            # Anonymous pages: served uncached (was: 500 from page_cache._versions).
            for _ in range(3):
                response = anonymous.get(f"/projekte/{project.slug}/")
                assert response.status_code == 200
                assert page_cache.STATE_HEADER not in response
            assert anonymous.get("/").status_code == 200
            # Signed in stays signed in (sessions are read from the database).
            response = client.get("/")
            assert response.status_code == 200
            assert response.wsgi_request.user == resident
            # Writes work; their cache invalidation is dropped.
            response = client.post(f"/vorschlaege/{proposal.pk}/unterstuetzen/")
            assert response.status_code == 302
            assert Support.objects.filter(user=resident, proposal=proposal).exists()
            # Rate limits fail open.
            assert all(rate_limit.hit("test", "1.2.3.4", limit=1, window=60) for _ in range(3))
        warnings = [r for r in caplog.records if r.name == "mitmachen.cache"]
        assert len(warnings) == 1  # once per interval, not once per call

        health = client.get("/healthz/")
        assert health.status_code == 200  # the site works: stay in the load balancer
        data = health.json()
        assert data["status"] == "degraded"
        assert data["components"]["cache"]["status"] == "down"
        assert data["components"]["database"]["status"] == "ok"
