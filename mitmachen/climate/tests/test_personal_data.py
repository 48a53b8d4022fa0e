"""A staff member's waiting upload shows in "Meine Daten" and goes with the account."""

from __future__ import annotations

import pytest

from mitmachen.accounts.services import account_delete, personal_data_export
from mitmachen.climate import services
from mitmachen.climate.models import PendingImport
from mitmachen.climate.tests.factories import IndicatorFactory
from mitmachen.organisations.models import Role
from mitmachen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_pending_upload_is_exported_and_deleted_with_the_account():
    indicator = IndicatorFactory(title="CO₂-Ausstoß")
    staff = MembershipFactory(organisation=indicator.organisation, role=Role.ADMIN).user
    services.pending_import_create(
        user=staff, indicator=indicator, kind="csv", file_name="marker-klima.csv",
        data=b"datum;wert\n2020;1\n", options={"date": "datum", "value": "wert"},
    )  # fmt: skip
    export = personal_data_export(user=staff)["klimadaten_importe"]
    assert export[0]["datei"] == "marker-klima.csv" and export[0]["indikator"] == "CO₂-Ausstoß"
    account_delete(user=staff)
    assert not PendingImport.objects.exists()
