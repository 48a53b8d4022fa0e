"""Migration 0003 moves reports and log entries from one key per kind to (kind, id)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.services import comment_create
from mitmachen.debates.services import debate_create
from mitmachen.debates.tests.conftest import debating, resident  # noqa: F401
from mitmachen.moderation.models import ModerationAction, Report
from mitmachen.proposals.tests.factories import ProposalFactory


@pytest.mark.django_db(transaction=True)
def test_each_row_keeps_exactly_its_target(debating, resident, moderation_at_0002):  # noqa: F811
    old = moderation_at_0002
    OldReport = old.get_model("moderation", "Report")
    OldAction = old.get_model("moderation", "ModerationAction")
    proposal = ProposalFactory(project=debating)
    comment = comment_create(author=resident, project=debating, proposal=proposal, text="Hallo")
    debate = debate_create(author=resident, project=debating, question="Warum?")
    common = {"organisation_id": debating.organisation_id, "project_id": debating.pk}
    reporters = [UserFactory() for _ in range(3)]
    for reporter in reporters:
        OldReport.objects.create(
            **common, reporter_id=reporter.pk, reason="spam", proposal_id=proposal.pk
        )
    OldReport.objects.create(
        **common, reporter_id=reporters[0].pk, reason="spam", comment_id=comment.pk
    )
    OldReport.objects.create(
        **common, reporter_id=reporters[0].pk, reason="spam", debate_id=debate.pk
    )
    org = {"organisation_id": debating.organisation_id}
    OldAction.objects.create(**org, kind="hide", subject="V", proposal_id=proposal.pk)
    OldAction.objects.create(**org, kind="hide", subject="K", comment_id=comment.pk)
    OldAction.objects.create(**org, kind="hide", subject="D", debate_id=debate.pk)
    OldAction.objects.create(**org, kind="hide", subject="gelöscht")  # its target is gone
    OldAction.objects.create(**org, kind="block", subject="Konto", target_user_id=resident.pk)

    executor = MigrationExecutor(connection)
    executor.migrate([("moderation", "0003_target_pairs")])

    assert Report.objects.count() == 5
    assert Report.objects.about(proposal).count() == 3
    assert Report.objects.about(comment).get().reporter_id == reporters[0].pk
    assert Report.objects.about(debate).get().reporter_id == reporters[0].pk
    pairs = dict(ModerationAction.objects.values_list("subject", "target_kind"))
    assert pairs == {"V": "proposal", "K": "comment", "D": "debate", "gelöscht": "", "Konto": ""}
    assert ModerationAction.objects.about(debate).get().subject == "D"
    assert ModerationAction.objects.get(subject="Konto").target_id is None

    # And back: the keys again.
    executor = MigrationExecutor(connection)
    executor.migrate([("moderation", "0002_debate_target")])
    back = executor.loader.project_state(("moderation", "0002_debate_target")).apps
    assert (
        back.get_model("moderation", "Report").objects.filter(proposal_id=proposal.pk).count() == 3
    )
    assert (
        back.get_model("moderation", "ModerationAction").objects.get(subject="K").comment_id
        == comment.pk
    )
