"""Reports and log entries can point at a debate; the log's entries about debates from
before get their key where the subject names exactly one debate.

Until now the debates app wrote its own log entries (hide and restore) without a key:
only ``subject`` ("Debatte „<Frage>“", or the English form when the moderator used the
English pages) and ``target_user`` (the author) named the debate. An entry is linked
when exactly one debate of the same municipality has that question and that author; an
entry whose debate was edited or deleted since stays without a key, as before (the
constraint allows none).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The subject the debates app wrote, in German and in English (``_()`` at the time).
SUBJECTS = ("Debatte „{question}“", "Debate “{question}”")


def link_debate_entries(apps, schema_editor):
    ModerationAction = apps.get_model("moderation", "ModerationAction")
    Debate = apps.get_model("debates", "Debate")
    entries = ModerationAction.objects.filter(
        proposal__isnull=True,
        comment__isnull=True,
        debate__isnull=True,
        kind__in=["hide", "restore"],
        subject__startswith="Debat",
    )
    for entry in entries.iterator():
        candidates = Debate.objects.filter(
            project__organisation_id=entry.organisation_id, author_id=entry.target_user_id
        ).values_list("pk", "question")
        matches = [
            pk
            for pk, question in candidates
            if entry.subject in {form.format(question=question[:150])[:200] for form in SUBJECTS}
        ]
        if len(matches) == 1:
            ModerationAction.objects.filter(pk=entry.pk).update(debate_id=matches[0])


class Migration(migrations.Migration):
    dependencies = [
        ("debates", "0001_initial"),
        ("moderation", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="report",
            name="report_has_one_target",
        ),
        migrations.AddField(
            model_name="moderationaction",
            name="debate",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="debates.debate",
                verbose_name="Debatte",
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="debate",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reports",
                to="debates.debate",
                verbose_name="Debatte",
            ),
        ),
        migrations.RunPython(link_debate_entries, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="moderationaction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("proposal__isnull", True),
                        ("comment__isnull", True),
                        ("debate__isnull", True),
                    ),
                    models.Q(
                        ("proposal__isnull", False),
                        ("comment__isnull", True),
                        ("debate__isnull", True),
                    ),
                    models.Q(
                        ("comment__isnull", False),
                        ("proposal__isnull", True),
                        ("debate__isnull", True),
                    ),
                    models.Q(
                        ("debate__isnull", False),
                        ("proposal__isnull", True),
                        ("comment__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="moderationaction_at_most_one_target",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("proposal__isnull", False),
                        ("comment__isnull", True),
                        ("debate__isnull", True),
                    ),
                    models.Q(
                        ("comment__isnull", False),
                        ("proposal__isnull", True),
                        ("debate__isnull", True),
                    ),
                    models.Q(
                        ("debate__isnull", False),
                        ("proposal__isnull", True),
                        ("comment__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="report_has_one_target",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                condition=models.Q(("debate__isnull", False)),
                fields=("debate", "reporter"),
                name="one_report_per_person_and_debate",
            ),
        ),
    ]
