"""Deleting an account leaves nothing that identifies the person anywhere in the database.

The account is seeded through the same services residents use, with a marker in every
text field of the account and in everything each module stores about the person; mails
go through the database task backend and are worked off, as in production. After
``account_delete`` the whole database is dumped (``dumpdata`` of every app, including
task results and sessions) and every text column of every table is scanned.

What legitimately stays (the deletion page says so): public contributions and survey
answers, without a link to the person. They carry a second marker, ``CONTENT``, which
may only appear in the content columns listed in ``CONTENT_COLUMNS``.
"""

from __future__ import annotations

import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from mitmachen.accounts.models import User
from mitmachen.accounts.services import account_delete, personal_data_export, profile_update
from mitmachen.accounts.tests.factories import UserFactory
from mitmachen.comments.models import Comment
from mitmachen.comments.services import comment_create, comment_rate
from mitmachen.core.tests.module_contracts import DeletionSeed, contract_hooks
from mitmachen.debates.models import Debate, Stance
from mitmachen.debates.services import debate_create
from mitmachen.moderation.models import ModerationAction, Report
from mitmachen.moderation.services import block, hide, report_create
from mitmachen.notifications.models import Notification
from mitmachen.notifications.services import notify
from mitmachen.organisations.models import Role
from mitmachen.organisations.services import accessibility_feedback_submit
from mitmachen.organisations.tests.factories import DistrictFactory, MembershipFactory
from mitmachen.polls.models import Answer
from mitmachen.polls.services import response_submit
from mitmachen.polls.tests.factories import PollFactory, question
from mitmachen.projects.invitation_services import project_invite
from mitmachen.projects.models import ProjectMembership
from mitmachen.projects.services import project_follow
from mitmachen.projects.tests.factories import PhaseFactory, ProjectFactory
from mitmachen.proposals.models import Proposal, ProposalFollow, Support
from mitmachen.proposals.services import proposal_create, proposal_follow, support_add
from mitmachen.roles.services import staff_invite

pytestmark = pytest.mark.django_db(transaction=False)

MARKER = "quendolinx"  # in every field that identifies the person
EMAIL = f"{MARKER}@example.org"
SECOND_EMAIL = f"{MARKER}.zweit@example.org"
UNCONFIRMED_EMAIL = f"{MARKER}.neu@example.org"
NAME = f"Renate {MARKER.title()}"
CONTENT = "zettelbaumx"  # in what the person wrote; that stays, without them

# (table, column) pairs where CONTENT may stay: the contribution, and copies of its
# text where the platform quotes it (a notification excerpt, the moderation log).
CONTENT_COLUMNS = {
    ("proposals_proposal", "title"),
    ("proposals_proposal", "text"),
    ("comments_comment", "text"),
    ("debates_debate", "question"),
    ("debates_debate", "description"),
    ("polls_answer", "text"),
    ("moderation_report", "text"),
    ("organisations_accessibilityfeedback", "message"),
    ("notifications_notification", "text"),
    ("moderation_moderationaction", "subject"),
}

DB_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]}
}


def run_worker(monkeypatch):
    # The worker closes "old" connections between tasks; inside a test transaction on
    # PostgreSQL that would be the test's own connection.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", batch=True, queue_name="*", no_startup_delay=True, verbosity=0)


def table_scan(needle: str) -> set[tuple[str, str]]:
    """(table, column) of every text value in the database that contains ``needle``."""
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, memoryview | bytes):
                        value = bytes(value).decode("utf-8", "replace")
                    if needle in str(value).lower():
                        found.add((table, column))
    return found


