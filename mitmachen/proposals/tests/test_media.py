import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.core.tests.test_images import jpeg_with_gps
from mitmachen.core.upload_checks import AttachmentUpload, ImageUpload
from mitmachen.proposals.models import Proposal, ProposalAttachment, ProposalImage
from mitmachen.proposals.services import proposal_create, proposal_update

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(pages=1, password=None):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile("plan.pdf", buffer.getvalue(), content_type="application/pdf")


def create(project, **kwargs):
    return proposal_create(
        author=UserFactory(), project=project, title="Bänke", text="Mehr.", **kwargs
    )


def test_images_are_stored_without_metadata_with_alt_text(project):
    proposal = create(
        project,
        images=[
            ImageUpload(jpeg_with_gps(), alt_text="Marktplatz im Sommer"),
            ImageUpload(jpeg_with_gps(), decorative=True),
        ],
        attachments=[AttachmentUpload(pdf(pages=2), title="Lageplan")],
    )
    images = list(proposal.images.all())
    assert [i.alt_text for i in images] == ["Marktplatz im Sommer", ""]
    assert images[1].decorative
    with Image.open(images[0].image.path) as stored:
        assert not stored.getexif()
    attachment = proposal.attachments.get()
    assert (attachment.title, attachment.pages) == ("Lageplan", 2)
    assert attachment.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("kwargs", "key", "message"),
    [
        ({"images": [ImageUpload(jpeg_with_gps())]}, "image_1_alt", "beschreiben"),
        (
            {"images": [ImageUpload(SimpleUploadedFile("x.jpg", b"<html>"), alt_text="x")]},
            "image_1",
            "kein lesbares Bild",
        ),
        (
            {"attachments": [AttachmentUpload(SimpleUploadedFile("x.pdf", b"MZ\x90\x00"))]},
            "attachment_1",
            "keine PDF-Datei",
        ),
        (
            {"attachments": [AttachmentUpload(SimpleUploadedFile("x.pdf", b"%PDF-1.4 kaputt"))]},
            "attachment_1",
            "beschädigt",
        ),
        (
            {"attachments": [AttachmentUpload(pdf(password="geheim"))]},
            "attachment_1",
            "Verschlüsselte",
        ),
        (
            {"images": [ImageUpload(jpeg_with_gps(), alt_text="a")] * 4},
            "__all__",
            "Höchstens 3 Bilder",
        ),
    ],
)
def test_bad_uploads_store_nothing(project, kwargs, key, message):
    with pytest.raises(ValidationError) as info:
        create(project, **kwargs)
    assert message in " ".join(info.value.message_dict[key])
    assert not Proposal.objects.exists()
    assert not ProposalImage.objects.exists() and not ProposalAttachment.objects.exists()


def test_edit_adds_and_removes_media_within_limits(project):
    author = UserFactory()
    proposal = proposal_create(
        author=author,
        project=project,
        title="x",
        text="y",
        images=[ImageUpload(jpeg_with_gps(), alt_text=f"Bild {n}") for n in range(3)],
    )
    first = proposal.images.first()
    with pytest.raises(ValidationError, match="Höchstens 3 Bilder"):
        proposal_update(
            user=author,
            proposal=proposal,
            title="x",
            text="y",
            images=[ImageUpload(jpeg_with_gps(), alt_text="viertes")],
        )
    proposal_update(
        user=author,
        proposal=proposal,
        title="x",
        text="y",
        images=[ImageUpload(jpeg_with_gps(), alt_text="neu")],
        remove_images=[first.pk],
    )
    assert sorted(proposal.images.values_list("alt_text", flat=True)) == ["Bild 1", "Bild 2", "neu"]


