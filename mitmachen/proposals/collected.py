"""Offline proposals as contributions collected at an event (``projects.contributions``):
the events module links them and lists them on the event's page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mitmachen.core.channels import Channel
from mitmachen.projects.contributions import CollectedKind, visible_in_projects

COLLECTED = CollectedKind(
    key="vorschlag",
    model="proposals.Proposal",
    label=_("Vorschlag"),
    count_text=lambda n: ngettext("%(n)d Vorschlag", "%(n)d Vorschläge", n) % {"n": n},
    offline=lambda rows: rows.exclude(channel=Channel.ONLINE),
    visible=visible_in_projects,
    title=lambda proposal: proposal.title,
    url=lambda proposal: proposal.get_absolute_url(),
    day="submitted_on",
)
