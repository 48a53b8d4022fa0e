"""The default set of statuses, offered in every municipality."""

from django.db import migrations

DEFAULTS = [
    ("geplant", "planned", False, 10),
    ("in Vorbereitung", "preparing", False, 20),
    ("in Umsetzung", "in_progress", False, 30),
    ("umgesetzt", "done", False, 40),
    ("zurückgestellt", "deferred", False, 50),
    ("verworfen", "discarded", True, 60),
]


def create(apps, schema_editor):
    status = apps.get_model("measures", "MeasureStatus")
    for name, kind, requires_reason, order in DEFAULTS:
        status.objects.get_or_create(
            organisation=None,
            kind=kind,
            defaults={"name": name, "requires_reason": requires_reason, "order": order},
        )


def remove(apps, schema_editor):
    apps.get_model("measures", "MeasureStatus").objects.filter(organisation=None).delete()


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
