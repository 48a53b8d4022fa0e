"""The Content-Security-Policy (django-csp, CONTENT_SECURITY_POLICY in the settings) and the
Permissions-Policy: the exact directives, where they apply, and the tile-server allowance."""

import runpy
from pathlib import Path

import pytest

from config.settings import tile_origin

pytestmark = pytest.mark.django_db
SETTINGS = Path(__file__).resolve().parents[3] / "config" / "settings.py"

# Directive → sources. django-csp writes the directives in an order that may differ between
# processes, so the tests compare the parsed policy, not the header string.
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}
PERMISSIONS = "camera=(), microphone=(), geolocation=(self), payment=()"


def directives(header):
    parsed = {}
    for part in header.split(";"):
        name, _, sources = part.strip().partition(" ")
        assert name not in parsed, f"{name} twice in {header!r}"
        parsed[name] = sources
    return parsed


@pytest.mark.parametrize("url", ["/", "/projekte/", "/gibt-es-nicht/", "/konto/anmelden/"])
def test_pages_get_exactly_the_policy(client, organisation, url):
    response = client.get(url)
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert response["Permissions-Policy"] == PERMISSIONS
    assert "Content-Security-Policy-Report-Only" not in response


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/"])
def test_the_admin_gets_neither_header(client, url):
    # The Django admin uses inline scripts and styles of its own.
    response = client.get(url)
    assert "Content-Security-Policy" not in response
    assert "Permissions-Policy" not in response


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("", ""),
        ("https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("https://tiles.example.org:8443/{z}/{x}/{y}.png", "https://tiles.example.org:8443"),
        ("/kacheln/{z}/{x}/{y}.png", ""),  # this host: 'self' covers it
    ],
)
def test_tile_origin(url, origin):
    assert tile_origin(url) == origin


def test_tile_server_is_allowed_for_images_only(monkeypatch):
    monkeypatch.setenv("MAP_TILE_URL", "https://{s}.tile.example.org/{z}/{x}/{y}.png")
    configured = runpy.run_path(str(SETTINGS))["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert configured.pop("img-src") == ["'self'", "data:", "blob:", "https://*.tile.example.org"]
    assert all("example.org" not in " ".join(sources) for sources in configured.values())
