"""The image slots of a resident's contribution form (a proposal, a budget idea).

``MAX_IMAGES`` numbered slots, each three plain inputs that work without JavaScript:
``image_N`` (the file), ``image_N_alt`` (what the image shows) and ``image_N_decorative``
(only decorative, no description needed). The form draws them with ``image_slots()`` and
hands the filled ones to its service as ``ImageUpload``s (``image_uploads()``); the
service checks them all together (``core.upload_checks.prepare_media``: a description or
the decorative mark, type, size), and its error keys are these field names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mitmachen.core.upload_checks import MAX_IMAGES, ImageUpload

if TYPE_CHECKING:
    from django.forms.boundfield import BoundField

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"
ALT_MAX_LENGTH = 250


class ImageSlotsMixin:
    """Adds the image slots to a ``forms.Form`` (call ``add_image_fields()`` in
    ``__init__`` where the slots belong in the field order)."""

    if TYPE_CHECKING:
        fields: dict[str, forms.Field]
        cleaned_data: dict[str, Any]

        def __getitem__(self, name: str) -> BoundField: ...

    def add_image_fields(self) -> None:
        for n in range(1, MAX_IMAGES + 1):
            self.fields[f"image_{n}"] = forms.FileField(
                label=_("Bild %(n)s") % {"n": n},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
                help_text=_("JPEG, PNG oder WebP, höchstens 10 MB. Standortdaten werden entfernt."),
            )
            self.fields[f"image_{n}_alt"] = forms.CharField(
                label=_("Was ist auf Bild %(n)s zu sehen?") % {"n": n},
                max_length=ALT_MAX_LENGTH,
                required=False,
                help_text=_("Für Menschen, die das Bild nicht sehen können."),
            )
            self.fields[f"image_{n}_decorative"] = forms.BooleanField(
                label=_("Bild %(n)s ist nur schmückend (keine Beschreibung nötig)") % {"n": n},
                required=False,
            )

    def image_slots(self) -> list[tuple[BoundField, BoundField, BoundField]]:
        """Per slot the file, description and decorative inputs, for the template."""
        return [
            (self[f"image_{n}"], self[f"image_{n}_alt"], self[f"image_{n}_decorative"])
            for n in range(1, MAX_IMAGES + 1)
        ]

    def image_uploads(self) -> list[ImageUpload]:
        """The filled slots, in slot order, as the services take them."""
        data = self.cleaned_data
        return [
            ImageUpload(
                data[f"image_{n}"],
                alt_text=data.get(f"image_{n}_alt") or "",
                decorative=bool(data.get(f"image_{n}_decorative")),
            )
            for n in range(1, MAX_IMAGES + 1)
            if data.get(f"image_{n}")
        ]
