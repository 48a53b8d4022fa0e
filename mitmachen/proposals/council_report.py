"""Proposals' section of the council report (``ParticipationModule.report``): how many
proposals and supports, the proposals by status, and the most supported ones with the
administration's response. No author is named; hidden and withdrawn proposals are left
out, as on the public pages. Three queries, whatever the number of proposals."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mitmachen.projects.models import Project
from mitmachen.projects.report import ReportSection, ReportTable
from mitmachen.proposals.models import Proposal, ProposalStatus

# The report lists this many proposals (the most supported); the figures count all.
LISTED = 200


def report(project: Project) -> ReportSection | None:
    shown = Proposal.objects.filter(project=project).published()
    totals = shown.aggregate(
        proposals=Count("pk"),
        supports=Sum("support_count", default=0),
        answered=Count("pk", filter=~Q(official_response="")),
        quorum=Count("pk", filter=Q(quorum_reached_at__isnull=False)),
    )
    if not totals["proposals"]:
        return None
    by_status = dict(
        shown.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    listed = list(
        shown.select_related("custom_status")
        .order_by("-support_count", "created_at", "pk")
        .only(
            "title",
            "status",
            "custom_status__name",
            "support_count",
            "comment_count",
            "official_response",
            "responded_at",
            "channel",
        )[:LISTED]
    )
    figures = [
        (_("Vorschläge"), totals["proposals"]),
        (_("Unterstützungen"), totals["supports"]),
        (_("mit Rückmeldung der Verwaltung"), totals["answered"]),
    ]
    if project.support_quorum:
        figures.append(
            (
                _("Quorum von %(n)s Unterstützungen erreicht") % {"n": project.support_quorum},
                totals["quorum"],
            )
        )
    status_rows = tuple(
        (str(label), by_status[value])
        for value, label in ProposalStatus.choices
        if value in by_status
    )
    rows = tuple(
        (
            p.title,
            p.status_label,
            p.support_count,
            p.comment_count,
            p.get_channel_display(),
            p.official_response,
            timezone.localtime(p.responded_at).date() if p.responded_at else "",
        )
        for p in listed
    )
    note = ""
    if totals["proposals"] > LISTED:
        note = _("Die %(listed)s meistunterstützten von %(total)s Vorschlägen.") % {
            "listed": LISTED,
            "total": totals["proposals"],
        }
    return ReportSection(
        key="proposals",
        title=_("Vorschläge"),
        order=10,
        figures=tuple(figures),
        text=(
            _(
                "Vorschläge von Bürgerinnen und Bürgern, online und aus Veranstaltungen "
                "eingetragen, mit ihren Unterstützungen und der Rückmeldung der Verwaltung. "
                "Zurückgezogene und von der Moderation ausgeblendete Vorschläge zählen nicht."
            ),
        ),
        tables=(
            ReportTable(_("Vorschläge nach Status"), (_("Status"), _("Vorschläge")), status_rows),
            ReportTable(
                _("Vorschläge nach Unterstützungen"),
                (
                    _("Vorschlag"),
                    _("Status"),
                    _("Unterstützungen"),
                    _("Kommentare"),
                    _("Kanal"),
                    _("Rückmeldung der Verwaltung"),
                    _("Rückmeldung vom"),
                ),
                rows,
                note,
            ),
        ),
    )
