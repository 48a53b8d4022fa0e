"""Every date and time input in the admin has its own label (audit issue 18, finding 21)."""

import re

import pytest

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.projects.tests.factories import PhaseFactory

pytestmark = pytest.mark.django_db


def _unlabelled_inputs(html: str) -> list[str]:
    ids = re.findall(r'<input[^>]*\bid="([^"]+_[01])"', html)
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
    return [i for i in ids if i not in labelled]


def test_phase_start_and_end_inputs_are_labelled(client):
    phase = PhaseFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(f"/admin/projects/project/{phase.project_id}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_phases-0-start_1"' in html  # the split date/time widget is there
    assert _unlabelled_inputs(html) == []
    time_label = re.search(r'<label for="id_phases-0-start_1">(.*?)</label>', html).group(1)
    assert "Beginn" in time_label  # names the field, not only "Uhrzeit:"