def test_form_upload_and_detail_page(client, project):
    client.force_login(UserFactory())
    response = client.post(
        f"/projekte/{project.slug}/vorschlaege/neu/",
        {
            "title": "Bänke",
            "text": "Mehr Sitzplätze.",
            "image_1": jpeg_with_gps(),
            "image_1_alt": "Leerer Platz am Brunnen",
            "image_2": jpeg_with_gps(),
            "image_2_decorative": "on",
            "attachment_1": pdf(pages=3),
            "attachment_1_title": "Skizze",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    proposal = Proposal.objects.get()
    content = client.get(proposal.get_absolute_url()).content.decode()
    assert 'alt="Leerer Platz am Brunnen"' in content
    assert 'alt=""' in content  # the decorative one
    assert "Skizze</a>" in content and "PDF, 3 Seiten" in content


def test_form_shows_german_errors_and_stores_nothing(client, project):
    client.force_login(UserFactory())
    response = client.post(
        f"/projekte/{project.slug}/vorschlaege/neu/",
        {
            "title": "Bänke",
            "text": "Mehr.",
            "image_1": jpeg_with_gps(),
            "attachment_1": SimpleUploadedFile("rechnung.pdf", b"<html>nein</html>"),
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "beschreiben Sie, was auf dem Bild zu sehen ist" in content
    assert "Die Datei ist keine PDF-Datei." in content
    assert not Proposal.objects.exists()


def test_edit_without_js_can_remove_the_point(client, project, region):
    author = UserFactory()
    proposal = proposal_create(
        author=author, project=project, title="x", text="y", lon=12.015, lat=52.005
    )
    client.force_login(author)
    client.post(
        f"/vorschlaege/{proposal.pk}/bearbeiten/",
        {
            "title": "x",
            "text": "y",
            "district": region["west"].pk,
            "lon": "12.015",
            "lat": "52.005",
            "remove_point": "on",
        },
    )
    proposal.refresh_from_db()
    assert (proposal.lon, proposal.lat, proposal.district) == (None, None, region["west"])


def test_uploads_are_stored_under_random_names_not_the_original_ones(project):
    photo = jpeg_with_gps()
    photo.name = "IMG_Familie_Mueller.jpg"
    document = pdf()
    document.name = "Antrag_Familie_Mueller.pdf"
    proposal = create(
        project,
        images=[ImageUpload(photo, alt_text="Garten")],
        attachments=[AttachmentUpload(document)],
    )
    image = proposal.images.get()
    attachment = proposal.attachments.get()
    for stored in (image.image, attachment.file):
        assert "Mueller" not in stored.name and "Familie" not in stored.url
        assert re.fullmatch(
            r"proposals/(images|files)/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|pdf)", stored.name
        )
    # Staff still see the original name where they need it: the PDF's title.
    assert attachment.title == "Antrag_Familie_Mueller"


# Uploads kept across the "similar proposals" step (audit issue 18, finding 12) ------------


def _pending_files(tmp_path):
    from mitmachen.proposals.services import PENDING_DIR

    folder = tmp_path / PENDING_DIR
    return sorted(folder.iterdir()) if folder.exists() else []


def _similar_step(client, project, **extra):
    """A look-alike exists, so the first post comes back instead of publishing."""
    create(project)  # "Bänke" – "Mehr."
    data = {
        "title": "Bänke am Brunnen",
        "text": "Mehr Bänke, bitte.",
        "image_1": jpeg_with_gps(),
        "image_1_alt": "Leerer Platz am Brunnen",
        "attachment_1": pdf(),
        "attachment_1_title": "Skizze",
        **extra,
    }
    return client.post(f"/projekte/{project.slug}/vorschlaege/neu/", data)


def _publish_anyway(client, project, **extra):
    data = {
        "title": "Bänke am Brunnen",
        "text": "Mehr Bänke, bitte.",
        "image_1_alt": "Leerer Platz am Brunnen",
        "attachment_1_title": "Skizze",
        "trotzdem": "1",
        **extra,
    }
    return client.post(f"/projekte/{project.slug}/vorschlaege/neu/", data)


def test_similar_step_keeps_the_photo_until_publishing(client, project, tmp_path):
    from mitmachen.proposals.services import PENDING_DIR

    client.force_login(UserFactory())
    response = _similar_step(client, project)
    content = response.content.decode()
    assert response.status_code == 200 and "Gibt es Ihren Vorschlag schon?" in content
    assert "Ihr Foto ist gespeichert: urlaub.jpg" in content
    assert "Ihre PDF-Datei ist gespeichert: plan.pdf" in content
    assert PENDING_DIR not in content  # no address of the kept file on the page
    kept = _pending_files(tmp_path)
    assert len(kept) == 2 and all("urlaub" not in p.name and "." not in p.name for p in kept)
    assert Proposal.objects.count() == 1

    response = _publish_anyway(client, project)  # the file inputs are empty now
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal = Proposal.objects.get(title="Bänke am Brunnen")
    assert list(proposal.images.values_list("alt_text", flat=True)) == ["Leerer Platz am Brunnen"]
    assert list(proposal.attachments.values_list("title", flat=True)) == ["Skizze"]
    with Image.open(proposal.images.get().image.path) as stored:
        assert not stored.getexif().get(0x8825)  # still sanitised: no GPS
    assert _pending_files(tmp_path) == []  # used and deleted
    assert not any(k.startswith("vorschlag-uploads") for k in client.session.keys())


def test_kept_photo_can_be_removed(client, project, tmp_path):
    client.force_login(UserFactory())
    _similar_step(client, project)
    response = _publish_anyway(client, project, datei_entfernen=["image_1"])
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal = Proposal.objects.get(title="Bänke am Brunnen")
    assert not proposal.images.exists() and proposal.attachments.count() == 1
    assert _pending_files(tmp_path) == []


def test_kept_uploads_belong_to_the_session(client, project, tmp_path):
    from django.test import Client

    client.force_login(UserFactory())
    _similar_step(client, project)
    other = Client()
    other.force_login(UserFactory())
    response = _publish_anyway(other, project)
    assert response.status_code == 302
    proposal = Proposal.objects.get(title="Bänke am Brunnen")
    assert not proposal.images.exists() and not proposal.attachments.exists()
    assert len(_pending_files(tmp_path)) == 2  # still the first person's


def test_kept_uploads_are_deleted_after_a_day(client, project, tmp_path):
    import os
    import time

    from mitmachen.proposals.services import pending_uploads_cleanup

    client.force_login(UserFactory())
    _similar_step(client, project)
    kept = _pending_files(tmp_path)
    assert pending_uploads_cleanup() == 0
    old = time.time() - 25 * 3600
    os.utime(kept[0], (old, old))
    assert pending_uploads_cleanup() == 1
    assert _pending_files(tmp_path) == kept[1:]
    # The person's slot whose file is gone is simply empty again: no error.
    response = _publish_anyway(client, project)
    assert response.status_code == 302


def test_edit_form_offers_stored_media_for_removal_as_checkbox_groups(client, project):
    """Each stored image and PDF is a checkbox with its own label inside a fieldset whose
    legend names the group (a <label for=""> named nothing: invalid HTML, no name for
    screen readers); without stored media there is no empty group."""
    author = UserFactory()
    client.force_login(author)
    bare = proposal_create(author=author, project=project, title="x", text="y")
    content = client.get(f"/vorschlaege/{bare.pk}/bearbeiten/").content.decode()
    assert "Diese Bilder entfernen" not in content
    assert 'for=""' not in content

    proposal = proposal_create(
        author=author,
        project=project,
        title="x",
        text="y",
        images=[ImageUpload(jpeg_with_gps(), alt_text=f"Bild {n}") for n in range(2)],
        attachments=[AttachmentUpload(pdf(), title="Lageplan")],
    )
    content = client.get(f"/vorschlaege/{proposal.pk}/bearbeiten/").content.decode()
    assert 'for=""' not in content
    assert re.search(r"<legend[^>]*>Diese Bilder entfernen", content)
    assert re.search(r"<legend[^>]*>Diese PDF-Dateien entfernen", content)
    first, second = proposal.images.order_by("pk")
    for image, n in ((first, 0), (second, 1)):
        assert (
            f'<input class="kern-form-check__checkbox" type="checkbox" name="remove_images" '
            f'id="id_remove_images_{n}" value="{image.pk}">' in content
        )
        assert f'<label class="kern-label" for="id_remove_images_{n}">Bild {n}</label>' in content
    assert '<label class="kern-label" for="id_remove_attachments_0">Lageplan</label>' in content

    response = client.post(
        f"/vorschlaege/{proposal.pk}/bearbeiten/",
        {
            "title": "x",
            "text": "y",
            "remove_images": [first.pk],
            "remove_attachments": [proposal.attachments.get().pk],
        },
    )
    assert response.status_code == 302
    assert list(proposal.images.values_list("alt_text", flat=True)) == ["Bild 1"]
    assert not proposal.attachments.exists()
