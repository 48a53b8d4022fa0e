import importlib

import pytest
from django.test import RequestFactory
from django.urls import clear_url_caches, resolve

from mitmachen.core.media import media_headers, serve_media


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "proposals" / "files").mkdir(parents=True)
    (tmp_path / "proposals" / "files" / "a1.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (tmp_path / "proposals" / "images").mkdir(parents=True)
    (tmp_path / "proposals" / "images" / "b2.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (tmp_path / "c3.html").write_bytes(b"<script>alert(1)</script>")
    return tmp_path


@pytest.mark.parametrize(
    ("path", "disposition"),
    [
        ("proposals/files/a1.pdf", "attachment"),
        ("proposals/images/b2.jpg", "inline"),
        ("c3.html", "attachment"),
    ],
)
def test_uploads_are_served_with_nosniff_and_documents_as_downloads(media_root, path, disposition):
    response = serve_media(RequestFactory().get(f"/media/{path}"), path)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.headers.get("Content-Disposition") == disposition
    assert media_headers(path.upper()).get("Content-Disposition") == disposition


def test_development_server_serves_media_through_it(settings, media_root, client):
    import config.urls

    settings.DEBUG = True
    try:
        importlib.reload(config.urls)
        clear_url_caches()
        assert resolve("/media/proposals/files/a1.pdf").func is serve_media
        response = client.get("/media/proposals/files/a1.pdf")
        assert response["Content-Disposition"] == "attachment"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert client.get("/media/../settings.py").status_code in (400, 404)
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
        clear_url_caches()
