"""A map point and images (with alt text) on ideas: the proposals' checks, reused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.budgets import services
from mitmachen.budgets.models import Idea, IdeaImage
from mitmachen.core.tests.test_images import jpeg_with_gps
from mitmachen.proposals.services import ImageUpload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def submit(budget, group, **kwargs):
    return services.idea_submit(
        author=UserFactory(),
        budget=budget,
        group=group,
        title="Bank am Teich",
        description="Eine Bank.",
        estimated_cost=300,
        **kwargs,
    )


def test_point_decides_the_district_and_images_lose_their_metadata(budget, town, region):
    idea = submit(
        budget,
        town,
        district=region["west"],  # the point lies in Ost and wins
        lon=12.015,
        lat=52.005,
        images=[
            ImageUpload(jpeg_with_gps(), alt_text="Der Teich im Sommer"),
            ImageUpload(jpeg_with_gps(), decorative=True),
        ],
    )
    assert (idea.lon, idea.lat, idea.district) == (12.015, 52.005, region["east"])
    images = list(idea.images.all())
    assert [(i.alt_text, i.decorative) for i in images] == [
        ("Der Teich im Sommer", False),
        ("", True),
    ]
    with Image.open(images[0].image.path) as stored:
        assert not stored.getexif()
    assert "Teich" not in images[0].image.name  # a random name, not the upload's


@pytest.mark.parametrize(
    ("kwargs", "key", "message"),
    [
        ({"lon": 13.5, "lat": 52.0}, "lon", "außerhalb des Gebiets"),
        ({"lon": 12.005, "lat": None}, "lon", "unvollständig"),
        ({"images": [ImageUpload(jpeg_with_gps())]}, "image_1_alt", "beschreiben"),
        (
            {"images": [ImageUpload(SimpleUploadedFile("x.jpg", b"<html>"), alt_text="x")]},
            "image_1",
            "kein lesbares Bild",
        ),
    ],
)
def test_bad_point_or_image_stores_nothing(budget, town, kwargs, key, message):
    with pytest.raises(ValidationError) as error:
        submit(budget, town, **kwargs)
    assert message in " ".join(error.value.message_dict[key])
    assert not Idea.objects.exists() and not IdeaImage.objects.exists()


def test_idea_form_with_point_and_image_without_javascript(client, budget, town, resident):
    client.force_login(resident)
    url = reverse("budgets:idea_create", args=[budget.pk])
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page and "picker-districts" in page
    upload = jpeg_with_gps()
    response = client.post(
        url,
        {
            "group": town.pk,
            "title": "Spielplatz",
            "description": "Ein Spielplatz.",
            "estimated_cost": "800",
            "district": "",
            "lon": "12.005",
            "lat": "52.005",
            "image_1": upload,
            "image_1_alt": "Die Wiese hinter der Schule",
        },
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.district.name == "West" and idea.images.count() == 1
    detail = client.get(idea.get_absolute_url()).content.decode()
    assert 'alt="Die Wiese hinter der Schule"' in detail
    assert 'id="idea-point"' in detail


def test_idea_form_refuses_an_image_without_description(client, budget, town, resident):
    client.force_login(resident)
    response = client.post(
        reverse("budgets:idea_create", args=[budget.pk]),
        {
            "group": town.pk,
            "title": "Spielplatz",
            "description": "Ein Spielplatz.",
            "estimated_cost": "800",
            "image_1": jpeg_with_gps(),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Bitte beschreiben Sie, was auf dem Bild zu sehen ist" in body
    assert 'id="form-errors"' in body
    assert not Idea.objects.exists()
