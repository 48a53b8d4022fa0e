"""Reply notifications stored before 0003_actor carry the replier's name in the title.

Rewrite them to the placeholder form: the name is then looked up when shown, and a
deleted account shows as "gelöschtes Konto" instead of the name it had.
"""

import re

from django.db import migrations

SUFFIX = " hat auf Ihren Kommentar geantwortet"
COMMENT_IN_URL = re.compile(r"#kommentar-(\d+)$")


def forwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Comment = apps.get_model("comments", "Comment")
    rows = Notification.objects.filter(
        kind="new_comment", names_actor=False, title__endswith=SUFFIX
    ).only("pk", "url")
    for notification in rows.iterator():
        match = COMMENT_IN_URL.search(notification.url)
        comment = (
            Comment.objects.filter(pk=int(match.group(1))).only("author_id", "channel").first()
            if match
            else None
        )
        if comment is not None and comment.author_id is None and comment.channel != "online":
            continue  # entered from paper: the title names nobody
        Notification.objects.filter(pk=notification.pk).update(
            title="{actor}" + SUFFIX,
            names_actor=True,
            actor_id=comment.author_id if comment is not None else None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_debate_comments"),
        ("notifications", "0003_actor"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