@pytest.fixture
def seeded(client, settings, monkeypatch, django_capture_on_commit_callbacks):
    """A person who did everything the platform stores something about."""
    settings.TASKS = DB_TASKS
    organisation = MembershipFactory(role=Role.MODERATOR).organisation
    moderator = organisation.memberships.get().user
    district = DistrictFactory(organisation=organisation, name="Lübnitz")
    project = ProjectFactory(organisation=organisation)
    PhaseFactory(
        project=project,
        actions=["propose", "support", "comment", "debate"],
    )
    other = UserFactory(display_name="Karl Nachbar")

    with django_capture_on_commit_callbacks(execute=True):
        # Sign-up through allauth: the confirmation mail (address and link) is a task row.
        response = client.post(
            reverse("account_signup"),
            {"email": EMAIL, "password1": "Fläming-Wald-2035", "password2": "Fläming-Wald-2035"},
        )
        assert response.status_code == 302
        person = User.objects.get(email=EMAIL)
        profile_update(user=person, display_name=NAME, home_district=district)
        EmailAddress.objects.filter(user=person).update(verified=True)
        EmailAddress.objects.create(user=person, email=SECOND_EMAIL, verified=True)
        ProjectMembership.objects.create(project=project, user=person)
        elsewhere = MembershipFactory(user=person, role=Role.PROJECT_MANAGER).organisation
        # Staff roles (roles.services): the person invites a colleague, and an
        # administrator invites the person's second address; both are in the role log.
        staff_invite(
            actor=person,
            organisation=elsewhere,
            email="kollegin@example.org",
            role=Role.MODERATOR,
            link=str,
        )
        staff_invite(
            actor=MembershipFactory(organisation=elsewhere, role=Role.ADMIN).user,
            organisation=elsewhere,
            email=SECOND_EMAIL,
            role=Role.MODERATOR,
            link=str,
        )
        # An address the person added but has not confirmed: its invitation stays open.
        EmailAddress.objects.create(user=person, email=UNCONFIRMED_EMAIL, verified=False)
        project_invite(
            user=UserFactory(is_superuser=True),
            project=ProjectFactory(organisation=organisation, visibility="private"),
            emails=[UNCONFIRMED_EMAIL],
        )
        project_follow(user=person, project=project)

        proposal = proposal_create(
            author=person, project=project, title=f"Bänke {CONTENT}", text=f"Mehr {CONTENT}."
        )
        others_proposal = proposal_create(author=other, project=project, title="Ruhe", text="x")
        support_add(user=person, proposal=others_proposal)
        proposal_follow(user=person, proposal=others_proposal)
        others_comment = comment_create(author=other, project=project, text="Karls Kommentar")
        # The person answers Karl: Karl's notification must not keep the person's name.
        reply = comment_create(
            author=person, project=project, text=f"Antwort {CONTENT}", reply_to=others_comment
        )
        comment_rate(user=person, comment=others_comment, value=1)
        comment_create(author=other, project=project, text="Danke!", reply_to=reply)
        debate = debate_create(author=person, project=project, question=f"Autofrei {CONTENT}?")
        comment_create(
            author=person, project=project, debate=debate, stance=Stance.FOR, text=CONTENT
        )
        report_create(reporter=person, target=others_comment, reason="spam", text=CONTENT)
        # A moderation decision about the person's debate: a log entry pointing at it.
        hide(moderator=moderator, target=debate, reason="Prüfung")

        poll = PollFactory(project=project)
        free_text = question(poll, "long_text", required=False)
        response_submit(user=person, poll=poll, data={free_text.pk: f"Schatten {CONTENT}"})

        accessibility_feedback_submit(
            organisation=organisation,
            user=person,
            name=NAME,
            email=EMAIL,
            page_url="/",
            message=f"Kontrast {CONTENT}",
        )
        notify(
            recipients=[person],
            kind="other",
            title=f"Hallo {NAME}",
            url="/",
            mail_subject="Hinweis",
            mail_body=f"Hallo {NAME}",
        )
        # What every other module keeps about the person (its tests/contract.py).
        seed = DeletionSeed(
            person=person,
            organisation=organisation,
            district=district,
            other=other,
            moderator=moderator,
            marker=MARKER,
            content=CONTENT,
        )
        content_columns = set(CONTENT_COLUMNS)
        for hook in contract_hooks("deletion_seed"):
            content_columns |= hook(seed)
        block(moderator=moderator, organisation=organisation, user=person, reason="Spam")
    LogEntry.objects.log_actions(
        user_id=moderator.pk,
        queryset=[person],
        action_flag=CHANGE,
        change_message="Wohnsitz bestätigt",
    )
    client.force_login(person)  # a session row
    run_worker(monkeypatch)
    return {
        "person": person,
        "other": other,
        "reply": reply,
        "proposal": proposal,
        "content_columns": content_columns,
    }


