"""Comments entered from offline formats as contributions collected at an event
(``projects.contributions``): the events module links them and lists them on the event's
page. Deleted comments are never listed; hidden ones only for staff."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mitmachen.core.channels import Channel
from mitmachen.projects.contributions import CollectedKind, visible_in_projects


def _visible(user: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
    return visible_in_projects(user, rows.filter(deleted_at__isnull=True))


COLLECTED = CollectedKind(
    key="kommentar",
    model="comments.Comment",
    label=_("Kommentar"),
    count_text=lambda n: ngettext("%(n)d Kommentar", "%(n)d Kommentare", n) % {"n": n},
    offline=lambda rows: rows.exclude(channel=Channel.ONLINE).filter(deleted_at__isnull=True),
    visible=_visible,
    title=lambda comment: Truncator(comment.text).chars(80),
    url=lambda comment: comment.get_absolute_url(),
    day="created_at",
)
