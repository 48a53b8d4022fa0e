"""ProposalFilter (django-filter): the project's own choices, invalid values that fail only
their own field, and the order (newest first unless a search or a chosen order decides)."""

import pytest
from django.http import QueryDict

from mitmachen.core.channels import Channel
from mitmachen.organisations.tests.factories import DistrictFactory
from mitmachen.proposals.filters import ProposalFilter
from mitmachen.proposals.models import CustomStatus, Proposal, ProposalStatus
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db
NEWEST = ("-created_at", "-pk")


def filtered(project, query, seed=42):
    data = QueryDict(query) if query else None
    proposals = Proposal.objects.filter(project=project).for_listing()
    return ProposalFilter(data, proposals, project=project, seed=seed)


def titles(filterset):
    return [p.title for p in filterset.qs]


@pytest.fixture
def proposals(project, region):
    first = ProposalFactory(project=project, title="Bänke", district=region["west"])
    second = ProposalFactory(
        project=project, title="Radweg", district=region["east"], channel=Channel.WORKSHOP
    )
    Proposal.objects.filter(pk=first.pk).update(support_count=3)
    return {"first": first, "second": second}


def test_form_keeps_the_german_parameters_labels_and_choices(project, region):
    forwarded = CustomStatus.objects.create(
        project=project, name="Weitergeleitet", base=ProposalStatus.IN_REVIEW
    )
    form = filtered(project, "").form
    assert list(form.fields) == ["q", "thema", "ortsteil", "status", "kanal", "sortierung"]
    labels = [str(field.label) for field in form.fields.values()]
    assert labels == ["Suche", "Thema", "Ortsteil", "Status", "Kanal", "Sortierung"]
    status = str(form["status"])
    assert '<option value="" selected>alle</option>' in status
    assert '<optgroup label="Eigene Status dieses Projekts">' in status
    assert f'<option value="eigen-{forwarded.pk}">Weitergeleitet</option>' in status
    # The order has no empty choice; the Ortsteile are only the project's.
    assert '<option value="neueste">neueste zuerst</option>' in str(form["sortierung"])
    assert 'value=""' not in str(form["sortierung"])
    assert [d.name for d in form.fields["ortsteil"].queryset] == ["Ost", "West"]
    assert '<input type="text" name="q" maxlength="100" id="id_q">' in str(form["q"])


def test_ortsteil_of_another_municipality_is_reported_and_ignored(project, proposals):
    elsewhere = DistrictFactory(name="Anderswo")
    filterset = filtered(project, f"ortsteil={elsewhere.pk}&kanal=workshop")
    assert list(filterset.errors) == ["ortsteil"]
    assert titles(filterset) == ["Radweg"]  # the valid channel filter still applies
    assert titles(filtered(project, f"ortsteil={elsewhere.pk}")) == titles(filtered(project, ""))


def test_custom_status_matches_only_its_own_proposals(project, proposals):
    forwarded = CustomStatus.objects.create(
        project=project, name="Weitergeleitet", base=ProposalStatus.IN_REVIEW
    )
    Proposal.objects.filter(pk=proposals["second"].pk).update(
        status=ProposalStatus.IN_REVIEW, custom_status=forwarded
    )
    Proposal.objects.filter(pk=proposals["first"].pk).update(status=ProposalStatus.IN_REVIEW)
    assert titles(filtered(project, f"status=eigen-{forwarded.pk}")) == ["Radweg"]
    assert sorted(titles(filtered(project, "status=in_review"))) == ["Bänke", "Radweg"]
    unknown = filtered(project, "status=eigen-999")
    assert list(unknown.errors) == ["status"] and len(titles(unknown)) == 2


def test_order_is_newest_first_unless_chosen_or_searched(project, proposals):
    assert filtered(project, "").qs.query.order_by == NEWEST
    assert titles(filtered(project, "")) == ["Radweg", "Bänke"]
    assert filtered(project, "sortierung=zufall%00").qs.query.order_by == NEWEST  # invalid
    assert titles(filtered(project, "sortierung=unterstuetzt")) == ["Bänke", "Radweg"]
    assert titles(filtered(project, "sortierung=aelteste")) == ["Bänke", "Radweg"]
    # A search keeps its own order (best match first on PostgreSQL).
    assert filtered(project, "q=radweg").qs.query.order_by != NEWEST
    shuffled = filtered(project, "sortierung=zufall", seed=7)
    assert shuffled.chosen("sortierung") == "zufall"
    assert titles(shuffled) == titles(filtered(project, "sortierung=zufall", seed=7))


def test_chosen_is_empty_without_or_with_an_invalid_value(project):
    assert filtered(project, "").chosen("sortierung") == ""
    assert filtered(project, "sortierung=bunt").chosen("sortierung") == ""
    assert filtered(project, "sortierung=aelteste").chosen("sortierung") == "aelteste"
