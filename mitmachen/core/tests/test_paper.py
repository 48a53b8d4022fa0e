"""The paper stacks of polls and budgets share their common fields (``core.paper``)."""

import io

import pytest
from django.core.management import call_command

from mitmachen.budgets.models import PaperBatch as BallotBatch
from mitmachen.core.paper import PAPER_PLACE_MAX_LENGTH, PaperBatchBase
from mitmachen.polls.models import PaperBatch as QuestionnaireBatch

SHARED = ["collected_on", "entered_by", "created_at", "place"]


@pytest.mark.parametrize("model", [BallotBatch, QuestionnaireBatch])
def test_both_stacks_have_the_shared_fields_and_order(model):
    assert issubclass(model, PaperBatchBase)
    assert model._meta.ordering == ["-created_at", "-pk"]
    fields = {field.name: field for field in model._meta.get_fields()}
    assert set(SHARED) <= set(fields)
    assert fields["place"].max_length == PAPER_PLACE_MAX_LENGTH
    assert fields["place"].blank
    assert fields["entered_by"].null
    assert fields["entered_by"].remote_field.related_name == "+"


@pytest.mark.django_db
def test_the_shared_base_changes_no_schema():
    out = io.StringIO()
    call_command("makemigrations", "budgets", "polls", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()
