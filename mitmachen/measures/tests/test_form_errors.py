"""A service's refusal that names no field (a parallel request made the measure first)
lands on the form through ``core.forms.attach_errors`` – the one way: the page is drawn
again with the message in the error summary, and nothing more is stored."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mitmachen.debates.tests.factories import DebateFactory
from mitmachen.measures import services
from mitmachen.measures.models import Measure
from mitmachen.proposals.models import ProposalStatus
from mitmachen.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def _first_somebody_else(monkeypatch, name, make):
    """While the view handles the post, another request converts the row first."""
    real = getattr(services, name)

    def racing(**kwargs):
        make(real)
        return real(**kwargs)

    monkeypatch.setattr(services, name, racing)


def _shows_on_the_form(response, text):
    page = response.content.decode()
    assert response.status_code == 200
    summary = page.split('id="form-errors"', 1)[1].split("</ul>", 1)[0]
    assert text in summary


def test_a_proposal_converted_in_parallel_shows_on_the_form(
    client, monkeypatch, project, goal, manager
):
    proposal = ProposalFactory(project=project, status=ProposalStatus.ACCEPTED, title="Bänke")
    _first_somebody_else(
        monkeypatch,
        "measure_from_proposal",
        lambda convert: convert(
            user=manager, proposal=proposal, goal=goal, title="Bänke (schneller)"
        ),
    )
    client.force_login(manager)
    url = reverse("measures:from_proposal", args=[proposal.pk])
    response = client.post(url, {"goal": goal.pk, "title": "Bänke am Markt", "published": "on"})
    _shows_on_the_form(response, "Aus diesem Vorschlag ist schon die Maßnahme „Bänke (schneller)“")
    assert list(Measure.objects.values_list("title", flat=True)) == ["Bänke (schneller)"]


def test_a_contribution_converted_in_parallel_shows_on_the_form(
    client, monkeypatch, project, goal, manager
):
    debate = DebateFactory(project=project)
    _first_somebody_else(
        monkeypatch,
        "measure_from_origin",
        lambda convert: convert(user=manager, origin=debate, goal=goal, title="Markt (schneller)"),
    )
    client.force_login(manager)
    url = reverse("measures:from_origin", args=["debatte", debate.pk])
    response = client.post(url, {"goal": goal.pk, "title": "Autofreier Markt", "published": "on"})
    _shows_on_the_form(response, "Daraus ist schon die Maßnahme „Markt (schneller)“ geworden.")
    assert list(Measure.objects.values_list("title", flat=True)) == ["Markt (schneller)"]
