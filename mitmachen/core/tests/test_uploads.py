import re

from django.apps import apps
from django.db import models

from mitmachen.core.uploads import RandomName


def test_every_file_field_stores_under_a_random_name():
    fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("mitmachen.")
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and not isinstance(field.upload_to, RandomName)
    ]
    assert fields == []


def test_random_name_keeps_only_a_safe_extension_and_the_directory():
    upload_to = RandomName("proposals/images/%Y/%m/")
    name = upload_to(None, "IMG_Familie_Mueller.JPG")
    assert re.fullmatch(r"proposals/images/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", name)
    assert upload_to(None, "a.jpg") != upload_to(None, "a.jpg")
    assert re.fullmatch(r"logos/[0-9a-f]{32}", RandomName("logos")(None, "x.<script>"))
    assert RandomName("a/").deconstruct() == ("mitmachen.core.uploads.RandomName", ("a/",), {})
