"""Reports and log entries name their target by a pair (kind, id) instead of one foreign
key per kind, so that a module declares what can be reported (``ModerationTarget``)
without a key and a migration here.

The kinds are the keys that proposals, comments and debates declare ("proposal",
"comment", "debate"), the names of the old keys, so each row keeps exactly its target.
A log entry whose contribution was deleted had no key left; it keeps none (its
``subject`` says what it was about).
"""

from django.db import migrations, models
from django.db.models import F

KINDS = ("proposal", "comment", "debate")


def to_pairs(apps, schema_editor):
    for name in ("Report", "ModerationAction"):
        model = apps.get_model("moderation", name)
        for kind in KINDS:
            model.objects.filter(**{f"{kind}__isnull": False}).update(
                target_kind=kind, target_id=F(f"{kind}_id")
            )


def to_keys(apps, schema_editor):
    for name in ("Report", "ModerationAction"):
        model = apps.get_model("moderation", name)
        for kind in KINDS:
            rows = model.objects.filter(target_kind=kind, target_id__isnull=False)
            if name == "ModerationAction":
                # Entries whose contribution is gone keep none (the key was SET_NULL).
                target = model._meta.get_field(kind).related_model
                rows = rows.filter(target_id__in=target.objects.values("pk"))
            rows.update(**{f"{kind}_id": F("target_id")})


class Migration(migrations.Migration):
    # Backwards, the old constraints come back after the keys are filled again.
    dependencies = [
        ("moderation", "0002_debate_target"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="target_kind",
            field=models.CharField(blank=True, max_length=30, verbose_name="Art des Beitrags"),
        ),
        migrations.AddField(
            model_name="report",
            name="target_id",
            field=models.PositiveBigIntegerField(
                blank=True, null=True, verbose_name="Nummer des Beitrags"
            ),
        ),
        migrations.AddField(
            model_name="moderationaction",
            name="target_kind",
            field=models.CharField(blank=True, max_length=30, verbose_name="Art des Beitrags"),
        ),
        migrations.AddField(
            model_name="moderationaction",
            name="target_id",
            field=models.PositiveBigIntegerField(
                blank=True, null=True, verbose_name="Nummer des Beitrags"
            ),
        ),
        migrations.RemoveConstraint(model_name="report", name="report_has_one_target"),
        migrations.RemoveConstraint(
            model_name="report", name="one_report_per_person_and_proposal"
        ),
        migrations.RemoveConstraint(model_name="report", name="one_report_per_person_and_comment"),
        migrations.RemoveConstraint(model_name="report", name="one_report_per_person_and_debate"),
        migrations.RemoveConstraint(
            model_name="moderationaction", name="moderationaction_at_most_one_target"
        ),
        migrations.RunPython(to_pairs, to_keys),
        migrations.RemoveField(model_name="report", name="proposal"),
        migrations.RemoveField(model_name="report", name="comment"),
        migrations.RemoveField(model_name="report", name="debate"),
        migrations.RemoveField(model_name="moderationaction", name="proposal"),
        migrations.RemoveField(model_name="moderationaction", name="comment"),
        migrations.RemoveField(model_name="moderationaction", name="debate"),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(("target_kind", ""), _negated=True)
                & models.Q(("target_id__isnull", False)),
                name="report_has_a_target",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                fields=("target_kind", "target_id", "reporter"),
                name="one_report_per_person_and_target",
            ),
        ),
        migrations.AddConstraint(
            model_name="moderationaction",
            constraint=models.CheckConstraint(
                condition=models.Q(("target_id__isnull", True))
                | models.Q(("target_kind", ""), _negated=True),
                name="moderationaction_id_has_a_kind",
            ),
        ),
        migrations.AddIndex(
            model_name="moderationaction",
            index=models.Index(
                fields=["target_kind", "target_id"], name="moderation__target__294a5f_idx"
            ),
        ),
    ]
