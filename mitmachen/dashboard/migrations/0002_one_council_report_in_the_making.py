# One council report in the making per project, held by the database
# (core.background_files), where the project's row lock held it before.

from django.db import migrations, models


def fail_duplicates(apps, schema_editor):
    """Before the constraint: of a project's reports still queued or running, all but the
    newest count as failed (the row lock kept them apart, so there should be none)."""
    CouncilReport = apps.get_model("dashboard", "CouncilReport")
    newest = {}
    for pk, project_id in (
        CouncilReport.objects.filter(state__in=["queued", "running"])
        .order_by("-pk")
        .values_list("pk", "project_id")
    ):
        newest.setdefault(project_id, pk)
    CouncilReport.objects.filter(state__in=["queued", "running"]).exclude(
        pk__in=newest.values()
    ).update(state="failed")


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_council_report"),
    ]

    operations = [
        migrations.RunPython(fail_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="councilreport",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state__in", ["queued", "running"])),
                fields=("project",),
                name="one_council_report_in_the_making",
            ),
        ),
    ]
