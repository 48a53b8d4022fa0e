"""Budget ideas handed in offline as contributions collected at an event
(``projects.contributions``): the events module links them and lists them on the event's
page and in its council-report section."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mitmachen.core.channels import Channel
from mitmachen.projects.contributions import CollectedKind, visible_in_projects

COLLECTED = CollectedKind(
    key="idee",
    model="budgets.Idea",
    label=_("Idee für den Bürgerhaushalt"),
    count_text=lambda n: (
        ngettext("%(n)d Idee für den Bürgerhaushalt", "%(n)d Ideen für den Bürgerhaushalt", n)
        % {"n": n}
    ),
    offline=lambda rows: rows.exclude(channel=Channel.ONLINE),
    visible=visible_in_projects,
    title=lambda idea: idea.title,
    url=lambda idea: idea.get_absolute_url(),
    day="submitted_on",
)
