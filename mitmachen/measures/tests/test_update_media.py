"""Images and documents on updates: checked by content, stored clean, shown in the
timeline and the feed, deleted with the update; a bad file stores nothing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from mitmachen.core.tests.test_images import jpeg_with_gps
from mitmachen.measures import media, services
from mitmachen.measures.media import DocumentUpload, ImageUpload
from mitmachen.measures.models import MeasureUpdate, MeasureUpdateDocument, MeasureUpdateImage
from mitmachen.measures.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def measure(goal):
    return MeasureFactory(goal=goal, title="Marktplatz-Programm")


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def png(name="plan.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "#aa3300").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name="bericht.pdf"):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def zipped(name, entries, content_type="application/zip"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for entry, data in entries:
            archive.writestr(entry, data)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def odt(name="protokoll.odt", extra=()):
    return zipped(
        name,
        [
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", "<office:document-content/>"),
            *extra,
        ],
    )


def docx(name="vermerk.docx", main=True, extra=()):
    types = (
        '<Types><Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        if main
        else "<Types/>"
    )
    return zipped(
        name,
        [("[Content_Types].xml", types), ("word/document.xml", "<w:document/>"), *extra],
    )


def post(user, measure, **kwargs):
    return services.update_post(
        user=user, measure=measure, text="Die Bauarbeiten haben begonnen.", **kwargs
    )


def test_images_lose_their_metadata_and_keep_their_alt_text(manager, measure, media_root):
    update = post(
        manager,
        measure,
        images=[
            ImageUpload(jpeg_with_gps(), alt_text="Bagger auf dem Marktplatz"),
            # Recognised by its content: a PNG called .jpg is stored as a PNG.
            ImageUpload(png("foto.jpg"), alt_text="Lageplan"),
        ],
    )
    first, second = update.images.all()
    assert (first.alt_text, second.alt_text) == ("Bagger auf dem Marktplatz", "Lageplan")
    with Image.open(first.image.path) as stored:
        assert not stored.getexif()
        assert stored.format == "JPEG"
    assert second.image.name.endswith(".png")
    assert (second.width, second.height) == (20, 10)
    # Random names: the uploader's file name never reaches a public address.
    assert "urlaub" not in first.image.name and "foto" not in second.image.name


@pytest.mark.parametrize(
    ("upload", "kind", "suffix"),
    [
        (pdf, "pdf", ".pdf"),
        (odt, "odt", ".odt"),
        (docx, "docx", ".docx"),
        # The name does not decide: an ODT called .pdf is an ODT.
        (lambda: odt("bericht.pdf"), "odt", ".odt"),
    ],
)
def test_documents_are_recognised_by_their_content(manager, measure, upload, kind, suffix):
    update = post(manager, measure, documents=[DocumentUpload(upload(), title="Bericht")])
    document = update.documents.get()
    assert (document.kind, document.title) == (kind, "Bericht")
    assert document.file.name.endswith(suffix)
    assert document.size == document.file.size
    assert document.mime_type.startswith("application/")


def test_a_document_without_title_takes_the_file_name(manager, measure):
    update = post(manager, measure, documents=[DocumentUpload(pdf("Zeitplan 2026.pdf"))])
    assert update.documents.get().title == "Zeitplan 2026"


BAD_DOCUMENTS = [
    (lambda: SimpleUploadedFile("x.pdf", b"<html>kein PDF</html>"), "PDF, ODT oder DOCX"),
    (lambda: SimpleUploadedFile("x.docx", b"PK\x03\x04kaputt"), "beschädigt"),
    (lambda: zipped("x.odt", [("content.xml", "<a/>")]), "PDF, ODT oder DOCX"),
    (lambda: docx(main=False), "PDF, ODT oder DOCX"),
    (lambda: odt(extra=[("Basic/Standard/Module1.xml", "Sub Main")]), "Makros"),
    (lambda: docx(extra=[("word/vbaProject.bin", "x")]), "Makros"),
    (lambda: SimpleUploadedFile("leer.pdf", b""), "leer"),
    (lambda: SimpleUploadedFile("x.pdf", b"%PDF-1.4 kaputt"), "beschädigt"),
]


@pytest.mark.parametrize(("upload", "message"), BAD_DOCUMENTS)
def test_bad_documents_store_nothing(manager, measure, media_root, upload, message):
    with pytest.raises(ValidationError) as caught:
        post(
            manager,
            measure,
            images=[ImageUpload(jpeg_with_gps(), alt_text="Baustelle")],
            documents=[DocumentUpload(pdf()), DocumentUpload(upload())],
        )
    assert message in " ".join(caught.value.message_dict["document_2"])
    assert not MeasureUpdate.objects.exists()
    assert not MeasureUpdateImage.objects.exists() and not MeasureUpdateDocument.objects.exists()
    assert stored_files(media_root) == []


def test_a_zip_bomb_and_a_big_document_are_refused(manager, measure, monkeypatch):
    monkeypatch.setattr(media, "MAX_UNPACKED", 1000)
    with pytest.raises(ValidationError, match="entpackt zu groß"):
        post(manager, measure, documents=[DocumentUpload(odt(extra=[("big.xml", "x" * 2000)]))])
    monkeypatch.setattr(media, "MAX_DOCUMENT_BYTES", 100)
    with pytest.raises(ValidationError, match="größer als 10 MB"):
        post(manager, measure, documents=[DocumentUpload(pdf())])
    assert not MeasureUpdate.objects.exists()


@pytest.mark.parametrize(
    ("upload", "alt", "field", "message"),
    [
        (jpeg_with_gps, "  ", "image_1_alt", "Bitte beschreiben Sie, was auf Bild 1"),
        (jpeg_with_gps, "x" * 251, "image_1_alt", "höchstens 250 Zeichen"),
        (lambda: SimpleUploadedFile("bild.jpg", b"GIF89a..."), "Ein Bild", "image_1", "Bild"),
        (lambda: SimpleUploadedFile("bild.png", b"%PDF-1.4"), "Ein Bild", "image_1", "Bild"),
    ],
)
def test_bad_images_store_nothing(manager, measure, media_root, upload, alt, field, message):
    with pytest.raises(ValidationError) as caught:
        post(manager, measure, images=[ImageUpload(upload(), alt_text=alt)])
    assert message in " ".join(caught.value.message_dict[field])
    assert not MeasureUpdate.objects.exists()
    assert stored_files(media_root) == []


def test_an_image_needs_its_alt_text_in_the_database_too(manager, measure):
    from django.db import IntegrityError

    update = post(manager, measure)
    with pytest.raises(IntegrityError):
        MeasureUpdateImage.objects.create(
            update=update, image="x.png", alt_text="", width=1, height=1
        )


def test_only_the_municipality_s_managers_attach_files(measure, moderator, stranger_staff):
    for user in (moderator, stranger_staff):
        with pytest.raises(PermissionDenied):
            post(user, measure, images=[ImageUpload(jpeg_with_gps(), alt_text="Bagger")])
    assert not MeasureUpdate.objects.exists()


def test_files_are_deleted_with_the_update(
    manager, measure, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        update = post(
            manager,
            measure,
            images=[ImageUpload(jpeg_with_gps(), alt_text="Bagger")],
            documents=[DocumentUpload(odt())],
        )
    assert len(stored_files(media_root)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.update_delete(user=manager, update=update)
    assert not MeasureUpdateImage.objects.exists() and not MeasureUpdateDocument.objects.exists()
    assert stored_files(media_root) == []


def test_files_are_deleted_with_the_measure(
    manager, measure, media_root, django_capture_on_commit_callbacks
):
    post(manager, measure, images=[ImageUpload(jpeg_with_gps(), alt_text="Bagger")])
    assert len(stored_files(media_root)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.measure_delete(user=manager, measure=measure)
    assert stored_files(media_root) == []


def test_only_managers_delete_updates(measure, manager, moderator, stranger_staff, resident):
    update = post(manager, measure)
    for user in (moderator, stranger_staff, resident):
        with pytest.raises(PermissionDenied):
            services.update_delete(user=user, update=update)
    assert MeasureUpdate.objects.filter(pk=update.pk).exists()


def test_timeline_and_feeds_show_images_and_documents(client, manager, measure, settings):
    settings.SITE_URL = "https://beteiligung.example.org"
    update = post(
        manager,
        measure,
        images=[ImageUpload(jpeg_with_gps(), alt_text="Bagger auf dem Marktplatz")],
        documents=[DocumentUpload(pdf(), title="Bauzeitenplan")],
    )
    image, document = update.images.get(), update.documents.get()
    page = client.get(measure.get_absolute_url()).content.decode()
    assert f'src="{image.image.url}" alt="Bagger auf dem Marktplatz"' in page
    assert f'width="{image.width}" height="{image.height}"' in page
    assert f'href="{document.file.url}" download="Bauzeitenplan.pdf"' in page
    assert "(PDF," in page
    assert "löschen" not in page  # residents and visitors get no delete link
    for url in (
        reverse("measures:measure_feed", args=[measure.pk]),
        reverse("measures:feed", args=[measure.organisation.slug]),
    ):
        root = ElementTree.fromstring(client.get(url).content)
        entry = root.find(f"{ATOM}entry")
        enclosures = [
            (link.get("href"), link.get("length"), link.get("type"))
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel") == "enclosure"
        ]
        site = "https://beteiligung.example.org"
        assert enclosures == [
            (f"{site}{image.image.url}", str(image.image.size), "image/jpeg"),
            (f"{site}{document.file.url}", str(document.size), "application/pdf"),
        ]
        content = entry.find(f"{ATOM}summary").text
        assert f'<img src="{site}{image.image.url}" alt="Bagger auf dem Marktplatz">' in content
        assert f'<a href="{site}{document.file.url}">Bauzeitenplan</a>' in content


def jpeg_upload(name="baustelle.jpg"):
    upload = jpeg_with_gps()
    return SimpleUploadedFile(name, upload.read(), content_type="image/jpeg")


def test_staff_post_files_through_the_form(client, manager, measure, media_root):
    client.force_login(manager)
    url = reverse("measures:update", args=[measure.pk])
    response = client.post(
        url,
        {
            "text": "Neue Fotos.",
            "image_1": jpeg_upload(),
            "image_1_alt": "Die neue Bank",
            "document_1": docx(),
            "document_1_title": "Vermerk",
        },
    )
    assert response.status_code == 302
    update = MeasureUpdate.objects.get()
    assert update.images.get().alt_text == "Die neue Bank"
    assert update.documents.get().kind == "docx"


def test_the_form_says_what_is_wrong_and_stores_nothing(client, manager, measure, media_root):
    client.force_login(manager)
    url = reverse("measures:update", args=[measure.pk])
    response = client.post(
        url,
        {
            "text": "Neue Fotos.",
            "image_1": jpeg_upload(),
            "document_1": SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 ein Programm"),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Fehler:" in page
    assert "Bitte beschreiben Sie, was auf Bild 1 zu sehen ist." in page
    assert "kein Dokument im Format PDF, ODT oder DOCX" in page
    assert not MeasureUpdate.objects.exists()
    assert stored_files(media_root) == []


def test_staff_delete_an_update_after_confirming(
    client, manager, resident, moderator, measure, media_root, django_capture_on_commit_callbacks
):
    update = post(manager, measure, images=[ImageUpload(jpeg_with_gps(), alt_text="Bagger")])
    url = reverse("measures:update_delete", args=[update.pk])
    for user in (resident, moderator):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    client.force_login(manager)
    page = client.get(measure.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Ihr 1 Bild wird gelöscht." in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not MeasureUpdate.objects.exists()
    assert stored_files(media_root) == []
    assert client.get(url).status_code == 404
