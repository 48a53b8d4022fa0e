import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mitmachen.core.images import sanitise_image


def jpeg_with_gps(size=(64, 48)):
    image = Image.new("RGB", size, "#336699")
    exif = Image.Exif()
    exif[0x010F] = "Kamera AG"  # Make
    exif[0x8825] = {2: (52.0, 8.0, 30.0), 4: (12.0, 35.0, 0.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("urlaub.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_strips_exif_and_gps():
    upload = jpeg_with_gps()
    with Image.open(upload) as before:
        assert before.getexif()
    result = sanitise_image(upload)
    with Image.open(io.BytesIO(result.read())) as after:
        assert not after.getexif()
        assert after.size == (64, 48)
    assert result.name == "urlaub.jpg"


def test_resizes_large_images():
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 1500)).save(buffer, format="PNG")
    result = sanitise_image(SimpleUploadedFile("gross.png", buffer.getvalue()))
    with Image.open(io.BytesIO(result.read())) as after:
        assert after.size == (2400, 1200)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "kein lesbares Bild"),
        (b"GIF89a" + b"\x00" * 100, "kein lesbares Bild"),
    ],
)
def test_rejects_non_images(content, message):
    with pytest.raises(ValidationError, match=message):
        sanitise_image(SimpleUploadedFile("fake.jpg", content))


def test_rejects_gif_and_bombs():
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, format="GIF")
    with pytest.raises(ValidationError, match="JPEG, PNG oder WebP"):
        sanitise_image(SimpleUploadedFile("bild.gif", buffer.getvalue()))
    buffer = io.BytesIO()
    Image.new("1", (8000, 8000)).save(buffer, format="PNG")  # 64 megapixels, tiny file
    with pytest.raises(ValidationError, match="zu viele Bildpunkte"):
        sanitise_image(SimpleUploadedFile("bombe.png", buffer.getvalue()))
