"""The image slots that proposals and budget ideas share (``core.image_slots``)."""

import io

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from mitmachen.budgets.forms import IdeaForm
from mitmachen.core.image_slots import ImageSlotsMixin
from mitmachen.core.upload_checks import MAX_IMAGES, prepare_media
from mitmachen.proposals.forms import ProposalForm


class SlotsForm(ImageSlotsMixin, forms.Form):
    title = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_image_fields()


def png(name="bild.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "#336699").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_three_slots_of_file_description_and_decorative_mark_after_the_other_fields():
    form = SlotsForm()
    assert MAX_IMAGES == 3
    assert list(form.fields) == [
        "title",
        *(f"image_{n}{part}" for n in (1, 2, 3) for part in ("", "_alt", "_decorative")),
    ]
    for n in (1, 2, 3):
        image = form.fields[f"image_{n}"]
        alt = form.fields[f"image_{n}_alt"]
        decorative = form.fields[f"image_{n}_decorative"]
        assert isinstance(image, forms.FileField) and not image.required
        assert image.widget.attrs["accept"] == "image/jpeg,image/png,image/webp"
        assert isinstance(alt, forms.CharField) and not alt.required
        assert alt.max_length == 250
        assert isinstance(decorative, forms.BooleanField) and not decorative.required
        with translation.override("de"):
            assert str(image.label) == f"Bild {n}"
            assert str(alt.label) == f"Was ist auf Bild {n} zu sehen?"
            assert str(decorative.label) == (
                f"Bild {n} ist nur schmückend (keine Beschreibung nötig)"
            )


def test_slots_group_the_bound_inputs_for_the_template():
    slots = SlotsForm().image_slots()
    assert [[field.name for field in slot] for slot in slots] == [
        [f"image_{n}", f"image_{n}_alt", f"image_{n}_decorative"] for n in (1, 2, 3)
    ]
    html = str(slots[0][0])
    assert 'type="file"' in html and 'accept="image/jpeg,image/png,image/webp"' in html
    assert 'maxlength="250"' in str(slots[0][1])
    assert 'type="checkbox"' in str(slots[0][2])


def test_only_filled_slots_become_uploads_in_slot_order():
    second, third = png("zwei.png"), png("drei.png")
    form = SlotsForm(
        data={
            "image_1_alt": "Beschreibung ohne Bild",
            "image_2_alt": "  Bank am Teich ",
            "image_3_decorative": "on",
        },
        files={"image_2": second, "image_3": third},
    )
    assert form.is_valid(), form.errors
    uploads = form.image_uploads()
    assert [(u.file.name, u.alt_text, u.decorative) for u in uploads] == [
        ("zwei.png", "Bank am Teich", False),
        ("drei.png", "", True),
    ]


def test_a_description_longer_than_250_characters_is_refused_at_its_slot():
    form = SlotsForm(data={"image_2_alt": "x" * 251}, files={"image_2": png()})
    assert not form.is_valid()
    assert list(form.errors) == ["image_2_alt"]


def test_an_image_without_description_or_decorative_mark_is_refused_at_the_slots_description():
    form = SlotsForm(files={"image_1": png()})
    assert form.is_valid()
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        prepare_media(images=form.image_uploads(), attachments=[])
    assert refused.value.message_dict == {
        "image_1_alt": [
            "Bitte beschreiben Sie, was auf dem Bild zu sehen ist, oder markieren Sie es als nur "
            "schmückend."
        ]
    }
    assert "image_1_alt" in form.fields
    decorative = SlotsForm(data={"image_1_decorative": "on"}, files={"image_1": png()})
    assert decorative.is_valid()
    prepared = prepare_media(images=decorative.image_uploads(), attachments=[])
    assert [(alt, is_decorative) for _file, alt, is_decorative in prepared.images] == [("", True)]


def test_proposals_and_budget_ideas_use_the_shared_slots():
    assert issubclass(ProposalForm, ImageSlotsMixin)
    assert issubclass(IdeaForm, ImageSlotsMixin)