def test_seed_reaches_every_module(seeded):
    """The seed is worth something only if the marker really is everywhere first."""
    data = personal_data_export(user=seeded["person"])
    empty = sorted(section for section, value in data.items() if value in ([], {}, None))
    assert empty == []
    tables = {table for table, _column in table_scan(MARKER)}
    assert {
        "accounts_user",
        "account_emailaddress",
        "organisations_accessibilityfeedback",
        "moderation_moderationaction",
        "notifications_notification",
        "django_tasks_database_dbtaskresult",
        "django_admin_log",
    } <= tables
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() >= 3
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()


def test_deletion_leaves_no_trace_of_the_person(seeded):
    person = seeded["person"]
    account_delete(user=person)

    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)  # every app: sessions, admin log, task results …
    text = dump.getvalue().lower()
    assert MARKER not in text, re.findall(rf".{{0,200}}{MARKER}.{{0,80}}", text)[:5]
    assert table_scan(MARKER) == set()

    # Contributions stay, shown as "gelöschtes Konto"; their text only in content columns.
    allowed = seeded["content_columns"]
    assert table_scan(CONTENT) <= allowed, table_scan(CONTENT) - allowed
    proposal = Proposal.objects.get(pk=seeded["proposal"].pk)
    assert proposal.author is None and proposal.public_author() == "gelöschtes Konto"
    reply = Comment.objects.get(pk=seeded["reply"].pk)
    assert reply.author is None and reply.public_author() == "gelöschtes Konto"
    assert Debate.objects.get().author is None
    assert Answer.objects.get(text__contains=CONTENT).response.participation.user is None
    assert Report.objects.get().reporter is None
    # Karl's notification about the reply no longer names the person.
    note = Notification.objects.get(recipient=seeded["other"], kind="new_comment")
    assert note.display_title == "Gelöschtes Konto hat auf Ihren Kommentar geantwortet"
    # Supports still count, but belong to nobody; following ends with the account.
    assert list(Support.objects.values_list("user", flat=True)) == [None]
    assert set(ProposalFollow.objects.values_list("user", flat=True)) == {seeded["other"].pk}
    assert ModerationAction.objects.get(kind="block").subject == "Konto „gelöschtes Konto“"
    # The decision about the debate stays in the log, pointing at the debate, without them.
    about_debate = ModerationAction.objects.get(kind="hide")
    assert about_debate.target == Debate.objects.get() and about_debate.target_user is None
    assert not LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_repr__icontains=MARKER
    ).exists()


def test_deletion_page_promises_what_the_deletion_does(client):
    """The page text that ``test_deletion_leaves_no_trace_of_the_person`` holds to."""
    client.force_login(UserFactory())
    page = client.get(reverse("accounts:delete")).content.decode()
    for promise in [
        "Name, E-Mail-Adressen, Wohnort, Abonnements, Ihre Benachrichtigungen und die "
        "gespeicherten E-Mails an Sie",
        "„gelöschtes Konto“ – ohne Ihren Namen, auch in den Benachrichtigungen anderer Personen",
        "Unterstützungen, Bewertungen, Umfrageantworten, Meldungen und Rückmeldungen zur "
        "Barrierefreiheit zählen weiter, sind aber mit niemandem mehr verbunden",
    ]:
        assert promise in page
