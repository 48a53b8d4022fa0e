"""Proposals in a process template (``projects.modules.TemplatePart``): the settings of
a project's proposals – the support quorum, who may support, and the project's own
statuses. Never the proposals themselves: they are residents' contributions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field, model_validator

from mitmachen.processtemplates.schema import Item
from mitmachen.projects.modules import TemplatePart
from mitmachen.proposals.models import CustomStatus, Proposal, Support


class StatusEntry(Item):
    name: Annotated[str, Field(min_length=1, max_length=60)]
    base: Literal[
        "submitted", "quorum_reached", "in_review", "accepted", "rejected", "implemented"
    ] = "in_review"
    description: Annotated[str, Field(max_length=200)] = ""


class SettingsEntry(Item):
    support_quorum: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    support_eligibility: Literal["registered", "verified", "residents"] = "registered"
    statuses: Annotated[list[StatusEntry], Field(max_length=30)] = []

    @model_validator(mode="after")
    def _distinct(self) -> SettingsEntry:
        names = [s.name for s in self.statuses]
        if len(set(names)) != len(names):
            raise ValueError(_("Jeder eigene Status braucht einen anderen Namen."))
        return self


def export(project: Any, phase_index: dict[int, int]) -> list[dict[str, Any]]:
    statuses = CustomStatus.objects.filter(project=project).order_by("position", "pk")
    entry = {
        "support_quorum": project.support_quorum,
        "support_eligibility": str(project.support_eligibility),
        "statuses": [
            {"name": s.name, "base": s.base, "description": s.description} for s in statuses
        ],
    }
    # The defaults and no statuses: nothing a template needs to carry.
    if entry == {"support_quorum": None, "support_eligibility": "registered", "statuses": []}:
        return []
    return [entry]


def check(entries: list[Any], phases: list[Any]) -> list[str]:
    if len(entries) > 1:
        return [_("Die Einstellungen der Vorschläge dürfen nur einmal vorkommen.")]
    return []


@transaction.atomic
def create(*, user: Any, project: Any, entries: list[Any], phases: list[Any]) -> int:
    """Set a new draft project's proposal settings (the importer's transaction)."""
    rows = 0
    for entry in entries:
        project.support_quorum = entry.support_quorum
        project.support_eligibility = entry.support_eligibility
        project.full_clean(exclude=["image"])
        project.save(update_fields=["support_quorum", "support_eligibility", "updated_at"])
        for position, spec in enumerate(entry.statuses):
            status = CustomStatus(
                project=project,
                name=spec.name,
                base=spec.base,
                description=spec.description,
                position=position,
            )
            status.full_clean()
            status.save()
            rows += 1
    return rows


def describe(entry: Any) -> str:
    quorum = (
        _("Quorum: %(n)s Unterstützungen") % {"n": entry.support_quorum}
        if entry.support_quorum
        else _("kein Quorum")
    )
    statuses = ", ".join(s.name for s in entry.statuses) or _("keine")
    return _("%(quorum)s; eigene Status: %(statuses)s") % {"quorum": quorum, "statuses": statuses}


def results(project: Any) -> dict[str, int]:
    return {
        _("Vorschläge"): Proposal.objects.filter(project=project).count(),
        _("Unterstützungen"): Support.objects.filter(proposal__project=project).count(),
    }


TEMPLATE_PART = TemplatePart(
    key="proposals",
    label=gettext_lazy("Einstellungen der Vorschläge"),
    item=SettingsEntry,
    export=export,
    check=check,
    create=create,
    describe=describe,
    results=results,
)
